import Engine
import Fabric
import Hardware
import Mapping
import Model
import Traces

/// A family that exists only in the tests, to show that a family plugs in through `FamilyRegistry`
/// alone: `clockwork` chips whose neurons fire on a fixed schedule (neuron n in step k when
/// (n + k) % period == 0) and send each spike to the next chip, which counts what arrives.
struct ClockworkFamily: Family {
  var names: [String] { ["clockwork"] }
  var summary: String { "neurons on a fixed schedule, each spike sent to the next chip (tests only)" }

  func readSystem(_ doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section,
                  name: String) -> SystemDescription {
    doc.checkKeys(top, allowed: ["system"])
    doc.checkKeys(header, allowed: ["family", "name", "chips", "period"])
    let system = ClockworkSystem(chips: doc.integer(header, "chips") ?? 2, period: doc.integer(header, "period") ?? 10)
    if !(1...64).contains(system.chips) { doc.fail(header, "chips", "must be in 1...64, got \(system.chips)") }
    if system.period < 1 { doc.fail(header, "period", "must be ≥ 1, got \(system.period)") }
    return system
  }

  func map(_ network: Network, onto system: ClockworkSystem, options: MapOptions) throws -> any FamilyMapping {
    ClockworkMapping(network: network, system: system, decomposition: .blocks(system.chips, ranks: options.ranks))
  }
}

struct ClockworkSystem: SystemDescription {
  var name: String { "clockwork" }
  var family: String { "clockwork" }
  var chips: Int, period: Int
}

/// Each population's neurons in equal blocks over the chips, the chips in blocks over the ranks.
final class ClockworkMapping: FamilyMapping {
  let network: Network, system: ClockworkSystem, decomposition: DomainDecomposition
  init(network: Network, system: ClockworkSystem, decomposition: DomainDecomposition) { (self.network, self.system, self.decomposition) = (network, system, decomposition) }
  func chip(population p: Int, neuron n: Int) -> Int { n * system.chips / network.populations[p].size }
  var report: String { "mapping: \(network.name) on clockwork (\(system.chips) chips, period \(system.period) steps)" }
  func write(to root: HDF5Group) throws { try root.group("mapping").setAttribute("family", "clockwork") }
  func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun { ClockworkRun(self, options, rank) }
}

/// The chips of one rank: a unit per neuron, a series column and a fabric row per chip.
final class ClockworkRun: FamilyRun {
  let mapping: ClockworkMapping, options: RunOptions, chips: [Int]
  var neurons: [(population: Int, neuron: Int, chip: Int)] = [], received: [UInt64]
  init(_ mapping: ClockworkMapping, _ options: RunOptions, _ rank: Int) {
    (self.mapping, self.options, chips) = (mapping, options, mapping.decomposition.chips(ofRank: rank))
    received = Array(repeating: 0, count: chips.count)
  }

  var family: String { "clockwork" }
  var network: Network { mapping.network }
  var dt: Double { 0.1 }
  var windowSteps: Int64 { 5 }
  var seriesColumns: Int { chips.count }
  var fabricRows: FabricRows { FabricRows(rowOwners: mapping.decomposition.rankOfChip) }
  var recordingUnits: RecordingUnits {
    network.populations.indices.reduce(into: RecordingUnits()) { units, p in
      for n in 0..<network.populations[p].size { units.append(owner: mapping.decomposition.rank(ofChip: mapping.chip(population: p, neuron: n)), population: p, nodes: n..<(n + 1)) }
    }
  }

  func load() throws(RunError) -> [[PacketRecord]] {
    neurons = network.populations.indices.flatMap { p in (0..<network.populations[p].size).map { (p, $0, mapping.chip(population: p, neuron: $0)) } }.filter { chips.contains($0.chip) }
    return []
  }

  func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
    for k in window {
      for (p, n, chip) in neurons where (n + Int(k)) % mapping.system.period == 0 {
        if network.records(.spikes, of: network.populations[p].label) { records.spike(population: p, time: Double(k + 1) * dt, node: UInt64(n)) }
        let target = (chip + 1) % mapping.system.chips
        outbox[mapping.decomposition.rank(ofChip: target)].append(PacketRecord(time: (k + 1) * 100_000_000, key: UInt32(n), node: UInt32(target)))
      }
      records.series(packets: received, drops: Array(repeating: 0, count: received.count))
    }
  }

  func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords) {
    for packet in packets { received[chips.firstIndex(of: Int(packet.node))!] += 1 }
  }

  func totals(_ counters: RunCounters) -> FamilyTotals {
    let columns: [(name: String, values: [UInt64])] = [("chip", chips.map { UInt64($0) }), ("received", received)]
    return FamilyTotals(fabric: FabricTotals(linkColumns: columns, latencyHistogram: Array(repeating: 0, count: chips.count), latencyBins: 1, routerColumns: columns))
  }
}
