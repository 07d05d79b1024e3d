import Fabric
import Model

/// One HICANN-X chip in a run (docs/hardware.md §2.7, §5): its analog neurons, and its event routing
/// cycle-approximate at the bus clock. Every event goes through the crossbar to an output (a PADI
/// bus, or an L2 output towards the FPGA) that takes one event per bus cycle; an event that finds
/// its output busy in that cycle is dropped and counted on its crossbar input, as the hardware's
/// drop counters do. PADI events reach the synapses whose label they carry; spike sources are played
/// in by the FPGA at their spike times; events from other chips arrive after the FPGA path.
/// Run without `arbitration`, every output takes any number of events per cycle; without
/// `fpga-latency`, a chip crossing adds nothing to the on-chip path (decided at init).
public struct BrainScaleS2Chip {
  public let index: Int
  public var neurons: AnalogNeurons
  let routing: BrainScaleS2ChipRouting
  let system: BrainScaleS2System
  /// Global cell of each local neuron, and its routing entries on this chip.
  public let cells: [Int]
  let localEntries: [Range<Int>]
  let sendsOffChip: [Bool]
  /// Neuron event output (crossbar input) of each local neuron.
  let eventOutputOf: [UInt8]
  /// PADI buses each neuron event output's nodes reach, and whether it reaches its L2 output.
  let outputBuses: [[UInt8]]
  let outputToL2: [Bool]
  var queue = MinHeap<CrossbarEvent>()
  /// Last bus cycle each crossbar output was used in.
  var lastCycle = [Int64](repeating: -1, count: HICANNX.crossbarOutputs)
  /// Last cycle each L2 input channel from the FPGA carried an event in, and that event's source.
  var l2InputCycle = [Int64](repeating: -1, count: HICANNX.l2Channels)
  var l2InputSource = [UInt32](repeating: .max, count: HICANNX.l2Channels)
  /// Events the FPGA dropped because they could not be sent in time, per L2 channel.
  public private(set) var lateDrops = [UInt64](repeating: 0, count: HICANNX.l2Channels)
  public private(set) var inputDrops = [UInt64](repeating: 0, count: HICANNX.crossbarInputs)
  public private(set) var outputEvents = [UInt64](repeating: 0, count: HICANNX.crossbarOutputs)
  public private(set) var outputDrops = [UInt64](repeating: 0, count: HICANNX.crossbarOutputs)
  public private(set) var synapticEvents: UInt64 = 0
  /// Spikes of the last step: local neuron and time.
  public private(set) var spikeNeurons: [Int32] = []
  public private(set) var spikeTimes: [HardwareTime] = []
  /// Spikes of the last step that left through an L2 output: (cell, time at the FPGA).
  public private(set) var sent: [(cell: Int, time: HardwareTime)] = []
  var crossings: [(neuron: Int32, fraction: Double)] = []
  var playback: [SpikePlayback] = []
  /// Whether crossbar outputs and L2 channels arbitrate (`arbitration` on); the FPGA path's latency (0 without `fpga-latency`).
  let arbitrates: Bool
  let fpgaPathLatency: HardwareTime
  let stimuli: [(neuron: Int, waveform: CurrentStimulus.Waveform)]

  public init(index: Int, configuration: BrainScaleS2ChipConfiguration, network: Network, system: BrainScaleS2System, seed: UInt64) {
    self.index = index
    self.system = system
    routing = configuration.routing
    let logical = configuration.neurons
    cells = configuration.cells
    let spread = system.calibrated ? system.mismatch.calibrated : system.mismatch.uncalibrated
    let draws: [FixedPatternNoise.Draw?] = logical.map { n in
      guard system.hasMismatch else { return nil }
      return FixedPatternNoise.mean((n.circuit..<(n.circuit + n.circuits)).map { FixedPatternNoise.draw(seed: seed, chip: index, circuit: $0) })
    }
    let initial = logical.map { network.populations[$0.population].drawInitialVoltage(neuron: $0.index, population: $0.population, seed: seed) }
    neurons = AnalogNeurons(cellTypes: logical.map { network.populations[$0.population].cellType }, draws: draws, spread: spread,
                            initial: initial, dt: system.dt, refractoryTime: system.refractoryTime(bioMilliseconds:))
    let r = routing
    localEntries = cells.map { r.entries(of: UInt32($0)) }
    eventOutputOf = logical.map { UInt8(HICANNX.eventOutput(column: $0.column)) }
    let nodes = routing.crossbarNodes.filter { Int($0.input) < HICANNX.eventOutputs }
    outputBuses = (0..<HICANNX.eventOutputs).map { o in nodes.filter { Int($0.input) == o && Int($0.output) < 2 * HICANNX.busesPerHemisphere }.map(\.output) }
    outputToL2 = (0..<HICANNX.eventOutputs).map { o in nodes.contains { Int($0.input) == o && Int($0.output) >= 2 * HICANNX.busesPerHemisphere } }
    sendsOffChip = configuration.sendsOffChip
    arbitrates = system.models(.arbitration)
    fpgaPathLatency = system.fpgaPathLatency

    var stimuli: [(neuron: Int, waveform: CurrentStimulus.Waveform)] = []
    for stimulus in network.stimuli {
      let wanted = stimulus.neurons.map(Set.init)
      for (n, neuron) in logical.enumerated() where network.populations[neuron.population].label == stimulus.target {
        if wanted?.contains(neuron.index) ?? true { stimuli.append((n, stimulus.waveform)) }
      }
    }
    self.stimuli = stimuli

    let offsets = network.populationOffsets
    for cell in configuration.playedIn {
      let p = offsets.lastIndex { $0 <= cell }!
      if let source = SpikePlayback(network: network, cell: cell, population: p, index: cell - offsets[p], seed: seed) {
        playback.append(source)
      }
    }
  }

  /// Events that passed the PADI buses, and the L2 outputs towards the FPGA.
  public var busEvents: UInt64 { outputEvents[0..<8].reduce(0, +) }
  public var l2Events: UInt64 { outputEvents[8...].reduce(0, +) }
  public var l2Drops: UInt64 { outputDrops[8...].reduce(0, +) }
  public var totalDrops: UInt64 { inputDrops.reduce(0, +) + lateDrops.reduce(0, +) }

  /// Queues the events the FPGA plays in before hardware time `end`.
  public mutating func playBack(until end: HardwareTime) {
    for s in playback.indices {
      while playback[s].next.isFinite {
        let time = system.hardwareTime(bioMilliseconds: playback[s].next)
        guard time < end else { break }
        for e in routing.entries(of: playback[s].cell) {
          queue.push(CrossbarEvent(time: time, input: routing.entryInput[e], entry: Int32(e)))
        }
        playback[s].advance()
      }
    }
  }

  /// Queues an event of another chip's neuron that arrives from the FPGA at `time`.
  public mutating func receive(cell: UInt32, time: HardwareTime) {
    for e in routing.entries(of: cell) {
      queue.push(CrossbarEvent(time: time, input: routing.entryInput[e], entry: Int32(e)))
    }
  }

  /// Whether crossbar output `output` is free in the cycle of `time`; takes it if so. Without
  /// `arbitration` it always is.
  @inline(__always)
  mutating func arbitrate(output: Int, input: Int, time: HardwareTime) -> Bool {
    guard arbitrates else {
      outputEvents[output] += 1
      return true
    }
    let cycle = time / system.busCycle
    guard cycle > lastCycle[output] else {
      inputDrops[input] += 1
      outputDrops[output] += 1
      return false
    }
    lastCycle[output] = cycle
    outputEvents[output] += 1
    return true
  }

  /// The FPGA sends one event per cycle on each L2 channel and buffers the rest (docs/hardware.md §2.6:
  /// labels to the chip are processed one pack per cycle); an event that finds its channel taken
  /// in its cycle gets the next free one, unless that is more than the FPGA's buffer of cycles late:
  /// then it is dropped as late. Both hemispheres' entries of a source are one event. Returns the
  /// event moved to its cycle (marked as scheduled; entry -1 when dropped), or nil when it goes now
  /// (always without `arbitration`).
  @inline(__always)
  mutating func serialise(_ e: CrossbarEvent) -> CrossbarEvent? {
    guard arbitrates && e.input & Self.scheduled == 0 else { return nil }
    let channel = Int(e.input) - HICANNX.eventOutputs
    let cycle = e.time / system.busCycle, source = routing.entrySource[Int(e.entry)]
    if cycle > l2InputCycle[channel] {
      l2InputCycle[channel] = cycle
      l2InputSource[channel] = source
      return nil
    }
    if source != l2InputSource[channel] {
      guard l2InputCycle[channel] + 1 - cycle <= system.fpgaBufferCycles else {
        lateDrops[channel] += 1
        return CrossbarEvent(time: .max, input: 0, entry: -1)
      }
      l2InputCycle[channel] += 1
      l2InputSource[channel] = source
    } else if cycle == l2InputCycle[channel] {
      return nil
    }
    return CrossbarEvent(time: l2InputCycle[channel] * system.busCycle, input: e.input | Self.scheduled, entry: e.entry)
  }

  /// Marks an L2 event that already has its cycle.
  static let scheduled: UInt8 = 0x80

  /// Step k: delivers the events that reached the synapses by the step's start, integrates, and
  /// sends this step's spikes to the crossbar.
  public mutating func step(_ k: Int64) {
    let start = k * system.stepTime
    while let e = queue.first, e.time <= start {
      _ = queue.pop()
      if e.entry < 0 {
        _ = arbitrate(output: Int(-1 - e.entry), input: Int(e.input), time: e.time)
        continue
      }
      let entry = Int(e.entry)
      if e.input >= HICANNX.eventOutputs, let delayed = serialise(e) {
        if delayed.entry >= 0 { queue.push(delayed) }
        continue
      }
      guard arbitrate(output: Int(routing.entryBus[entry]), input: Int(e.input & ~Self.scheduled), time: e.time) else { continue }
      let range = Int(routing.targetStart[entry])..<Int(routing.targetStart[entry + 1])
      synapticEvents += UInt64(range.count)
      for j in range { neurons.receive(Int(routing.targetNeuron[j]), weight: routing.targetWeight[j]) }
    }
    if !stimuli.isEmpty { updateStimuli(bioTime: Double(k) * system.dt) }
    crossings.removeAll(keepingCapacity: true)
    neurons.step(spikes: &crossings)
    spikeNeurons.removeAll(keepingCapacity: true)
    spikeTimes.removeAll(keepingCapacity: true)
    sent.removeAll(keepingCapacity: true)
    guard !crossings.isEmpty else { return }
    let stepTime = Double(system.stepTime)
    crossings.sort { ($0.fraction, $0.neuron) < ($1.fraction, $1.neuron) }
    for (n, fraction) in crossings {
      let time = start + HardwareTime((fraction * stepTime).rounded())
      spikeNeurons.append(n)
      spikeTimes.append(time)
      let arrival = time + system.onChipLatency, input = eventOutputOf[Int(n)]
      // The event takes every bus its output's nodes reach; where it has no synapses it only occupies the cycle.
      let entries = localEntries[Int(n)]
      for bus in outputBuses[Int(input)] {
        let e = entries.first { routing.entryBus[$0] == bus }
        queue.push(CrossbarEvent(time: arrival, input: input, entry: e.map(Int32.init) ?? -1 - Int32(bus)))
      }
      if outputToL2[Int(input)] {
        let passed = arbitrate(output: 2 * HICANNX.busesPerHemisphere + HICANNX.bus(eventOutput: Int(input)), input: Int(input), time: arrival)
        if passed && sendsOffChip[Int(n)] { sent.append((cells[Int(n)], arrival + fpgaPathLatency)) }
      }
    }
  }

  private mutating func updateStimuli(bioTime t: Double) {
    for (n, _) in stimuli { neurons.setStimulus(n, 0) }
    for (n, waveform) in stimuli {
      switch waveform {
      case let .dc(amplitude, start, stop):
        if t >= start && t < stop { neurons.setStimulus(n, neurons.stimulus(n) + amplitude) }
      case let .step(times, amplitudes):
        if let i = times.lastIndex(where: { $0 <= t }) { neurons.setStimulus(n, neurons.stimulus(n) + amplitudes[i]) }
      }
    }
  }
}
