import Fabric
import Model

/// A problem building a chip of the ideal system, naming the chip and the limit.
public enum IdealChipError: Error, CustomStringConvertible, Equatable {
  case tooManyNeurons(chip: Int, count: Int)
  case delayTooLong(projection: String, delay: Double, maximum: Double)
  case weightOutOfRange(projection: String, weight: Double)

  public var description: String {
    switch self {
    case let .tooManyNeurons(chip, count):
      return "chip \(chip) would hold \(count) neurons; an ideal chip addresses at most \(IdealChip.maximumNeurons): add chips to the topology"
    case let .delayTooLong(projection, delay, maximum):
      return "projection '\(projection)': delay \(delay) ms exceeds the \(String(format: "%g", maximum)) ms an ideal synapse can hold (2047 steps)"
    case let .weightOutOfRange(projection, weight):
      return "projection '\(projection)': weight \(weight) is outside ±1e6"
    }
  }
}

/// One chip of the ideal system: the slices placed on it, their state in structure-of-arrays
/// form, its synapses grouped by source key (CSR, 8 bytes each), and ring buffers of synaptic
/// input indexed by step. Steps on the grid k·dt; spikes of step k carry time (k+1)·dt.
public struct IdealChip {
  public static let maximumNeurons = 1 << 20
  /// The longest delay a synapse holds, in steps (bits 21–31 of its target word).
  public static let maximumDelaySteps = 2047

  /// A delay in whole steps of `dt`, at least one: what a synapse holds.
  @inline(__always)
  public static func delaySteps(_ delay: Double, dt: Double) -> Int { max(1, Int((delay / dt).rounded())) }

  public let index: Int
  public let slices: [Slice]
  public let neuronCount: Int
  /// Global id (network-wide cell number, the routing key) of each neuron of the chip.
  public let globalIds: [UInt32]
  /// Whether each neuron's spikes are recorded.
  public let spikeRecorded: [Bool]

  // Dynamics: one kernel per slice, state per neuron.
  var kernels: [Kernel]
  /// The network's parameter changes on this chip's slices, in step order: from `step` on, slice
  /// `slice` runs `kernel`.
  let changes: [(step: Int64, slice: Int, kernel: Kernel)]
  var nextChange = 0
  public internal(set) var v: [Double]
  var synE: [Double]
  var synI: [Double]
  /// The rate states of alpha-shaped synapses (dI/dt or dg/dt); zero for the others.
  var riseE: [Double]
  var riseI: [Double]
  var adaptation: [Double]
  var refractory: [Int32]
  var stimulusCurrent: [Double]
  var poissonStreams: [RandomStream]
  /// Index of each slice's first stream in `poissonStreams`.
  let streamOffset: [Int]
  /// Spike-array sources: per chip-local neuron, its spike steps (empty for other neurons).
  var spikeArrays: SpikeArraySchedule
  let stimuli: [(local: Int, waveform: CurrentStimulus.Waveform)]

  // Synapses: the row of source key s is rowStart[s]..<rowStart[s+1].
  let rowStart: [Int]
  /// Bits 0–19 target neuron on the chip, bit 20 receptor (1 inhibitory), bits 21–31 delay in steps.
  let synapseTarget: [UInt32]
  let synapseWeight: [Float]
  public var synapseCount: Int { synapseTarget.count }

  /// Input per (slot, receptor, neuron), fixed point (see `inputScale`).
  var ring: [Int64]
  let ringMask: Int64
  public let dt: Double

  /// Spikes of the last step, as chip-local neuron indices (repeated for several spikes of a source).
  public internal(set) var spikes: [UInt32] = []
  /// Sources whose spikes only reach this chip's own synapses and are not recorded: their spikes
  /// go into the ring during the step and never appear in `spikes` (the Poisson drive of most
  /// networks, tens of spikes per neuron and step, would otherwise pass the router one by one).
  var deliversInStep: [Bool] = []
  /// Synaptic events delivered, and those the fabric delivered later than their delay asked.
  public internal(set) var synapticEvents: UInt64 = 0
  public internal(set) var lateEvents: UInt64 = 0

  enum Kernel {
    case currentLIF(CurrentLIFKernel)
    case conductanceLIF(ConductanceLIFKernel)
    case currentAlpha(CurrentAlphaKernel)
    case conductanceAlpha(ConductanceAlphaKernel)
    case adex(AdExKernel)
    case poisson(PoissonKernel)
    case spikeArray
    case nir(NIRNeuronKernel)
  }

  /// The first step whose start k·dt is at or after `time`: when a change (or a stimulus's start) acts.
  static func firstStep(at time: Double, dt: Double) -> Int64 {
    var k = Int64((time / dt).rounded(.up))
    while k > 0 && Double(k - 1) * dt >= time { k -= 1 }
    while Double(k) * dt < time { k += 1 }
    return k
  }

  /// The kernel that steps slice `s` of cells of `cellType`.
  static func kernel(_ cellType: CellType, slice s: Slice, dt: Double) -> Kernel {
    switch cellType {
    case let .ifCurrExp(p): return .currentLIF(CurrentLIFKernel(p, dt: dt))
    case let .ifCondExp(p): return .conductanceLIF(ConductanceLIFKernel(p, dt: dt))
    case let .ifCurrAlpha(p): return .currentAlpha(CurrentAlphaKernel(p, dt: dt))
    case let .ifCondAlpha(p): return .conductanceAlpha(ConductanceAlphaKernel(p, dt: dt))
    case let .adexCondExp(p): return .adex(AdExKernel(p, conductance: true, dt: dt))
    case let .adexCurrExp(p): return .adex(AdExKernel(p, conductance: false, dt: dt))
    case let .poissonSource(rate, start, stop): return .poisson(PoissonKernel(rate: rate, start: start, stop: stop, dt: dt))
    case .spikeSourceArray: return .spikeArray
    case let .nir(neuron): return .nir(NIRNeuronKernel(neuron, first: s.first, count: s.count, dt: dt))
    }
  }

  /// Builds chip `index` from its slices: state, initial voltages, and every synapse onto its neurons.
  /// `maximumTransitSteps` bounds how late a packet can arrive, to size the ring buffers.
  public init(index: Int, slices: [Slice], generator: SynapseGenerator, dt: Double,
              maximumTransitSteps: Int) throws(IdealChipError) {
    let network = generator.network
    let populationOffsets = network.populationOffsets
    self.index = index
    self.dt = dt
    self.slices = slices
    neuronCount = slices.last.map { $0.chipOffset + $0.count } ?? 0
    guard neuronCount <= Self.maximumNeurons else { throw .tooManyNeurons(chip: index, count: neuronCount) }
    let n = neuronCount
    globalIds = slices.flatMap { s in (s.first..<(s.first + s.count)).map { UInt32(populationOffsets[s.population] + $0) } }

    spikeRecorded = Self.recordedNeurons(slices: slices, network: network).spikes
    deliversInStep = Array(repeating: false, count: neuronCount)

    // Kernels and initial state.
    var kernels: [Kernel] = []
    var v = Array(repeating: 0.0, count: n)
    var streams: [RandomStream] = []
    var streamOffset: [Int] = []
    var spikeArrays = SpikeArraySchedule()
    for s in slices {
      let population = network.populations[s.population]
      let range = s.chipOffset..<(s.chipOffset + s.count)
      let rest = population.cellType.restingPotential
      streamOffset.append(streams.count)
      kernels.append(Self.kernel(population.cellType, slice: s, dt: dt))
      if case .poissonSource = population.cellType {
        for i in 0..<s.count {
          streams.append(RandomStream(seed: generator.seed, purpose: .source, group: UInt32(s.population), member: UInt32(s.first + i)))
        }
      }
      for i in s.first..<(s.first + s.count) {
        guard case let .spikeSourceArray(times) = population.cellType else {
          spikeArrays.append(times: [], dt: dt)
          continue
        }
        spikeArrays.append(times: times.count == 1 ? times[0] : times[i], dt: dt)
      }
      for (k, local) in range.enumerated() {
        v[local] = population.drawInitialVoltage(neuron: s.first + k, population: s.population, seed: generator.seed) ?? rest
      }
    }
    self.kernels = kernels
    changes = network.parameterChanges.flatMap { change in
      slices.enumerated().filter { network.populations[$0.element.population].label == change.population }.map { g, s in
        (Self.firstStep(at: change.time, dt: dt), g, Self.kernel(change.cellType, slice: s, dt: dt))
      }
    }
    self.v = v
    synE = Array(repeating: 0, count: n)
    synI = Array(repeating: 0, count: n)
    riseE = Array(repeating: 0, count: n)
    riseI = Array(repeating: 0, count: n)
    adaptation = Array(repeating: 0, count: n)
    refractory = Array(repeating: 0, count: n)
    stimulusCurrent = Array(repeating: 0, count: n)
    poissonStreams = streams
    self.streamOffset = streamOffset
    self.spikeArrays = spikeArrays

    var stimuli: [(local: Int, waveform: CurrentStimulus.Waveform)] = []
    for stimulus in network.stimuli {
      guard let s = slices.first(where: { network.populations[$0.population].label == stimulus.target }) else { continue }
      let wanted = stimulus.neurons.map { Set($0) }
      for i in s.first..<(s.first + s.count) where wanted?.contains(i) ?? true {
        stimuli.append((s.chipOffset + i - s.first, stimulus.waveform))
      }
    }
    self.stimuli = stimuli

    // Synapses onto this chip's neurons, grouped by source key.
    let synapses = try Self.incomingSynapses(slices: slices, populationOffsets: populationOffsets, generator: generator, dt: dt)
    let keys = network.neuronCount
    var rowStart = Array(repeating: 0, count: keys + 1)
    for s in synapses.source { rowStart[Int(s) + 1] += 1 }
    for k in 0..<keys { rowStart[k + 1] += rowStart[k] }
    var fill = rowStart
    var target = [UInt32](repeating: 0, count: synapses.source.count)
    var weight = [Float](repeating: 0, count: synapses.source.count)
    for (i, s) in synapses.source.enumerated() {
      target[fill[Int(s)]] = synapses.target[i]
      weight[fill[Int(s)]] = synapses.weight[i]
      fill[Int(s)] += 1
    }
    self.rowStart = rowStart
    synapseTarget = target
    synapseWeight = weight

    var slots = 1
    while slots < synapses.maximumDelaySteps + maximumTransitSteps + 2 { slots <<= 1 }
    ring = Array(repeating: 0, count: slots * 2 * n)
    ringMask = Int64(slots - 1)
  }

  /// Which neurons of `slices` record spikes (per chip-local neuron) and which are sampled (chip-local, per slice).
  public static func recordedNeurons(slices: [Slice], network: Network) -> (spikes: [Bool], sampled: [[Int]]) {
    var recorded: [Bool] = []
    var sampledPerSlice: [[Int]] = []
    for s in slices {
      let (spikes, sampled) = network.recorded(population: s.population, neurons: s.first..<(s.first + s.count))
      recorded += spikes
      sampledPerSlice.append(sampled.map { s.chipOffset + $0 })
    }
    return (recorded, sampledPerSlice)
  }

  /// Source keys with at least one synapse on this chip, ascending: what the routing tables need.
  public var sourceKeys: [UInt32] {
    (0..<(rowStart.count - 1)).compactMap { rowStart[$0 + 1] > rowStart[$0] ? UInt32($0) : nil }
  }

  private static func incomingSynapses(slices: [Slice], populationOffsets: [Int], generator: SynapseGenerator,
                                       dt: Double) throws(IdealChipError)
    -> (source: [UInt32], target: [UInt32], weight: [Float], maximumDelaySteps: Int)
  {
    let network = generator.network
    var source: [UInt32] = [], target: [UInt32] = [], weight: [Float] = []
    var maximumDelay = 1
    let preOffset = generator.pre.map { UInt32(populationOffsets[$0]) }
    let receptorBit = network.projections.map { $0.receptor == .inhibitory ? UInt32(1 << 20) : 0 }
    for s in slices where !network.populations[s.population].cellType.isSource {
      try generator.forEachIncoming(population: s.population, targets: s.first..<(s.first + s.count)) {
        (p, partner, t, w, d) throws(IdealChipError) in
        let steps = Self.delaySteps(Double(d), dt: dt)
        guard steps <= Self.maximumDelaySteps else {
          throw .delayTooLong(projection: network.projections[p].label, delay: Double(d), maximum: Double(Self.maximumDelaySteps) * dt)
        }
        guard abs(w) <= 1e6 else { throw .weightOutOfRange(projection: network.projections[p].label, weight: Double(w)) }
        maximumDelay = max(maximumDelay, steps)
        source.append(preOffset[p] + UInt32(partner))
        target.append(UInt32(s.chipOffset + t - s.first) | receptorBit[p] | UInt32(steps) << 21)
        weight.append(w)
      }
    }
    return (source, target, weight, maximumDelay)
  }
}
