import Fabric
import Foundation

extension SpiNNakerPE {
  /// The timer tick k, starting at `tickStart`: the neurons (or the slice's spike sources) update
  /// once, consuming ring slot k; spikes leave as each neuron is updated. A tick that finds the CPU
  /// still busy with earlier work starts late and counts as an overrun.
  public mutating func update(tick k: Int64, at tickStart: HardwareTime) {
    spikes.removeAll(keepingCapacity: true)
    spikeTimes.removeAll(keepingCapacity: true)
    if busyUntil > tickStart { overruns &+= 1 }
    let total = neuronCycles + packetCycles + synapseCycles
    maxTickCycles = max(maxTickCycles, total - cyclesAtLastTick)
    cyclesAtLastTick = total
    let start = max(tickStart, busyUntil)
    var perNeuron = costs.neuronCycles
    if !localInputs.isEmpty {
      perNeuron += costs.localSourceCycles
      addLocalInput(tick: k)
    }
    switch kind {
    case let .lif(model): updateLIF(model, slot: Int(k & ringMask))
    case let .floatLIF(model): updateFloatLIF(model, slot: Int(k & ringMask))
    case let .doubleLIF(model): updateDoubleLIF(model, slot: Int(k & ringMask))
    case let .nir(model): updateNIR(model, slot: Int(k & ringMask), tick: k)
    case let .poisson(kernel): updatePoisson(kernel, tick: k)
    case .spikeArray: updateSpikeArray(tick: k)
    }
    for i in spikes { spikeTimes.append(start + duration(cycles: costs.fixedCycles + Double(i + 1) * perNeuron)) }
    let cycles = costs.fixedCycles + Double(count) * perNeuron
    neuronCycles += cycles
    busyUntil = start + duration(cycles: cycles)
  }

  /// A packet with `key` reaches the PE at `arrival`, in tick k: it waits in the input queue (or is
  /// dropped when the queue is full), then its row is fetched and each synapse adds its weight to
  /// the ring slot its delay selects, counted from the tick the packet arrived in.
  public mutating func receive(key: UInt32, arrival: HardwareTime, tick k: Int64, tickLength: HardwareTime) {
    receive(row: row(of: key), arrival: arrival, tick: k, tickLength: tickLength)
  }

  /// The packets delivered to this PE in tick k, in arrival order, taken as `receive(key:…)` takes
  /// them one by one. Their rows are looked up first, all together, and each row's first word is
  /// read: the memory loads of many packets then overlap instead of waiting on one another.
  public mutating func receive(_ batch: ArraySlice<SpiNNakerRouters.Delivery>, tick k: Int64, tickLength: HardwareTime) {
    rowsOfBatch.removeAll(keepingCapacity: true)
    var firstWords: UInt32 = 0
    for d in batch {
      let r = row(of: d.key)
      rowsOfBatch.append(r)
      if !r.isEmpty { firstWords &+= words[r.lowerBound] }
    }
    wordsTouched &+= firstWords
    for (d, r) in zip(batch, rowsOfBatch) { receive(row: r, arrival: d.time, tick: k, tickLength: tickLength) }
  }

  private mutating func receive(row: Range<Int>, arrival: HardwareTime, tick k: Int64, tickLength: HardwareTime) {
    while queueHead < queueStarts.count && queueStarts[queueHead] <= arrival { queueHead += 1 }
    if queueHead == queueStarts.count {
      queueStarts.removeAll(keepingCapacity: true)
      queueHead = 0
    }
    guard queueStarts.count - queueHead < queueCapacity else {
      queueDrops &+= 1
      return
    }
    packetsReceived &+= 1
    let start = max(arrival, busyUntil)
    queueStarts.append(start)
    var base = max(k, arrival / tickLength)
    if base > k + Int64(Self.lateTicks) {
      base = k + Int64(Self.lateTicks)
      lateEvents &+= 1
    }
    add(row: row, baseTick: base)
    let synapses = row.count
    let cycles = costs.packetCycles + costs.rowCycles
    packetCycles += cycles
    synapseCycles += Double(synapses) * costs.synapseCycles
    busyUntil = start + duration(cycles: cycles + Double(synapses) * costs.synapseCycles)
  }

  /// The words of `key`'s row: the master population table gives the block whose key is the
  /// largest not above `key`, the atom its row. Empty when no block matches.
  @inline(__always)
  func row(of key: UInt32) -> Range<Int> {
    var low = 0, high = blockKey.count - 1
    guard high >= 0, blockKey[0] <= key else { return 0..<0 }
    while low < high {
      let mid = (low + high + 1) / 2
      if blockKey[mid] <= key { low = mid } else { high = mid - 1 }
    }
    guard key & ~atomMask == blockKey[low] else { return 0..<0 }
    let row = Int(blockRow[low]) + Int(key & atomMask)
    guard row < Int(blockRow[low + 1]) else { return 0..<0 }
    return Int(rowStart[row])..<Int(rowStart[row + 1])
  }

  /// Adds the synapses of `row` into the ring buffers, delays counted from `baseTick`.
  @inline(__always)
  mutating func add(row: Range<Int>, baseTick: Int64) {
    if wide { return addWide(row: row, baseTick: baseTick) }
    let n = count, mask = ringMask
    var saturated: UInt64 = 0
    ring.withUnsafeMutableBufferPointer { ring in
      words.withUnsafeBufferPointer { words in
        for s in row {
          let w = words[s]
          let slot = Int((baseTick + Int64((w >> 9) & 0x7F)) & mask)
          saturated &+= Self.accumulate(&ring[(slot * 2 + Int((w >> 8) & 1)) * n + Int(w & 0xFF)], w >> 16)
        }
      }
    }
    synapticEvents &+= UInt64(row.count)
    saturations &+= saturated
  }

  /// `add(row:baseTick:)` into the wide ring buffers (without `saturation` or `quantisation`).
  private mutating func addWide(row: Range<Int>, baseTick: Int64) {
    let n = count, mask = ringMask, limit = slotLimit
    var saturated: UInt64 = 0
    wideRing.withUnsafeMutableBufferPointer { ring in
      words.withUnsafeBufferPointer { words in
        wideWeights.withUnsafeBufferPointer { weights in
          for s in row {
            let w = words[s]
            let slot = Int((baseTick + Int64((w >> 9) & 0x7F)) & mask)
            saturated &+= Self.accumulate(&ring[(slot * 2 + Int((w >> 8) & 1)) * n + Int(w & 0xFF)], weights[s], limit: limit)
          }
        }
      }
    }
    synapticEvents &+= UInt64(row.count)
    saturations &+= saturated
  }

  /// Adds `weight` units to a wide ring-buffer entry, saturating at `limit`; 1 when it saturated.
  @inline(__always)
  static func accumulate(_ entry: inout Double, _ weight: Double, limit: Double) -> UInt64 {
    let sum = entry + weight
    entry = min(sum, limit)
    return sum > limit ? 1 : 0
  }

  /// Adds `weight` to a 16-bit ring-buffer entry, saturating as sPyNNaker does; 1 when it saturated.
  @inline(__always)
  static func accumulate(_ entry: inout UInt16, _ weight: UInt32) -> UInt64 {
    let sum = UInt32(entry) + weight
    entry = UInt16(min(sum, 0xFFFF))
    return sum > 0xFFFF ? 1 : 0
  }

  /// Poisson inputs drawn on the PE from the streams the source neurons would use, so the input
  /// trains equal those of the same network on any other system.
  private mutating func addLocalInput(tick k: Int64) {
    let n = count, mask = ringMask
    for j in localInputs.indices {
      let kernel = localInputs[j].kernel
      guard kernel.active(step: k) else { continue }
      let type = localInputs[j].inhibitory ? 1 : 0
      kernel.cumulative.withUnsafeBufferPointer { cdf in
        for i in 0..<n {
          let spikes = kernel.draw(&localInputs[j].streams[i], cdf)
          guard spikes > 0 else { continue }
          let index = (Int((k + Int64(localInputs[j].delay[i])) & mask) * 2 + type) * n + i
          if wide {
            for _ in 0..<spikes { saturations &+= Self.accumulate(&wideRing[index], localInputs[j].wideWeight[i], limit: slotLimit) }
          } else {
            for _ in 0..<spikes { saturations &+= Self.accumulate(&ring[index], UInt32(localInputs[j].weight[i])) }
          }
          synapticEvents &+= UInt64(spikes)
          synapseCycles += Double(spikes) * costs.synapseCycles
        }
      }
    }
  }

  private mutating func updateLIF(_ m: SpiNNakerLIF, slot: Int) {
    let n = count
    let base = slot * 2 * n
    // A wide slot's units enter as nA (µS): 2^(shift − 15) each, rounded to s16.15.
    let wide = wide, unitE = pow(2, Double(shiftE - 15)), unitI = pow(2, Double(shiftI - 15))
    v.withUnsafeMutableBufferPointer { v in
    currentE.withUnsafeMutableBufferPointer { iE in
    currentI.withUnsafeMutableBufferPointer { iI in
    refractory.withUnsafeMutableBufferPointer { refractory in
    ring.withUnsafeMutableBufferPointer { ring in
    wideRing.withUnsafeMutableBufferPointer { wideRing in
      for i in 0..<n {
        if wide {
          iE[i] &+= S1615.decay(S1615.from(wideRing[base + i] * unitE), m.initE)
          iI[i] &+= S1615.decay(S1615.from(wideRing[base + n + i] * unitI), m.initI)
          wideRing[base + i] = 0
          wideRing[base + n + i] = 0
        } else {
          iE[i] &+= S1615.decay(Int32(ring[base + i]) << shiftE, m.initE)
          iI[i] &+= S1615.decay(Int32(ring[base + n + i]) << shiftI, m.initI)
          ring[base + i] = 0
          ring[base + n + i] = 0
        }
        var u = v[i]
        if refractory[i] <= 0 {
          var input = m.iOffset
          if m.conductance {
            input &+= S1615.multiply(iE[i], m.eRevE &- u) &+ S1615.multiply(iI[i], m.eRevI &- u)
          } else {
            input &+= iE[i] &- iI[i]
          }
          let alpha = S1615.multiply(input, m.resistance) &+ m.vRest
          u = alpha &- S1615.multiply(m.expTC, alpha &- u)
        } else {
          refractory[i] -= 1
        }
        if Self.crossed(&u, threshold: m.vThresh, reset: m.vReset, refractory: &refractory[i], ticks: m.refractoryTicks) {
          spikes.append(UInt32(i))
        }
        v[i] = u
        iE[i] = S1615.decay(iE[i], m.decayE)
        iI[i] = S1615.decay(iI[i], m.decayI)
      }
    }}}}}}
  }

  /// Threshold, reset and refractory period after a neuron's update, in either arithmetic.
  @inline(__always)
  static func crossed<T: Comparable>(_ v: inout T, threshold: T, reset: T, refractory: inout Int32, ticks: Int32) -> Bool {
    guard v >= threshold else { return false }
    v = reset
    refractory = ticks
    return true
  }

  private mutating func updateFloatLIF(_ m: SpiNNakerFloatLIF, slot: Int) {
    let n = count
    let base = slot * 2 * n
    vFloat.withUnsafeMutableBufferPointer { v in
    currentEFloat.withUnsafeMutableBufferPointer { iE in
    currentIFloat.withUnsafeMutableBufferPointer { iI in
    refractory.withUnsafeMutableBufferPointer { refractory in
    ring.withUnsafeMutableBufferPointer { ring in
    wideRing.withUnsafeMutableBufferPointer { wideRing in
      for i in 0..<n {
        let (e, inh) = wide ? (Float(wideRing[base + i]), Float(wideRing[base + n + i])) : (Float(ring[base + i]), Float(ring[base + n + i]))
        iE[i] = m.decayE * iE[i] + m.unitE * e
        iI[i] = m.decayI * iI[i] + m.unitI * inh
        if wide {
          wideRing[base + i] = 0
          wideRing[base + n + i] = 0
        } else {
          ring[base + i] = 0
          ring[base + n + i] = 0
        }
        var u = v[i]
        if refractory[i] <= 0 {
          let alpha = m.resistance * (iE[i] - iI[i] + m.iOffset) + m.vRest
          u = alpha + m.alpha * (u - alpha)
        } else {
          refractory[i] -= 1
        }
        if Self.crossed(&u, threshold: m.vThresh, reset: m.vReset, refractory: &refractory[i], ticks: m.refractoryTicks) {
          spikes.append(UInt32(i))
        }
        v[i] = u
      }
    }}}}}}
  }

  /// The LIF update of `updateLIF` (current- or conductance-based) in Float64, without `arithmetic`.
  private mutating func updateDoubleLIF(_ m: SpiNNakerDoubleLIF, slot: Int) {
    let n = count
    let base = slot * 2 * n
    vDouble.withUnsafeMutableBufferPointer { v in
    currentEDouble.withUnsafeMutableBufferPointer { iE in
    currentIDouble.withUnsafeMutableBufferPointer { iI in
    refractory.withUnsafeMutableBufferPointer { refractory in
    ring.withUnsafeMutableBufferPointer { ring in
    wideRing.withUnsafeMutableBufferPointer { wideRing in
      for i in 0..<n {
        if wide {
          iE[i] += m.unitE * wideRing[base + i]
          iI[i] += m.unitI * wideRing[base + n + i]
          wideRing[base + i] = 0
          wideRing[base + n + i] = 0
        } else {
          iE[i] += m.unitE * Double(ring[base + i])
          iI[i] += m.unitI * Double(ring[base + n + i])
          ring[base + i] = 0
          ring[base + n + i] = 0
        }
        var u = v[i]
        if refractory[i] <= 0 {
          let input = m.iOffset + (m.conductance ? iE[i] * (m.eRevE - u) + iI[i] * (m.eRevI - u) : iE[i] - iI[i])
          let alpha = input * m.resistance + m.vRest
          u = alpha - m.expTC * (alpha - u)
        } else {
          refractory[i] -= 1
        }
        if Self.crossed(&u, threshold: m.vThresh, reset: m.vReset, refractory: &refractory[i], ticks: m.refractoryTicks) {
          spikes.append(UInt32(i))
        }
        v[i] = u
        iE[i] *= m.decayE
        iI[i] *= m.decayI
      }
    }}}}}}
  }

  private mutating func updateNIR(_ m: SpiNNakerNIRNeuron, slot: Int, tick k: Int64) {
    let n = count
    let base = slot * 2 * n
    let biased: Float = k >= m.biasOnset ? 1 : 0
    for i in 0..<n {
      let input: Float
      if wide {
        input = Float(wideRing[base + i]) - Float(wideRing[base + n + i])
        wideRing[base + i] = 0
        wideRing[base + n + i] = 0
      } else {
        input = Float(ring[base + i]) - Float(ring[base + n + i])
        ring[base + i] = 0
        ring[base + n + i] = 0
      }
      var u = vFloat[i]
      if m.current {
        currentEFloat[i] = m.decay[i] * currentEFloat[i] + input
        u = m.alpha[i] * u + m.leak[i] + currentEFloat[i] + biased * m.offset[i]
      } else {
        u = m.alpha[i] * u + m.leak[i] + input + biased * m.offset[i]
      }
      if u > m.threshold[i] {
        u = m.subtracts ? u - m.threshold[i] : m.vReset[i]
        spikes.append(UInt32(i))
      }
      vFloat[i] = u
    }
  }

  private mutating func updatePoisson(_ kernel: PoissonKernel, tick k: Int64) {
    guard kernel.active(step: k) else { return }
    kernel.cumulative.withUnsafeBufferPointer { cdf in
      for i in 0..<count {
        for _ in 0..<kernel.draw(&streams[i], cdf) { spikes.append(UInt32(i)) }
      }
    }
  }

  private mutating func updateSpikeArray(tick k: Int64) {
    for i in 0..<count {
      for _ in 0..<spikeArrays.spikes(neuron: i, step: k) { spikes.append(UInt32(i)) }
    }
  }
}
