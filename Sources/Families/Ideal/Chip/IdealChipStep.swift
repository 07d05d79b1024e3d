#if canImport(Glibc)
import Glibc
#endif
import Model

extension IdealChip {
  /// Advances every neuron of the chip over step `k` (from k·dt to (k+1)·dt), consuming the input
  /// due in this step; `spikes` then holds the neurons that fired, stamped (k+1)·dt.
  public mutating func step(_ k: Int64) {
    spikes.removeAll(keepingCapacity: true)
    while nextChange < changes.count && changes[nextChange].step <= k {
      kernels[changes[nextChange].slice] = changes[nextChange].kernel
      nextChange += 1
    }
    if !stimuli.isEmpty { updateStimuli(time: Double(k) * dt) }
    let n = neuronCount
    let slotBase = Int(k & ringMask) * 2 * n
    for (g, slice) in slices.enumerated() {
      let lo = slice.chipOffset, hi = lo + slice.count
      switch kernels[g] {
      case let .currentLIF(kernel): stepCurrentLIF(kernel, lo, hi, slotBase)
      case let .conductanceLIF(kernel): stepConductanceLIF(kernel, lo, hi, slotBase)
      case let .currentAlpha(kernel): stepCurrentAlpha(kernel, lo, hi, slotBase)
      case let .conductanceAlpha(kernel): stepConductanceAlpha(kernel, lo, hi, slotBase)
      case let .adex(kernel): stepAdEx(kernel, lo, hi, slotBase)
      case let .poisson(kernel): stepPoisson(kernel, lo, hi, k, streamOffset[g])
      case .spikeArray: stepSpikeArray(lo, hi, k)
      case let .nir(kernel): stepNIR(kernel, lo, hi, slotBase, k)
      }
    }
    ring.withUnsafeMutableBufferPointer { r in
      (r.baseAddress! + slotBase).update(repeating: 0, count: 2 * n)
    }
  }

  /// Adds the synapses of source `key` to the ring: each synapse's input is due `delay` steps
  /// after `baseStep`, but never before `earliestStep` (when the packet arrived).
  /// `count` spikes of the source at once add `count` times the weight (integer input: the same sum).
  @inline(__always)
  public mutating func deliver(key: UInt32, baseStep: Int64, earliestStep: Int64, count: Int64 = 1) {
    let start = rowStart[Int(key)], end = rowStart[Int(key) + 1]
    guard end > start else { return }
    let n = neuronCount, mask = ringMask
    var late: UInt64 = 0
    ring.withUnsafeMutableBufferPointer { ring in
      synapseTarget.withUnsafeBufferPointer { targets in
        synapseWeight.withUnsafeBufferPointer { weights in
          for s in start..<end {
            let packed = targets[s]
            var due = baseStep + Int64(packed >> 21)
            if due < earliestStep {
              due = earliestStep
              late &+= 1
            }
            let index = (Int(due & mask) * 2 + Int((packed >> 20) & 1)) * n + Int(packed & 0xF_FFFF)
            ring[index] &+= Int64(Double(weights[s]) * inputScale) &* count
          }
        }
      }
    }
    synapticEvents &+= UInt64(end - start) &* UInt64(count)
    lateEvents &+= late &* UInt64(count)
  }

  private mutating func updateStimuli(time t: Double) {
    for (local, _) in stimuli { stimulusCurrent[local] = 0 }
    for (local, waveform) in stimuli {
      switch waveform {
      case let .dc(amplitude, start, stop):
        if t >= start && t < stop { stimulusCurrent[local] += amplitude }
      case let .step(times, amplitudes):
        if let i = times.lastIndex(where: { $0 <= t }) { stimulusCurrent[local] += amplitudes[i] }
      }
    }
  }

  private mutating func stepCurrentLIF(_ c: CurrentLIFKernel, _ lo: Int, _ hi: Int, _ slotBase: Int) {
    let n = neuronCount
    v.withUnsafeMutableBufferPointer { v in
    synE.withUnsafeMutableBufferPointer { iE in
    synI.withUnsafeMutableBufferPointer { iI in
    refractory.withUnsafeMutableBufferPointer { refractory in
    stimulusCurrent.withUnsafeBufferPointer { stimulus in
    ring.withUnsafeBufferPointer { ring in
      for i in lo..<hi {
        var u = v[i]
        if refractory[i] == 0 {
          u = c.vRest + c.p22 * (u - c.vRest) + c.p21e * iE[i] - c.p21i * iI[i] + c.p20 * (c.iOffset + stimulus[i])
        } else {
          refractory[i] -= 1
        }
        iE[i] = iE[i] * c.p11e + Double(ring[slotBase + i]) * inputUnit
        iI[i] = iI[i] * c.p11i + Double(ring[slotBase + n + i]) * inputUnit
        if u >= c.vThresh {
          refractory[i] = c.refractorySteps
          u = c.vReset
          spikes.append(UInt32(i))
        }
        v[i] = u
      }
    }}}}}}
  }

  private mutating func stepCurrentAlpha(_ c: CurrentAlphaKernel, _ lo: Int, _ hi: Int, _ slotBase: Int) {
    let n = neuronCount
    v.withUnsafeMutableBufferPointer { v in
    synE.withUnsafeMutableBufferPointer { iE in
    synI.withUnsafeMutableBufferPointer { iI in
    riseE.withUnsafeMutableBufferPointer { dE in
    riseI.withUnsafeMutableBufferPointer { dI in
    refractory.withUnsafeMutableBufferPointer { refractory in
    stimulusCurrent.withUnsafeBufferPointer { stimulus in
    ring.withUnsafeBufferPointer { ring in
      for i in lo..<hi {
        var u = v[i]
        if refractory[i] == 0 {
          u = c.vRest + c.p22 * (u - c.vRest) + c.p31e * dE[i] + c.p32e * iE[i] - c.p31i * dI[i] - c.p32i * iI[i]
            + c.p20 * (c.iOffset + stimulus[i])
        } else {
          refractory[i] -= 1
        }
        iE[i] = c.p21e * dE[i] + c.p11e * iE[i]
        iI[i] = c.p21i * dI[i] + c.p11i * iI[i]
        dE[i] = c.p11e * dE[i] + Double(ring[slotBase + i]) * inputUnit * c.jumpE
        dI[i] = c.p11i * dI[i] + Double(ring[slotBase + n + i]) * inputUnit * c.jumpI
        if u >= c.vThresh {
          refractory[i] = c.refractorySteps
          u = c.vReset
          spikes.append(UInt32(i))
        }
        v[i] = u
      }
    }}}}}}}}
  }

  private mutating func stepConductanceAlpha(_ a: ConductanceAlphaKernel, _ lo: Int, _ hi: Int, _ slotBase: Int) {
    let n = neuronCount, h = dt, c = a.membrane
    for i in lo..<hi {
      let gE = synE[i], gI = synI[i], dE = riseE[i], dI = riseI[i]
      let endE = (gE + dE * h) * c.p11e, endI = (gI + dI * h) * c.p11i
      let (u, fired) = c.step(v[i], refractory: &refractory[i], start: (gE, gI),
                              middle: ((gE + dE * h / 2) * c.halfE, (gI + dI * h / 2) * c.halfI), end: (endE, endI),
                              current: c.iOffset + stimulusCurrent[i], h: h)
      if fired { spikes.append(UInt32(i)) }
      synE[i] = endE
      synI[i] = endI
      riseE[i] = dE * c.p11e + Double(ring[slotBase + i]) * inputUnit * a.jumpE
      riseI[i] = dI * c.p11i + Double(ring[slotBase + n + i]) * inputUnit * a.jumpI
      v[i] = u
    }
  }

  private mutating func stepConductanceLIF(_ c: ConductanceLIFKernel, _ lo: Int, _ hi: Int, _ slotBase: Int) {
    let n = neuronCount, h = dt
    for i in lo..<hi {
      let gE = synE[i], gI = synI[i]
      let (u, fired) = c.step(v[i], refractory: &refractory[i], start: (gE, gI), middle: (gE * c.halfE, gI * c.halfI),
                              end: (gE * c.p11e, gI * c.p11i), current: c.iOffset + stimulusCurrent[i], h: h)
      if fired { spikes.append(UInt32(i)) }
      synE[i] = gE * c.p11e + Double(ring[slotBase + i]) * inputUnit
      synI[i] = gI * c.p11i + Double(ring[slotBase + n + i]) * inputUnit
      v[i] = u
    }
  }

  private mutating func stepAdEx(_ c: AdExKernel, _ lo: Int, _ hi: Int, _ slotBase: Int) {
    let n = neuronCount, h = c.h
    for i in lo..<hi {
      var u = v[i], w = adaptation[i], e = synE[i], g = synI[i]
      let current = c.iOffset + stimulusCurrent[i]
      var fired = false
      for _ in 0..<c.substeps {
        // As NEST's aeif models: while refractory V is held at V_reset (no stage moves it), and
        // after a spike without a refractory period the integration goes on from V_reset.
        let held = refractory[i] > 0 || (fired && c.refractorySteps > 0)
        if held { u = c.vReset }
        let move = held ? 0.0 : 1.0
        let (v1, w1) = c.derivatives(u, w, e, g, current)
        let (v2, w2) = c.derivatives(u + move * h / 2 * v1, w + h / 2 * w1, e * c.halfE, g * c.halfI, current)
        let (v3, w3) = c.derivatives(u + move * h / 2 * v2, w + h / 2 * w2, e * c.halfE, g * c.halfI, current)
        let (v4, w4) = c.derivatives(u + move * h * v3, w + h * w3, e * c.decayE, g * c.decayI, current)
        w += h / 6 * (w1 + 2 * w2 + 2 * w3 + w4)
        if !held {
          u += h / 6 * (v1 + 2 * v2 + 2 * v3 + v4)
          if u >= c.vSpike || !u.isFinite {
            fired = true
            u = c.vReset
            w += c.b
          }
        }
        e *= c.decayE
        g *= c.decayI
      }
      if refractory[i] > 0 {
        refractory[i] -= 1
        u = c.vReset
      }
      if fired {
        refractory[i] = c.refractorySteps
        spikes.append(UInt32(i))
      }
      v[i] = u
      adaptation[i] = w
      synE[i] = e + Double(ring[slotBase + i]) * inputUnit
      synI[i] = g + Double(ring[slotBase + n + i]) * inputUnit
    }
  }

  /// NIR's discrete step: this step's input (spikes that arrived, bias and any current stimulus)
  /// drives the synaptic current, or the membrane directly; the membrane sees the current of the
  /// step before; a spike is v strictly above threshold.
  private mutating func stepNIR(_ c: NIRNeuronKernel, _ lo: Int, _ hi: Int, _ slotBase: Int, _ k: Int64) {
    let n = neuronCount
    let biased = k >= c.biasOnset ? 1.0 : 0.0
    let synapse = c.kind.hasSynapse, subtracts = c.subtracts
    v.withUnsafeMutableBufferPointer { v in
    synE.withUnsafeMutableBufferPointer { current in
    ring.withUnsafeBufferPointer { ring in
    stimulusCurrent.withUnsafeBufferPointer { stimulus in
    c.aMem.withUnsafeBufferPointer { aMem in
    c.leak.withUnsafeBufferPointer { leak in
    c.gMem.withUnsafeBufferPointer { gMem in
    c.aSyn.withUnsafeBufferPointer { aSyn in
    c.gSyn.withUnsafeBufferPointer { gSyn in
    c.threshold.withUnsafeBufferPointer { threshold in
    c.bias.withUnsafeBufferPointer { bias in
      for i in lo..<hi {
        let j = i - lo
        let x = Double(ring[slotBase + i] &- ring[slotBase + n + i]) * inputUnit + biased * bias[j] + stimulus[i]
        var u = v[i]
        if synapse {
          let old = current[i]
          current[i] = aSyn[j] * old + gSyn[j] * x
          u = aMem[j] * u + leak[j] + gMem[j] * old
        } else {
          u = aMem[j] * u + leak[j] + gMem[j] * x
        }
        if u > threshold[j] {
          u = subtracts ? u - threshold[j] : c.vReset[j]
          spikes.append(UInt32(i))
        }
        v[i] = u
      }
    }}}}}}}}}}}
  }

  private mutating func stepPoisson(_ c: PoissonKernel, _ lo: Int, _ hi: Int, _ k: Int64, _ streamBase: Int) {
    guard c.active(step: k) else { return }
    c.cumulative.withUnsafeBufferPointer { cdf in
      for i in lo..<hi {
        let count = c.draw(&poissonStreams[streamBase + i - lo], cdf)
        guard count > 0 else { continue }
        if deliversInStep[i] {
          deliver(key: globalIds[i], baseStep: k, earliestStep: k + 1, count: Int64(count))
        } else {
          for _ in 0..<count { spikes.append(UInt32(i)) }
        }
      }
    }
  }

  /// Lets the neurons for which `routed` is false deliver during the step when their spikes are
  /// not recorded (`deliversInStep`); a routed neuron's spikes leave through `spikes`.
  public mutating func deliverInStep(unlessRouted routed: (Int) -> Bool) {
    deliversInStep = (0..<neuronCount).map { !spikeRecorded[$0] && !routed($0) }
  }

  private mutating func stepSpikeArray(_ lo: Int, _ hi: Int, _ k: Int64) {
    for i in lo..<hi {
      for _ in 0..<spikeArrays.spikes(neuron: i, step: k) { spikes.append(UInt32(i)) }
    }
  }
}
