import Hardware
import Model

/// Options of the mapping pipeline.
public struct MappingOptions: Sendable {
  public var strategy: PlacementStrategy
  public var seed: UInt64
  /// Ranks that will run the chips (only the chip → rank assignment depends on it).
  public var ranks: Int
  /// Rate (Hz) assumed for neuron populations without `expectedRate`.
  public var defaultRate: Double
  /// Run one-to-one Poisson sources on their targets' processing elements (`ExpectedTraffic.localSources`).
  public var localPoissonInput: Bool

  public init(strategy: PlacementStrategy = .sequential, seed: UInt64 = 1, ranks: Int = 1, defaultRate: Double = 10,
              localPoissonInput: Bool = false) {
    self.strategy = strategy
    self.seed = seed
    self.ranks = ranks
    self.defaultRate = defaultRate
    self.localPoissonInput = localPoissonInput
  }
}

/// A network mapped onto a machine: partition (slices) → place (chips, PEs) → keys → route
/// (multicast trees, tables, compression) → chips onto ranks, with the metrics of the result.
/// Each stage is a plain value; the neuron → PE mapping is the same for any rank count.
public struct NetworkMapping: Sendable, Codable {
  public let traffic: ExpectedTraffic
  public let graph: SliceGraph
  /// Per population, what limited its slice size: atoms, cpu, memory or size.
  public let sliceLimits: [String]
  public let loads: [SliceLoad]
  public let placement: Placement
  public let keys: KeyAllocation
  public let routing: MulticastRouting
  /// Compressed routing table of every chip.
  public let tables: [RoutingTable]
  public let rankOfChip: [Int]
  public let metrics: MappingMetrics

  public init(network: Network, machine: MachineGraph, costs: CoreCostModel, tick: Double,
              options: MappingOptions) throws(MappingError) {
    var stages: [StageTime] = []
    var mark = ContinuousClock.now
    func stage(_ name: String) {
      let now = ContinuousClock.now
      let d = now - mark
      stages.append(StageTime(stage: name, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18))
      mark = now
    }
    traffic = ExpectedTraffic(network: network, defaultRate: options.defaultRate, localPoissonInput: options.localPoissonInput)
    let slicer = Slicer(traffic: traffic, costs: costs, tick: tick)
    let (slices, limits) = try slicer.slices()
    // Refused before the slice graph (a table over every neuron) is built.
    let pes = machine.workingPEs.reduce(0) { $0 + $1.count }
    guard slices.count <= pes else {
      throw .networkTooLarge("\(slices.count) slices need \(slices.count) processing elements; the system has \(pes) working processing elements on \(machine.liveChips.count) chips")
    }
    sliceLimits = limits
    loads = slices.map { slicer.load(population: $0.population, count: $0.count) }
    graph = try SliceGraph(slices: slices, traffic: traffic, network: network)
    stage("partition")
    placement = try Placer(graph: graph, loads: loads, machine: machine, seed: options.seed).place(options.strategy)
    stage("place")
    keys = try KeyAllocation(graph: graph)
    routing = try MulticastRouting(graph: graph, placement: placement, keys: keys, machine: machine, labels: traffic.labels)
    stage("route")
    let compressed = routing.tables.map(TableCompressor.compress)
    tables = compressed
    stage("compress")
    let over = compressed.indices.filter { compressed[$0].entries.count > machine.tableCapacity }
    if !over.isEmpty {
      throw .tablesOverCapacity(chips: over.map { machine.chipNames[$0] }, entries: over.map { compressed[$0].entries.count },
                                capacity: machine.tableCapacity)
    }
    var chipLoad = [Double](repeating: 0, count: machine.chipCount)
    for (s, chip) in placement.chip.enumerated() { chipLoad[chip] += loads[s].cycles }
    rankOfChip = try RankAssignment.ranks(machine: machine, chipLoad: chipLoad, linkLoad: routing.linkLoad,
                                          ranks: options.ranks, seed: options.seed)
    stage("ranks")

    var m = MappingMetrics()
    m.slices = slices.count
    m.workingPEs = machine.workingPEs.reduce(0) { $0 + $1.count }
    m.usedChips = placement.usedChips.count
    m.liveChips = machine.liveChips.count
    m.ranks = options.ranks
    for s in 0..<graph.count {
      m.packetsPerSecond += graph.spikeRate[s]
      m.remoteChipsPerSpike += graph.spikeRate[s] * Double(routing.remoteChips[s])
      for e in graph.edges(of: s) {
        m.synapses += graph.synapses[e]
        if placement.chip[graph.targets[e]] != placement.chip[s] { m.edgeCut += graph.synapses[e] }
      }
    }
    if m.packetsPerSecond > 0 { m.remoteChipsPerSpike /= m.packetsPerSecond }
    for (link, load) in routing.linkLoad.enumerated() where load > 0 {
      m.hopsPerSecond += load
      if load > m.busiestLinkLoad { (m.busiestLink, m.busiestLinkLoad) = (link, load) }
      let chip = link / machine.linksPerChip, next = machine.neighbour(of: chip, link: link % machine.linksPerChip)
      if rankOfChip[chip] != rankOfChip[next] { m.rankCrossingPerSecond += load }
    }
    m.entriesBefore = routing.tables.map(\.entries.count)
    m.entriesAfter = compressed.map(\.entries.count)
    stage("metrics")
    m.stageSeconds = stages
    metrics = m
  }
}
