import Foundation
import Fabric
import Model

/// One SpiNNaker processing element running one slice (docs/design-notes.md §6, docs/hardware.md §3.2):
/// the slice's neurons in s16.15 (structure of arrays), 16-bit ring buffers per delay slot and
/// synapse type, synaptic rows per source key behind a master-population-table index, Poisson
/// inputs generated on the PE, and the CPU time the timer tick and the packets take.
public struct SpiNNakerPE {
  public let slice: Int
  public let population: Int
  public let first: Int
  public let count: Int
  let kind: Kind

  enum Kind {
    case lif(SpiNNakerLIF)
    case floatLIF(SpiNNakerFloatLIF)
    /// Without `arithmetic`: the same LIF update in Float64.
    case doubleLIF(SpiNNakerDoubleLIF)
    case nir(SpiNNakerNIRNeuron)
    case poisson(PoissonKernel)
    case spikeArray
  }

  // Neuron state: s16.15 (sPyNNaker), or single precision (py-spinnaker2) in the `float` arrays.
  var v: [Int32]
  var currentE: [Int32]
  var currentI: [Int32]
  var vFloat: [Float] = []
  var currentEFloat: [Float] = []
  var currentIFloat: [Float] = []
  // Without `arithmetic`: Float64 state.
  var vDouble: [Double] = []
  var currentEDouble: [Double] = []
  var currentIDouble: [Double] = []
  var refractory: [Int32]
  // Spike sources of the slice itself.
  var streams: [RandomStream]
  var spikeArrays: SpikeArraySchedule
  /// Poisson inputs generated here for the slice's neurons (folded one-to-one sources).
  var localInputs: [LocalPoissonInput]

  // Synaptic matrix: source slice blocks sorted by key, each with its first row; rows as CSR.
  let blockKey: [UInt32]
  let blockRow: [Int32]
  let atomMask: UInt32
  let rowStart: [Int32]
  let words: [UInt32]
  public var synapseCount: Int { words.count }
  /// One-to-one Poisson inputs drawn on this PE (synapses that are not words).
  public var localInputCount: Int { localInputs.reduce(0) { $0 + $1.weight.count } }

  // Ring buffers: 16-bit sums per (slot, type, neuron); s16.15 input = sum << shift, float
  // input = sum · the model's unit.
  var ring: [UInt16]
  let ringMask: Int64
  let shiftE: Int32
  let shiftI: Int32
  /// Without `saturation` or `quantisation`: the ring buffers hold Float64 units in `wideRing`
  /// (`ring` is empty), each word's weight in `wideWeights` (exact without `quantisation`), and a
  /// slot saturates at `slotLimit` units (65535 with `saturation`, never without).
  let wide: Bool
  var wideRing: [Double] = []
  let wideWeights: [Double]
  let slotLimit: Double

  // Timing.
  let picosecondsPerCycle: Double
  let costs: SpiNNakerCosts
  let queueCapacity: Int
  /// When the CPU finishes what it has started.
  var busyUntil: HardwareTime = 0
  /// Start times of the packets waiting in the input queue, oldest first from `queueHead`.
  var queueStarts: [HardwareTime] = []
  var queueHead = 0
  /// Scratch of `receive(_:tick:tickLength:)`: the rows of the batch, and a sum of the first words
  /// read ahead (kept so that the reads stay).
  var rowsOfBatch: [Range<Int>] = []
  var wordsTouched: UInt32 = 0

  /// Spikes of the last tick (neuron indices within the slice) and when each left the PE.
  public internal(set) var spikes: [UInt32] = []
  public internal(set) var spikeTimes: [HardwareTime] = []

  /// Provenance, with sPyNNaker's meanings: timer ticks that started late because the previous
  /// tick's work had not finished, packets dropped at a full input queue, ring-buffer saturations.
  public internal(set) var overruns: UInt64 = 0
  public internal(set) var packetsReceived: UInt64 = 0
  public internal(set) var queueDrops: UInt64 = 0
  public internal(set) var synapticEvents: UInt64 = 0
  public internal(set) var saturations: UInt64 = 0
  /// Synaptic input due beyond the ring buffer (processed too late to keep its delay).
  public internal(set) var lateEvents: UInt64 = 0
  /// CPU cycles spent: neuron updates (and on-PE sources), packet and row handling, synapses.
  public internal(set) var neuronCycles: Double = 0
  public internal(set) var packetCycles: Double = 0
  public internal(set) var synapseCycles: Double = 0
  /// The most cycles spent between two tick starts (the tick's update and the packets after it).
  public internal(set) var maxTickCycles: Double = 0
  var cyclesAtLastTick: Double = 0

  struct LocalPoissonInput {
    let kernel: PoissonKernel
    var streams: [RandomStream]
    let weight: [UInt16]
    /// The exact weights in ring units (without `quantisation`), or the 16-bit ones (without `saturation`);
    /// empty when the ring is 16-bit.
    let wideWeight: [Double]
    let delay: [Int32]
    let inhibitory: Bool
  }

  /// Loads slice `s` of `slices`: neuron parameters, initial state and every synapse onto it,
  /// with weights quantised to 16 bits under a per-type shift chosen as sPyNNaker chooses it.
  public init(slice s: Int, slices: SpiNNakerSliceMap, generator: SynapseGenerator,
              system: SpiNNakerSystem) throws(SpiNNakerBuildError) {
    slice = s
    let pop = slices.population[s], first = slices.first[s], n = slices.count[s], range = first..<(first + n)
    population = pop
    self.first = first
    count = n
    let effects = system.effects
    // Without `overruns` the CPU takes no time (its cycles are still counted); without `drops` the queue has no limit.
    picosecondsPerCycle = effects.overruns ? 1e6 / system.clockMHz : 0
    costs = system.costs
    queueCapacity = effects.drops ? system.inputQueuePackets : .max

    let cells = try SliceCells(population: pop, neurons: range, generator: generator, system: system)
    let double = cells.lif != nil && !effects.arithmetic
    let float = !double && ((cells.lif != nil && system.arithmetic != .s1615) || cells.nir != nil)
    v = float || double ? [] : cells.initialVoltage.map(S1615.from)
    currentE = float || double ? [] : Array(repeating: 0, count: n)
    currentI = currentE
    if float {
      vFloat = cells.initialVoltage.map { Float($0) }
      currentEFloat = Array(repeating: 0, count: n)
      currentIFloat = currentEFloat
    }
    if double {
      vDouble = cells.initialVoltage
      currentEDouble = Array(repeating: 0, count: n)
      currentIDouble = currentEDouble
    }
    refractory = Array(repeating: 0, count: n)
    streams = cells.streams
    spikeArrays = cells.spikeArrays

    var synapses = IncomingSynapses(targets: n)
    if cells.lif != nil || cells.nir != nil {
      try synapses.gather(population: pop, neurons: range, nir: cells.nir, slices: slices, generator: generator, system: system)
    }
    wide = !effects.saturation || !effects.quantisation
    slotLimit = effects.saturation ? 65535 : .infinity
    let units = WeightUnits(synapses, arithmetic: cells.nir == nil ? system.arithmetic : .float32(weightBits: 8), system: system,
                            exact: !effects.quantisation)
    shiftE = units.shiftE
    shiftI = units.shiftI
    kind = cells.kind(arithmetic: system.arithmetic, double: double, neurons: range, tick: system.timestep, scale: units.scale)
    localInputs = Self.localInputs(synapses.local, neurons: range, units: units, wide: wide, generator: generator, tick: system.timestep)

    let rows = SynapticRows(synapses, slices: slices, units: units, wide: wide)
    blockKey = rows.blockKey
    blockRow = rows.blockRow
    atomMask = ~slices.keyMask
    rowStart = rows.rowStart
    words = rows.words
    wideWeights = rows.wideWeights

    let slots = Self.ringSlots(maximumDelay: synapses.maximumDelay)
    ring = wide ? [] : Array(repeating: 0, count: Int(slots) * 2 * n)
    if wide { wideRing = Array(repeating: 0, count: Int(slots) * 2 * n) }
    ringMask = slots - 1
  }

  /// Ticks a packet may arrive after the tick that sent it and still keep its delay.
  static let lateTicks = 2

  /// The membrane potential of neuron i in mV.
  public func membrane(_ i: Int) -> Double {
    if case let .nir(model) = kind { return Double(vFloat[i] / model.scale) }
    if !vDouble.isEmpty { return vDouble[i] }
    return vFloat.isEmpty ? S1615.double(v[i]) : Double(vFloat[i])
  }

  @inline(__always)
  func duration(cycles: Double) -> HardwareTime { HardwareTime((cycles * picosecondsPerCycle).rounded()) }
}

extension SpiNNakerPE {
  /// What the cells of a slice are: a LIF or NIR neuron model with initial potentials, or spike sources.
  private struct SliceCells {
    var initialVoltage: [Double]
    var streams: [RandomStream] = []
    var spikeArrays = SpikeArraySchedule()
    var lif: (parameters: LIFParameters, conductance: Bool)?
    var nir: NIRNeuron?
    var source: Kind?

    init(population pop: Int, neurons range: Range<Int>, generator: SynapseGenerator, system: SpiNNakerSystem) throws(SpiNNakerBuildError) {
      let description = generator.network.populations[pop], tick = system.timestep
      initialVoltage = [Double](repeating: 0, count: range.count)
      if let refusal = system.refusal(of: description) { throw refusal }
      switch description.cellType {
      case let .ifCurrExp(p), let .ifCondExp(p):
        lif = (p, description.cellType.isConductanceBased)
        initialVoltage = range.map { description.drawInitialVoltage(neuron: $0, population: pop, seed: generator.seed) ?? p.vRest }
      case let .poissonSource(rate, start, stop):
        source = .poisson(PoissonKernel(rate: rate, start: start, stop: stop, dt: tick))
        streams = range.map { RandomStream(seed: generator.seed, purpose: .source, group: UInt32(pop), member: UInt32($0)) }
      case let .spikeSourceArray(times):
        source = .spikeArray
        for neuron in range { spikeArrays.append(times: times.count == 1 ? times[0] : times[neuron], dt: tick) }
      case let .nir(neuron):
        nir = neuron
      default:
        preconditionFailure("refused above")
      }
    }

    /// The PE's neuron model, its input `scale` ring-buffer units per nA (excitatory, inhibitory),
    /// or the spike source; `double`: the LIF update in Float64 (without `arithmetic`).
    func kind(arithmetic: SpiNNakerArithmetic, double: Bool, neurons range: Range<Int>, tick: Double, scale: [Double]) -> Kind {
      switch (lif, arithmetic) {
      case let (lif?, _) where double:
        .doubleLIF(SpiNNakerDoubleLIF(lif.parameters, conductance: lif.conductance, tick: tick, weightsPerNanoampere: scale))
      case let (lif?, .s1615): .lif(SpiNNakerLIF(lif.parameters, conductance: lif.conductance, tick: tick))
      case let (lif?, .float32): .floatLIF(SpiNNakerFloatLIF(lif.parameters, tick: tick, weightsPerNanoampere: scale[0]))
      case (nil, _): nir.map { .nir(SpiNNakerNIRNeuron($0, first: range.lowerBound, count: range.count, tick: tick, scale: scale[0])) } ?? source!
      }
    }
  }

  /// The synapses onto a slice, gathered with float weights first: the shifts depend on all of them.
  /// Those from one-to-one Poisson sources that run on the target stay per projection (`local`).
  private struct IncomingSynapses {
    var sourceSlice: [Int32] = [], atom: [Int32] = [], target: [UInt8] = [], weight: [Float] = [], delay: [UInt8] = []
    var inhibitory: [Bool] = []
    var local: [(projection: Int, weight: [Float], delay: [Int32])] = []
    var ringBufferShift: RingBufferShift
    var maximumDelay = 1
    var sends: [Bool] = []  // per slice: whether it has synapses here

    init(targets n: Int) {
      ringBufferShift = RingBufferShift(targets: n)
    }

    mutating func gather(population pop: Int, neurons range: Range<Int>, nir: NIRNeuron?, slices: SpiNNakerSliceMap,
                         generator: SynapseGenerator, system: SpiNNakerSystem) throws(SpiNNakerBuildError) {
      let network = generator.network, tick = system.timestep, first = range.lowerBound, n = range.count
      let isInhibitory = network.projections.map { $0.receptor == .inhibitory }
      // The rate sPyNNaker sizes ring buffers for: a Poisson source's own (the only sources that
      // implement `AbstractMaxSpikes`), `spikes_per_second` for neurons and spike arrays.
      let assumedRate = network.populations.map { population in
        if case let .poissonSource(rate, _, _) = population.cellType { rate } else { system.ringBuffer.spikesPerSecond }
      }
      var localWeights: [Int: ([Float], [Int32])] = [:]
      // NIR neurons: each target's gain, folded into its synapses' weights (once per target, not per synapse).
      let gains = nir.map { neuron in (0..<n).map { Float(SpiNNakerNIRNeuron.gain(neuron, first + $0, tick: tick)) } }
      sends = [Bool](repeating: false, count: slices.sliceCount)
      try generator.forEachIncoming(population: pop, targets: range) { (p, source, t, w, d) throws(SpiNNakerBuildError) in
        let ticks = system.delayTicks(Double(d))
        guard ticks <= system.maxDelayTicks else {
          throw .delayTooLong(projection: network.projections[p].label, delay: Double(d), maximumTicks: system.maxDelayTicks, tick: tick)
        }
        maximumDelay = max(maximumDelay, ticks)
        let pre = generator.pre[p], type = isInhibitory[p] ? 1 : 0
        let w = gains.map { abs(w) * $0[t - first] } ?? abs(w)
        ringBufferShift.add(projection: p, type: type, rate: assumedRate[pre], target: t - first, weight: Double(w), delay: ticks)
        if slices.runsOnTarget[pre] {
          localWeights[p, default: ([Float](repeating: 0, count: n), [Int32](repeating: 1, count: n))].0[t - first] = w
          localWeights[p]!.1[t - first] = Int32(ticks)
          return
        }
        let from = slices.slice(population: pre, neuron: source)
        sends[from] = true
        sourceSlice.append(Int32(from))
        atom.append(Int32(source))
        target.append(UInt8(t - first))
        weight.append(w)
        delay.append(UInt8(ticks))
        inhibitory.append(type == 1)
      }
      local = localWeights.keys.sorted().map { ($0, localWeights[$0]!.0, localWeights[$0]!.1) }
    }
  }

  /// Weights as 16-bit ring-buffer units: under sPyNNaker's per-type shifts, or as
  /// `weightBits`-bit integers under one scale per PE, its largest weight the largest integer;
  /// `exact` (without `quantisation`): also unrounded, in the same units (`wide`).
  private struct WeightUnits {
    let shiftE: Int32
    let shiftI: Int32
    /// Units per nA (or µS), excitatory and inhibitory.
    let scale: [Double]
    let largestUnit: Double
    let exact: Bool

    init(_ synapses: IncomingSynapses, arithmetic: SpiNNakerArithmetic, system: SpiNNakerSystem, exact: Bool) {
      self.exact = exact
      switch arithmetic {
      case .s1615:
        let shifts = synapses.ringBufferShift.shifts(tick: system.timestep, policy: system.ringBuffer)
        shiftE = shifts[0]
        shiftI = shifts[1]
        scale = [pow(2, Double(15 - shiftE)), pow(2, Double(15 - shiftI))]
        largestUnit = 65535
      case let .float32(weightBits):
        shiftE = 0
        shiftI = 0
        largestUnit = Double((1 << weightBits) - 1)
        let largest = Double(max(synapses.weight.max() ?? 0, synapses.local.map { $0.weight.max() ?? 0 }.max() ?? 0))
        let perNanoampere = largest > 0 ? largestUnit / largest : 1
        scale = [perNanoampere, perNanoampere]
      }
    }

    func quantised(_ w: Float, _ type: Int) -> UInt16 { UInt16(min(largestUnit, (Double(w) * scale[type]).rounded())) }

    /// The weight in a wide ring buffer: exact, or the quantised one.
    func wide(_ w: Float, _ type: Int) -> Double { exact ? Double(w) * scale[type] : Double(quantised(w, type)) }
  }

  /// The one-to-one Poisson inputs drawn on the PE for its neurons.
  private static func localInputs(_ local: [(projection: Int, weight: [Float], delay: [Int32])], neurons range: Range<Int>,
                                  units: WeightUnits, wide: Bool, generator: SynapseGenerator, tick: Double) -> [LocalPoissonInput] {
    let network = generator.network
    return local.map { input in
      let pre = generator.pre[input.projection], type = network.projections[input.projection].receptor == .inhibitory ? 1 : 0
      guard case let .poissonSource(rate, start, stop) = network.populations[pre].cellType else { preconditionFailure("local sources are Poisson") }
      return LocalPoissonInput(
        kernel: PoissonKernel(rate: rate, start: start, stop: stop, dt: tick),
        streams: range.map { RandomStream(seed: generator.seed, purpose: .source, group: UInt32(pre), member: UInt32($0)) },
        weight: input.weight.map { units.quantised($0, type) }, wideWeight: wide ? input.weight.map { units.wide($0, type) } : [],
        delay: input.delay, inhibitory: type == 1)
    }
  }

  /// The synaptic matrix: blocks of source slices in key order (the master population table), a
  /// row per source atom, words grouped by row.
  private struct SynapticRows {
    let blockKey: [UInt32]
    let blockRow: [Int32]
    let rowStart: [Int32]
    let words: [UInt32]
    /// Each word's weight in a wide ring buffer (`WeightUnits.wide`), or empty.
    let wideWeights: [Double]

    init(_ synapses: IncomingSynapses, slices: SpiNNakerSliceMap, units: WeightUnits, wide: Bool) {
      let blocks = synapses.sends.indices.filter { synapses.sends[$0] }
      var blockRowOf = [Int32](repeating: 0, count: slices.sliceCount)  // the row of atom a of slice s is blockRowOf[s] + a
      var blockRow: [Int32] = [0]
      for (b, source) in blocks.enumerated() {
        blockRowOf[source] = blockRow[b] - Int32(slices.first[source])
        blockRow.append(blockRow[b] + Int32(slices.count[source]))
      }
      let rows = Int(blockRow.last!)
      let sourceSlice = synapses.sourceSlice, inhibitory = synapses.inhibitory
      var rowOf = [Int32](repeating: 0, count: sourceSlice.count)
      var rowStart = [Int32](repeating: 0, count: rows + 1)
      for i in sourceSlice.indices {
        rowOf[i] = blockRowOf[Int(sourceSlice[i])] + synapses.atom[i]
        rowStart[Int(rowOf[i]) + 1] += 1
      }
      for r in 0..<rows { rowStart[r + 1] += rowStart[r] }
      var fill = rowStart
      var words = [UInt32](repeating: 0, count: sourceSlice.count)
      var wideWeights = [Double](repeating: 0, count: wide ? sourceSlice.count : 0)
      for i in sourceSlice.indices {
        let weight = units.quantised(synapses.weight[i], inhibitory[i] ? 1 : 0)
        let at = Int(fill[Int(rowOf[i])])
        words[at] = SpiNNakerSynapticWord.make(weight: weight, delay: Int(synapses.delay[i]), inhibitory: inhibitory[i], index: Int(synapses.target[i]))
        if wide { wideWeights[at] = units.wide(synapses.weight[i], inhibitory[i] ? 1 : 0) }
        fill[Int(rowOf[i])] += 1
      }
      self.wideWeights = wideWeights
      self.blockKey = blocks.map { slices.keyBase[$0] }
      self.blockRow = blockRow
      self.rowStart = rowStart
      self.words = words
    }
  }

  /// Ring-buffer slots: the smallest power of two that holds the longest delay and the late ticks.
  private static func ringSlots(maximumDelay: Int) -> Int64 {
    var slots: Int64 = 1
    while slots < Int64(maximumDelay + lateTicks + 2) { slots <<= 1 }
    return slots
  }
}
