import Model
import Traces

/// Where a run's recorded neurons live, as a family's mapping places them (docs/architecture.md,
/// "The family seam"): units (a chip's share of a population, a PE's slice, one cell) in the order
/// the master file concatenates them, each owned by one rank, each a range of one population's
/// nodes, the nodes of it that are sampled, and where each of those lives: the chip (the family's
/// index of a chip, PE or HICANN) and its neuron there. Every rank knows every unit; the engine
/// counts spikes per unit, schedules the samples, lays out the rank files and writes the master
/// file from them, so no family keeps recording books of its own.
public struct RecordingUnits: Sendable {
  public private(set) var owner: [Int] = []
  public private(set) var population: [Int] = []
  public private(set) var nodes: [Range<Int>] = []
  public private(set) var chip: [Int] = []
  /// Unit u samples `sampled[sampledStart[u]..<sampledStart[u + 1]]`, the neurons `sampledNeuron[…]` of its chip.
  public private(set) var sampledStart: [Int] = [0]
  public private(set) var sampled: [UInt64] = []
  public private(set) var sampledNeuron: [Int] = []

  public init() {}

  public var count: Int { owner.count }

  /// A unit that samples nothing.
  public mutating func append(owner: Int, population: Int, nodes: Range<Int>) {
    append(owner: owner, population: population, nodes: nodes, chip: -1, sampled: [])
  }

  /// A unit on `chip` whose `sampled` nodes are the chip's neurons given beside them.
  public mutating func append(owner: Int, population: Int, nodes: Range<Int>, chip: Int,
                              sampled: some Sequence<(node: UInt64, neuron: Int)>) {
    self.owner.append(owner)
    self.population.append(population)
    self.nodes.append(nodes)
    self.chip.append(chip)
    for (node, neuron) in sampled {
      self.sampled.append(node)
      sampledNeuron.append(neuron)
    }
    sampledStart.append(self.sampled.count)
  }

  public func sampled(unit u: Int) -> ArraySlice<UInt64> { sampled[sampledStart[u]..<sampledStart[u + 1]] }

  /// What `rank` samples: its units' sampled nodes, in unit order.
  func schedule(rank: Int, steps: [Int64]) -> SampleSchedule {
    var sites: [(population: Int, chip: Int, neuron: Int)] = []
    for u in 0..<count where owner[u] == rank {
      for i in sampledStart[u]..<sampledStart[u + 1] { sites.append((population[u], chip[u], sampledNeuron[i])) }
    }
    return SampleSchedule(steps: steps, sites: sites)
  }
}

/// The rows of `/fabric/links`, `/fabric/routers` and `/fabric/pes` in the master file's order:
/// per row group (a chip's links, a router, a PE), the rank whose file holds it.
public struct FabricRows: Sendable {
  public var links: [TraceSegment]
  public var routers: [TraceSegment]
  public var pes: [TraceSegment]

  public init(links: [TraceSegment], routers: [TraceSegment], pes: [TraceSegment] = []) {
    self.links = links
    self.routers = routers
    self.pes = pes
  }

  /// One link row and one router row per chip, chip c in the file of rank `owners[c]`.
  public init(rowOwners owners: [Int]) {
    let rows = owners.map { TraceSegment(rank: $0, count: 1) }
    self.init(links: rows, routers: rows)
  }
}

/// The engine's recording books of one rank: what it records (for its rank file), its spikes per
/// unit, and the master file's layout once the counts of every rank are in.
struct RecordingPlan {
  let network: Network
  let units: RecordingUnits
  let sampleSteps: [Int64]
  let dt: Double
  /// Per population, the unit of each node (-1: none).
  let unitOfNode: [[Int32]]
  /// Spikes recorded per unit: this rank's, then (after `gathered`) every rank's.
  private(set) var spikes: [Int64]

  init(network: Network, units: RecordingUnits, sampleSteps: [Int64], dt: Double) {
    self.network = network
    self.units = units
    self.sampleSteps = sampleSteps
    self.dt = dt
    var unitOfNode = network.populations.map { [Int32](repeating: -1, count: $0.size) }
    for u in 0..<units.count {
      for n in units.nodes[u] { unitOfNode[units.population[u]][n] = Int32(u) }
    }
    self.unitOfNode = unitOfNode
    spikes = [Int64](repeating: 0, count: units.count)
  }

  /// What `rank`'s file records of each population: its spikes, and the nodes its units sample.
  func recordedPopulations(rank: Int) -> [RecordedPopulation] {
    var recorded = network.populations.enumerated().map { p, population in
      RecordedPopulation(name: population.label, recordsSpikes: network.records(.spikes, of: population.label), sampledNodes: [],
                         size: population.size, sampleInterval: Double(sampleSteps[p]) * dt)
    }
    for u in 0..<units.count where units.owner[u] == rank {
      recorded[units.population[u]].sampledNodes.append(contentsOf: units.sampled(unit: u))
    }
    return recorded
  }

  /// Counts the spikes of a window's records by unit.
  mutating func count(_ records: TraceRecords) {
    for i in 0..<records.spikeCount {
      let u = unitOfNode[records.spikePopulation[i]][Int(records.spikeNode[i])]
      if u >= 0 { spikes[Int(u)] += 1 }
    }
  }

  var spikeTotal: Int64 { spikes.reduce(0, +) }

  /// The counts of every rank (the engine's one reduction at the end of the run).
  mutating func gathered(_ all: [Int64]) { spikes = all }

  /// The master file over the rank files: spikes and samples in unit order, fabric rows as given.
  func layout(rankFiles: [String], sampleRows: [Int], seriesRows: Int, seriesInterval: Double, fabric: FabricTotals,
              rows: FabricRows) -> TraceLayout {
    var spikeSegments = network.populations.map { _ in [TraceSegment]() }
    var sampleSegments = spikeSegments
    var sampledNodes = network.populations.map { _ in [UInt64]() }
    for u in 0..<units.count {
      let p = units.population[u], rank = units.owner[u]
      spikeSegments[p].append(TraceSegment(rank: rank, count: Int(spikes[u])))
      let sampled = units.sampled(unit: u)
      sampleSegments[p].append(TraceSegment(rank: rank, count: sampled.count))
      sampledNodes[p].append(contentsOf: sampled)
    }
    let populations = network.populations.enumerated().map { p, population in
      TraceLayout.Population(
        name: population.label, size: population.size,
        spikeSegments: network.records(.spikes, of: population.label) ? spikeSegments[p] : nil,
        sampledNodes: sampledNodes[p], sampleSegments: sampleSegments[p], sampleRows: sampleRows[p],
        sampleInterval: Double(sampleSteps[p]) * dt)
    }
    return TraceLayout(rankFiles: rankFiles, populations: populations, linkColumns: fabric.linkColumns.map(\.name),
                       routerColumns: fabric.routerColumns.map(\.name), peColumns: fabric.peColumns.map(\.name),
                       linkSegments: rows.links, routerSegments: rows.routers, peSegments: rows.pes,
                       latencyBins: fabric.latencyBins, seriesRows: seriesRows, seriesInterval: seriesInterval)
  }
}
