import Hardware
import Model

/// A network mapped onto a BrainScaleS-2 system (docs/hardware.md §2.10): logical neurons placed on
/// circuits, 6-bit weights with a scale per projection, and per chip the crossbar inputs, PADI
/// buses, row-select groups and labels every source's events use. Every rank computes the same
/// mapping from (network, system, seed).
public struct BrainScaleS2Mapping: Sendable, Codable {
  public typealias LogicalNeuron = BrainScaleS2LogicalNeuron

  /// What 6-bit quantisation did to one projection's weights.
  public struct Quantisation: Sendable, Equatable, Codable {
    public var projection: String
    public var synapses: Int
    /// Weight of one LSB (nA or µS): the largest weight / 63; 0 where the weights are exact (without `weights`).
    public var scale: Double
    /// RMS of (quantised − programmed) / programmed over the synapses.
    public var rmsRelativeError: Double
    /// Synapses whose weight rounds to 0 and are left out.
    public var zeroed: Int
  }

  public let chipCount: Int
  /// Logical neurons in placement order (chip-major); `neuronsOfChip[c]` are chip c's.
  public private(set) var neurons: [LogicalNeuron] = []
  public private(set) var neuronsOfChip: [Range<Int>] = []
  /// Logical neuron of each global cell; -1 for spike sources (played in by the FPGAs).
  public private(set) var neuronOfCell: [Int32] = []
  /// Circuits per logical neuron of each population (0 for sources).
  public private(set) var circuitsPerNeuron: [Int] = []
  public private(set) var chips: [BrainScaleS2ChipRouting] = []
  public private(set) var quantisation: [Quantisation] = []
  /// Chips other than its own that each cell's events go to through the FPGAs (CSR over cells).
  public private(set) var remoteChipStart: [Int32] = []
  public private(set) var remoteChips: [Int32] = []
  /// Programmed delays, which the hardware cannot honour (its latency is the path's): (min, max) ms.
  public private(set) var programmedDelays = DelayRange(min: 0, max: 0)
  /// Global cells sampled by the MADC on each chip.
  public private(set) var sampledCells: [[Int]] = []

  public init(network: Network, system: BrainScaleS2System, seed: UInt64) throws(BrainScaleS2MappingError) {
    chipCount = system.chips
    let offsets = network.populationOffsets
    cellOffsets = offsets
    let cells = network.neuronCount
    // Every neuron takes at least one circuit: refuse what cannot fit before building any table over the cells.
    var capacity = system.chips * system.neuronsPerChip
    for population in network.populations where !population.cellType.isSource {
      guard population.size <= capacity else {
        throw .chipsExhausted(population: population.label, neuron: capacity, chips: system.chips, circuitsPerNeuron: 1)
      }
      capacity -= population.size
    }
    // In-degrees every target certainly has (all-to-all, fixed in-degree, one-to-one) beyond the
    // rows of the largest logical neuron: refused before any synapse is generated.
    let limit = HICANNX.rows * system.maxCircuitsPerNeuron
    var certain = [Int](repeating: 0, count: network.populations.count)
    for projection in network.projections {
      guard let pre = network.populationIndex(projection.pre), let post = network.populationIndex(projection.post) else { continue }
      switch projection.connector {
      case .allToAll: certain[post] += network.populations[pre].size - (projection.allowAutapses || pre != post ? 0 : 1)
      case let .fixedIndegree(k, _): certain[post] += k
      case .oneToOne: certain[post] += 1
      default: break
      }
    }
    if let p = certain.indices.first(where: { certain[$0] > limit }) {
      throw .fanIn(population: network.populations[p].label, neuron: 0, synapses: certain[p], circuits: system.maxCircuitsPerNeuron, limit: limit)
    }
    var populationOfCell = [Int32](repeating: 0, count: cells)
    for (p, population) in network.populations.enumerated() {
      for i in 0..<population.size { populationOfCell[offsets[p] + i] = Int32(p) }
    }
    func isSource(_ cell: Int) -> Bool { network.populations[Int(populationOfCell[cell])].cellType.isSource }

    let synapses = try BrainScaleS2Synapses(network: network, system: system, seed: seed)
    let (pre, post, weight) = (synapses.pre, synapses.post, synapses.weight)
    programmedDelays = synapses.delays
    quantisation = synapses.quantisation

    // Circuits per logical neuron: the fewest whose rows hold the in-degree.
    var indegree = [Int](repeating: 0, count: cells)
    for j in post.indices where weight[j] != 0 { indegree[Int(post[j])] += 1 }
    var base = [Int](repeating: 0, count: network.populations.count)
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      for i in 0..<population.size {
        let d = indegree[offsets[p] + i]
        let limit = HICANNX.rows * system.maxCircuitsPerNeuron
        guard d <= limit else {
          throw .fanIn(population: population.label, neuron: i, synapses: d, circuits: system.maxCircuitsPerNeuron, limit: limit)
        }
        var k = 1
        while k * HICANNX.rows < d { k *= 2 }
        base[p] = max(base[p], 1, min(k, system.maxCircuitsPerNeuron))
      }
    }

    // Place and route; where the rows of a hemisphere run out, try again with larger logical neurons.
    var multiplier = 1
    var routingFailure: BrainScaleS2MappingError?
    while true {
      circuitsPerNeuron = base.map { min($0 * multiplier, system.maxCircuitsPerNeuron) }
      do {
        try place(network, system, populationOfCell: populationOfCell)
        try route(pre: pre, post: post, weight: weight, isSource: isSource)
        break
      } catch let error {
        switch error {
        case .busDrivers, .labels:
          if circuitsPerNeuron.allSatisfy({ $0 == 0 || $0 >= system.maxCircuitsPerNeuron }) { throw error }
          multiplier *= 2
          routingFailure = error
        default:
          // Larger logical neurons did not fit the chips: the rows of the smaller ones are the cause.
          throw routingFailure ?? error
        }
      }
    }
    try checkReadout(network, system)
  }

  /// Fills chips with logical neurons in population order, hemisphere by hemisphere.
  private mutating func place(_ network: Network, _ system: BrainScaleS2System, populationOfCell: [Int32]) throws(BrainScaleS2MappingError) {
    neurons = []
    neuronOfCell = [Int32](repeating: -1, count: populationOfCell.count)
    var chip = 0, hemisphere = 0, column = 0, onChip = 0
    let offsets = network.populationOffsets
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      let k = circuitsPerNeuron[p]
      for i in 0..<population.size {
        if column + k > HICANNX.columns { hemisphere += 1; column = 0 }
        if hemisphere == HICANNX.hemispheres || onChip == system.neuronsPerChip { chip += 1; hemisphere = 0; column = 0; onChip = 0 }
        guard chip < chipCount else { throw .chipsExhausted(population: population.label, neuron: i, chips: chipCount, circuitsPerNeuron: k) }
        neuronOfCell[offsets[p] + i] = Int32(neurons.count)
        neurons.append(LogicalNeuron(population: p, index: i, chip: chip, hemisphere: hemisphere, column: column, circuits: k))
        column += k
        onChip += 1
      }
    }
    var start = 0
    neuronsOfChip = (0..<chipCount).map { c in
      var end = start
      while end < neurons.count && neurons[end].chip == c { end += 1 }
      defer { start = end }
      return start..<end
    }
  }

  /// Allocates groups, drivers and labels on every chip and the FPGA routes between chips.
  private mutating func route(pre: [UInt32], post: [UInt32], weight: [Float], isSource: (Int) -> Bool) throws(BrainScaleS2MappingError) {
    // Synapses per (chip, hemisphere, source).
    var bySource = [[Int: [SynapseRowAllocation.Synapse]]](repeating: [:], count: chipCount * HICANNX.hemispheres)
    for j in post.indices where weight[j] != 0 {
      let n = neurons[Int(neuronOfCell[Int(post[j])])]
      let local = Int32(neuronOfCell[Int(post[j])]) - Int32(neuronsOfChip[n.chip].lowerBound)
      bySource[n.chip * HICANNX.hemispheres + n.hemisphere][Int(pre[j]), default: []]
        .append(.init(neuron: local, inhibitory: weight[j] < 0, weight: weight[j]))
    }
    chips = []
    var remote = [[Int32]](repeating: [], count: neuronOfCell.count)
    for c in 0..<chipCount {
      let range = neuronsOfChip[c]
      func onChip(_ cell: Int) -> LogicalNeuron? {
        let n = Int(neuronOfCell[cell])
        return n >= 0 && range.contains(n) ? neurons[n] : nil
      }
      var entries: [(source: Int, hemisphere: Int, input: Int, bus: Int, rowSelect: Int, label: Int, synapses: [SynapseRowAllocation.Synapse])] = []
      var l2Input: [Int: Int] = [:]
      var busUsage: [(drivers: Int, groups: Int, sources: Int)] = []
      for h in 0..<HICANNX.hemispheres {
        let sources = bySource[c * HICANNX.hemispheres + h]
        // Sources on a fixed bus first, then those arriving over L2, each in cell order.
        let order = sources.keys.sorted { (onChip($0) == nil ? 1 : 0, $0) < (onChip($1) == nil ? 1 : 0, $1) }
        // The label space: 4 buses × 32 row-selects × 64 labels tell this many sources apart.
        if order.count > HICANNX.busesPerHemisphere * HICANNX.rowSelects * HICANNX.labelsPerDriver {
          throw .labels(chip: c, hemisphere: h, sources: order.count)
        }
        var allocation = SynapseRowAllocation()
        for s in order {
          let buses = onChip(s).map { [HICANNX.bus(eventOutput: HICANNX.eventOutput(column: $0.column))] } ?? Array(0..<HICANNX.busesPerHemisphere)
          guard allocation.add(buses: buses, synapses: sources[s]!, columns: { neurons[range.lowerBound + Int($0)].columns }) else {
            let overflow = allocation.overflow!
            throw .busDrivers(chip: c, hemisphere: h, bus: overflow.bus, drivers: overflow.drivers)
          }
        }
        busUsage += allocation.busUsage
        let rowSelects = allocation.rowSelects
        for (i, s) in order.enumerated() {
          let g = allocation.groupOfSource[i]
          let input: Int
          if let n = onChip(s) {
            input = HICANNX.eventOutput(column: n.column)
          } else {
            // The L2 channel of the source's first PADI bus: the FPGA then spaces its events as the bus takes them.
            if l2Input[s] == nil { l2Input[s] = allocation.groups[g].bus }
            input = HICANNX.eventOutputs + l2Input[s]!
            // Once per chip: a source with synapses in both hemispheres is one FPGA event to the chip.
            if !isSource(s) && remote[s].last != Int32(c) { remote[s].append(Int32(c)) }
          }
          entries.append((s, h, input, h * HICANNX.busesPerHemisphere + allocation.groups[g].bus, rowSelects[g],
                          allocation.labelOfSource[i], sources[s]!))
        }
      }
      entries.sort { ($0.source, $0.hemisphere) < ($1.source, $1.hemisphere) }
      var routing = BrainScaleS2ChipRouting()
      routing.busDrivers = busUsage.map(\.drivers)
      routing.busGroups = busUsage.map(\.groups)
      for e in entries {
        routing.entrySource.append(UInt32(e.source))
        routing.entryInput.append(UInt8(e.input))
        routing.entryBus.append(UInt8(e.bus))
        routing.entryRowSelect.append(UInt8(e.rowSelect))
        routing.entryLabel.append(UInt8(e.label))
        for s in e.synapses {
          routing.targetNeuron.append(s.neuron)
          routing.targetWeight.append(s.weight)
        }
        routing.targetStart.append(Int32(routing.targetNeuron.count))
      }
      routing.fpgaInputEntries = Set(entries.filter { $0.input >= HICANNX.eventOutputs }.map(\.source)).count
      if routing.fpgaInputEntries > HICANNX.fpgaInputEntries {
        throw .fpgaTable(chip: c, table: "input", entries: routing.fpgaInputEntries, capacity: HICANNX.fpgaInputEntries)
      }
      chips.append(routing)
    }
    remoteChipStart = [0]
    remoteChips = []
    for cell in remote.indices {
      remoteChips += remote[cell]
      remoteChipStart.append(Int32(remoteChips.count))
    }
    for c in 0..<chipCount {
      // Crossbar nodes (docs/hardware.md §2.7). A neuron event output's 8-bit addresses are all spent on
      // row-select and label, so its nodes forward every event (mask 0): a spike occupies each
      // enabled bus of its output, and the L2 output, whether or not it has synapses there. L2
      // inputs filter by hemisphere on label bits 11 and 12, which the FPGA input table writes.
      var nodes = Set<CrossbarNode>()
      for (input, bus) in zip(chips[c].entryInput, chips[c].entryBus) {
        let l2 = input >= HICANNX.eventOutputs, hemisphere = Int(bus) / HICANNX.busesPerHemisphere
        let bit = UInt16(1 << (11 + hemisphere))
        nodes.insert(CrossbarNode(input: input, output: bus, mask: l2 ? bit : 0, match: l2 ? bit : 0))
      }
      var senders = 0
      for n in neuronsOfChip[c] {
        let cell = cellOf(neurons[n])
        guard remoteChipStart[cell + 1] > remoteChipStart[cell] else { continue }
        senders += 1
        let output = HICANNX.eventOutput(column: neurons[n].column)
        nodes.insert(CrossbarNode(input: UInt8(output), output: UInt8(2 * HICANNX.busesPerHemisphere + HICANNX.bus(eventOutput: output)),
                                  mask: 0, match: 0))
      }
      if senders > HICANNX.fpgaOutputEntries {
        throw .fpgaTable(chip: c, table: "output", entries: senders, capacity: HICANNX.fpgaOutputEntries)
      }
      chips[c].fpgaOutputEntries = senders
      chips[c].crossbarNodes = nodes.sorted { ($0.input, $0.output) < ($1.input, $1.output) }
    }
  }

  /// Global cell id of a logical neuron (set by `place`).
  private(set) var cellOffsets: [Int] = []
  public func cellOf(_ n: LogicalNeuron) -> Int { cellOffsets[n.population] + n.index }

  private mutating func checkReadout(_ network: Network, _ system: BrainScaleS2System) throws(BrainScaleS2MappingError) {
    sampledCells = Array(repeating: [], count: chipCount)
    let minimum = system.madc.minimumSampleIntervalNanoseconds * 1e-6 * system.speedup
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      let sampled = network.recorded(population: p, neurons: 0..<population.size).sampled
      if let interval = network.recordings.first(where: { $0.population == population.label && $0.variables.contains(.v) })?.interval,
         !sampled.isEmpty, interval < minimum {
        throw .madcRate(population: population.label, interval: interval, minimum: minimum)
      }
      for i in sampled { sampledCells[neurons[Int(neuronOfCell[cellOffsets[p] + i])].chip].append(cellOffsets[p] + i) }
    }
    for (c, cells) in sampledCells.enumerated() where cells.count > system.madc.channels {
      throw .madcChannels(chip: c, sampled: cells.count, channels: system.madc.channels)
    }
  }
}

/// The smallest and largest delay a network programs (ms).
public struct DelayRange: Sendable, Codable {
  public var min: Double
  public var max: Double
}

extension BrainScaleS2Mapping {
  /// What chip `index` is configured with.
  public func configuration(ofChip index: Int) -> BrainScaleS2ChipConfiguration {
    let logical = Array(neuronsOfChip[index].map { neurons[$0] })
    let cells = logical.map(cellOf)
    let routing = chips[index]
    var sources = Set<UInt32>()
    for (e, input) in routing.entryInput.enumerated() where input >= HICANNX.eventOutputs { sources.insert(routing.entrySource[e]) }
    return BrainScaleS2ChipConfiguration(
      neurons: logical, cells: cells, routing: routing,
      sendsOffChip: cells.map { remoteChipStart[$0 + 1] > remoteChipStart[$0] },
      playedIn: sources.sorted().map(Int.init).filter { neuronOfCell[$0] < 0 })
  }
}
