import Fabric
import Model

/// One HICANN in a run (docs/hardware.md §1.8, §1.9, §5): its analog neurons, the L1 buses that start
/// at its sending repeaters, its FPGA link, and the synaptic events that reach its drivers.
///
/// A bus is a serial channel: an event occupies it for one word time; the merger in front of it
/// holds up to `merger_buffer` events that find it busy and sends them one after another, and an
/// event that finds the buffer full is lost (a collision, counted per bus). Events from the FPGA (played-in spike sources and
/// spikes from other wafers) enter at most one per input slot of the HICANN's link; one that would
/// wait longer than the FPGA's buffer is dropped as late. A neuron's spikes for other wafers leave
/// through the same link at most one per output slot. Synaptic events arrive after the bus's
/// HICANN segments and take effect at the next step. Without `collisions` the merger and FPGA
/// buffers are unbounded (events wait, none is dropped); without `mismatch` the denmems are nominal.
public struct BrainScaleS1HICANN {
  public let index: Int
  public var neurons: AnalogNeurons
  let input: HICANNInput
  let system: BrainScaleS1System
  /// Global cell of each local neuron, its own bus, and the FPGA inputs of other wafers it feeds.
  public let cells: [Int]
  let busOfNeuron: [Int32]
  let remote: [[Int32]]
  /// Bus events waiting for their bus (time, local bus, cell; `fromFPGA` still needs its link slot).
  var busQueue = MinHeap<BusEvent>()
  var arrivals = MinHeap<Arrival>()
  /// The buses that start at this HICANN's sending repeaters (global ids), and when each is free again.
  public let buses: [Int32]
  let localBus: [Int32: Int32]
  var busFree: [HardwareTime]
  /// The longest an event may wait for its bus behind the merger, and for an FPGA link slot,
  /// before it is dropped: `merger_buffer` words and `buffer_ns`, or unbounded without `collisions`.
  let mergerWait: HardwareTime
  let linkWait: HardwareTime
  var linkInFree: HardwareTime = 0
  var linkOutFree: HardwareTime = 0
  /// Events each local bus carried, and events it lost in collisions.
  public private(set) var busEvents: [UInt64]
  public private(set) var collisions: [UInt64]
  public private(set) var lateInput: UInt64 = 0
  public private(set) var lateOutput: UInt64 = 0
  public private(set) var sentToFPGA: UInt64 = 0
  public private(set) var synapticEvents: UInt64 = 0
  /// Spikes of the last step (local neuron, time), and the bus events that passed (bus, cell, time).
  public private(set) var spikeNeurons: [Int32] = []
  public private(set) var spikeTimes: [HardwareTime] = []
  public private(set) var passed: [(bus: Int32, cell: UInt32, time: HardwareTime)] = []
  /// Spikes for other wafers that left through the FPGA: (input bus there, cell, time at the FPGA).
  public private(set) var l2: [(bus: Int32, cell: UInt32, time: HardwareTime)] = []
  var crossings: [(neuron: Int32, fraction: Double)] = []
  /// Spike sources the FPGA plays in, with the local bus each goes on.
  var playback: [(bus: Int32, source: SpikePlayback)] = []

  /// A synaptic event of routing entry `entry` reaching the drivers at `time`.
  struct Arrival: Comparable {
    var time: HardwareTime
    var entry: Int32
    static func < (a: Arrival, b: Arrival) -> Bool { (a.time, a.entry) < (b.time, b.entry) }
  }

  struct BusEvent: Comparable {
    var time: HardwareTime
    var bus: Int32
    var cell: UInt32
    var fromFPGA: Bool
    static func < (a: BusEvent, b: BusEvent) -> Bool { (a.time, a.bus, a.cell, a.fromFPGA ? 1 : 0) < (b.time, b.bus, b.cell, b.fromFPGA ? 1 : 0) }
  }

  public init(index: Int, configuration: HICANNConfiguration, system: BrainScaleS1System, network: Network, seed: UInt64) {
    self.index = index
    self.system = system
    input = configuration.input
    let logical = configuration.neurons
    cells = configuration.cells
    remote = configuration.remoteInputBuses
    buses = configuration.buses
    localBus = Dictionary(uniqueKeysWithValues: buses.enumerated().map { ($1, Int32($0)) })
    busFree = [HardwareTime](repeating: 0, count: buses.count)
    busEvents = [UInt64](repeating: 0, count: buses.count)
    collisions = busEvents
    let ownBus = localBus
    busOfNeuron = configuration.busOfNeuron.map { $0 >= 0 ? ownBus[$0]! : -1 }
    let wordTime = system.hardwareTime(nanoseconds: system.l1.wordTimeNanoseconds)
    mergerWait = system.dropsEvents ? wordTime * HardwareTime(system.l1.mergerBuffer) : .max
    linkWait = system.dropsEvents ? system.hardwareTime(nanoseconds: system.l2.bufferNanoseconds) : .max
    let mismatch = system.mismatchModelled
    let spread = system.calibrated ? system.mismatch.calibrated : system.mismatch.uncalibrated
    let wafer = index / Wafer.hicanns, onWafer = index % Wafer.hicanns
    let draws: [FixedPatternNoise.Draw?] = logical.map { n in
      guard mismatch else { return nil }
      // Circuits keyed by (wafer, HICANN, denmem): the stream's group is the global HICANN.
      return FixedPatternNoise.mean((0..<n.denmems).map {
        FixedPatternNoise.draw(seed: seed, chip: wafer * Wafer.hicanns + onWafer, circuit: n.column * 2 + $0)
      })
    }
    let initial = logical.map { network.populations[$0.population].drawInitialVoltage(neuron: $0.index, population: $0.population, seed: seed) }
    neurons = AnalogNeurons(cellTypes: logical.map { network.populations[$0.population].cellType }, draws: draws, spread: spread,
                            initial: initial, dt: system.dt, refractoryTime: { $0 })
    // Spike sources the FPGA plays in onto this HICANN's buses.
    let offsets = network.populationOffsets
    for (bus, cell) in configuration.playedIn {
      let p = offsets.lastIndex { $0 <= cell }!
      if let source = SpikePlayback(network: network, cell: cell, population: p, index: cell - offsets[p], seed: seed) {
        playback.append((localBus[bus]!, source))
      }
    }
  }

  /// Queues the spike-source events the FPGA plays in before hardware time `end`.
  public mutating func playBack(until end: HardwareTime) {
    for s in playback.indices {
      while playback[s].source.next.isFinite {
        let time = system.hardwareTime(bioMilliseconds: playback[s].source.next)
        guard time < end else { break }
        busQueue.push(BusEvent(time: time, bus: playback[s].bus, cell: playback[s].source.cell, fromFPGA: true))
        playback[s].source.advance()
      }
    }
  }

  /// A spike from another wafer, arriving through the FPGA for input bus `bus`.
  public mutating func receiveFromFPGA(bus: Int32, cell: UInt32, time: HardwareTime) {
    busQueue.push(BusEvent(time: time, bus: localBus[bus]!, cell: cell, fromFPGA: true))
  }

  /// A synaptic event of `cell` arriving at this HICANN's drivers at `time`.
  public mutating func receive(cell: UInt32, time: HardwareTime) {
    guard let e = input.entry(of: cell) else { return }
    arrivals.push(Arrival(time: time, entry: Int32(e)))
  }

  /// Step k: bus events up to the step's start take their bus (or collide), synaptic events that
  /// arrived take effect, the neurons integrate, and their spikes queue for their buses and the FPGA.
  public mutating func step(_ k: Int64) {
    let start = k * system.stepTime, wordTime = system.hardwareTime(nanoseconds: system.l1.wordTimeNanoseconds)
    passed.removeAll(keepingCapacity: true)
    while let e = busQueue.first, e.time <= start {
      var event = busQueue.pop()
      if event.fromFPGA {
        let slot = max(event.time, linkInFree)
        guard slot - event.time <= linkWait else { lateInput += 1; continue }
        linkInFree = slot + HardwareTime((1e12 / system.l2.hicannInputRate).rounded())
        event.fromFPGA = false
        if slot > event.time {
          event.time = slot
          busQueue.push(event)
          continue
        }
      }
      let b = Int(event.bus)
      let wait = max(0, busFree[b] - event.time)
      guard wait <= mergerWait else {
        collisions[b] += 1
        continue
      }
      busFree[b] = event.time + wait + wordTime
      busEvents[b] += 1
      passed.append((buses[b], event.cell, event.time + wait))
    }
    while let a = arrivals.first, a.time <= start {
      arrivals.pop()
      let e = Int(a.entry)
      let range = Int(input.targetStart[e])..<Int(input.targetStart[e + 1])
      synapticEvents += UInt64(range.count)
      for j in range { neurons.receive(Int(input.targetNeuron[j]), weight: input.targetWeight[j]) }
    }
    crossings.removeAll(keepingCapacity: true)
    neurons.step(spikes: &crossings)
    spikeNeurons.removeAll(keepingCapacity: true)
    spikeTimes.removeAll(keepingCapacity: true)
    l2.removeAll(keepingCapacity: true)
    guard !crossings.isEmpty else { return }
    crossings.sort { ($0.fraction, $0.neuron) < ($1.fraction, $1.neuron) }
    let stepTime = Double(system.stepTime), outSlot = HardwareTime((1e12 / system.l2.hicannOutputRate).rounded())
    for (n, fraction) in crossings {
      let time = start + HardwareTime((fraction * stepTime).rounded())
      spikeNeurons.append(n)
      spikeTimes.append(time)
      let cell = UInt32(cells[Int(n)])
      if busOfNeuron[Int(n)] >= 0 { busQueue.push(BusEvent(time: time, bus: busOfNeuron[Int(n)], cell: cell, fromFPGA: false)) }
      guard !remote[Int(n)].isEmpty else { continue }
      let slot = max(time, linkOutFree)
      guard slot - time <= linkWait else { lateOutput += 1; continue }
      linkOutFree = slot + outSlot
      sentToFPGA += 1
      for bus in remote[Int(n)] { l2.append((bus, cell, slot)) }
    }
  }
}
