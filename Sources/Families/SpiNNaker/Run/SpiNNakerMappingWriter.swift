import Fabric
import Hardware
import Mapping
import Traces

/// Writes a `NetworkMapping` under `/mapping` of an HDF5 file (docs/formats.md practice: flat 1-D
/// datasets per column, names and units in attributes): slices, chips, links, the compressed
/// routing tables and the metrics (docs/peers.md §7.2) as attributes of `/mapping/metrics`.
public enum SpiNNakerMappingWriter {
  /// What the file says about the run that made the mapping.
  public struct Context: Sendable, Codable {
    public var system: String
    public var family: String
    public var network: String
    public var placer: String
    public var seed: UInt64
    /// x, y of every chip in index order.
    public var chipX: [Int]
    public var chipY: [Int]
    /// Latency of one link hop (ms): the lookahead when chips of different ranks are neighbours.
    public var linkLatency: Double

    public init(system: String, family: String, network: String, placer: String, seed: UInt64, chipX: [Int], chipY: [Int],
                linkLatency: Double) {
      self.system = system
      self.family = family
      self.network = network
      self.placer = placer
      self.seed = seed
      self.chipX = chipX
      self.chipY = chipY
      self.linkLatency = linkLatency
    }

    /// The context of a mapping onto SpiNNaker machine `system`, read from the file `path`.
    public init(system: SpiNNakerSystem, path: String, network: String, placer: PlacementStrategy, seed: UInt64) {
      let chips = system.chips
      self.init(system: path, family: system.family, network: network, placer: placer.rawValue, seed: seed,
                chipX: chips.map(\.x), chipY: chips.map(\.y), linkLatency: HardwareClock.bioMilliseconds(system.link.latency))
    }
  }

  public static func write(_ mapping: NetworkMapping, machine: MachineGraph, context: Context, to root: HDF5Group) throws {
    let group = try root.createGroup("mapping")
    try group.setAttribute("system", context.system)
    try group.setAttribute("family", context.family)
    try group.setAttribute("network", context.network)
    try group.setAttribute("placer", context.placer)
    try group.setAttribute("seed", context.seed)
    try group.setAttribute("populations", strings: mapping.traffic.labels)
    try group.setAttribute("slice_limits", strings: mapping.sliceLimits)

    let graph = mapping.graph, placement = mapping.placement
    let slices = try group.createGroup("slices")
    try slices.setAttribute("description", "one processing element's range of a population; key = base | atom, mask applies to every slice")
    _ = try slices.createDataset("population", values: graph.slices.map { Int32($0.population) })
    _ = try slices.createDataset("first", values: graph.slices.map { Int64($0.first) })
    _ = try slices.createDataset("count", values: graph.slices.map { Int32($0.count) })
    _ = try slices.createDataset("chip", values: placement.chip.map { Int32($0) })
    _ = try slices.createDataset("pe", values: placement.pe.map { Int32($0) })
    _ = try slices.createDataset("key", values: mapping.keys.base)
    try slices.setAttribute("mask", mapping.keys.mask)
    _ = try slices.createDataset("cycles_per_tick", values: mapping.loads.map(\.cycles))
    _ = try slices.createDataset("packets_per_tick", values: mapping.loads.map(\.packets))
    _ = try slices.createDataset("spikes_per_second", values: graph.spikeRate)
    _ = try slices.createDataset("remote_chips", values: mapping.routing.remoteChips.map { Int32($0) })

    let chips = try group.createGroup("chips")
    var used = [Int32](repeating: 0, count: machine.chipCount)
    for chip in placement.chip { used[chip] += 1 }
    _ = try chips.createDataset("x", values: context.chipX.map { Int32($0) })
    _ = try chips.createDataset("y", values: context.chipY.map { Int32($0) })
    _ = try chips.createDataset("working_pes", values: machine.workingPEs.map { Int32($0.count) })
    _ = try chips.createDataset("used_pes", values: used)
    _ = try chips.createDataset("entries_uncompressed", values: mapping.metrics.entriesBefore.map { Int32($0) })
    _ = try chips.createDataset("entries", values: mapping.metrics.entriesAfter.map { Int32($0) })
    _ = try chips.createDataset("rank", values: mapping.rankOfChip.map { Int32($0) })
    try chips.setAttribute("table_capacity", Int64(machine.tableCapacity))

    let links = try group.createGroup("links")
    var source: [Int32] = [], direction: [Int32] = [], target: [Int32] = [], load: [Double] = []
    for chip in 0..<machine.chipCount {
      for l in 0..<machine.linksPerChip where machine.neighbour(of: chip, link: l) >= 0 {
        source.append(Int32(chip))
        direction.append(Int32(l))
        target.append(Int32(machine.neighbour(of: chip, link: l)))
        load.append(mapping.routing.linkLoad[chip * machine.linksPerChip + l])
      }
    }
    _ = try links.createDataset("source_chip", values: source)
    _ = try links.createDataset("link", values: direction)
    _ = try links.createDataset("target_chip", values: target)
    _ = try links.createDataset("expected_packets_per_second", values: load)

    let tables = try group.createGroup("routing_tables")
    try tables.setAttribute("description", "compressed tables, chip by chip in priority order; route = link bits [5:0] and PE bits in pes_0..2 (PE p is bit p mod 64 of pes_(p/64))")
    var chip: [Int32] = [], key: [UInt32] = [], mask: [UInt32] = [], linkBits: [UInt8] = []
    var pes: ([UInt64], [UInt64], [UInt64]) = ([], [], [])
    for (c, table) in mapping.tables.enumerated() {
      for entry in table.entries {
        chip.append(Int32(c))
        key.append(entry.key)
        mask.append(entry.mask)
        linkBits.append(entry.route.links)
        pes.0.append(entry.route.pes.0)
        pes.1.append(entry.route.pes.1)
        pes.2.append(entry.route.pes.2)
      }
    }
    _ = try tables.createDataset("chip", values: chip)
    _ = try tables.createDataset("key", values: key)
    _ = try tables.createDataset("mask", values: mask)
    _ = try tables.createDataset("links", values: linkBits)
    _ = try tables.createDataset("pes_0", values: pes.0)
    _ = try tables.createDataset("pes_1", values: pes.1)
    _ = try tables.createDataset("pes_2", values: pes.2)

    let m = mapping.metrics
    let metrics = try group.createGroup("metrics")
    let values: [(String, Double)] = [
      ("slices", Double(m.slices)), ("working_pes", Double(m.workingPEs)), ("used_chips", Double(m.usedChips)),
      ("live_chips", Double(m.liveChips)), ("synapses", m.synapses), ("edge_cut_synapses", m.edgeCut),
      ("packets_per_second", m.packetsPerSecond), ("remote_chips_per_spike", m.remoteChipsPerSpike),
      ("hops_per_second", m.hopsPerSecond), ("hops_per_spike", m.hopsPerSpike), ("busiest_link_load", m.busiestLinkLoad),
      ("max_entries_uncompressed", Double(m.entriesBefore.max() ?? 0)), ("max_entries", Double(m.entriesAfter.max() ?? 0)),
      ("ranks", Double(m.ranks)), ("rank_crossing_packets_per_second", m.rankCrossingPerSecond),
      ("lookahead_ms", lookahead(m, context)),
    ]
    for (name, value) in values { try metrics.setAttribute(name, value) }
    for time in m.stageSeconds { try metrics.setAttribute("seconds_\(time.stage)", time.seconds) }
  }

  /// The conservative lookahead the rank split allows: one link hop where ranks touch, the whole
  /// run (infinity) on one rank.
  public static func lookahead(_ m: MappingMetrics, _ context: Context) -> Double {
    m.ranks > 1 ? context.linkLatency : .infinity
  }
}
