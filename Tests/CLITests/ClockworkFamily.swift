import Distributed
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
  var benchSystems: [BenchSystem] { [] }

  func readSystem(_ doc: inout TOMLDocumentReader, top: TOMLDocumentReader.Section, header: TOMLDocumentReader.Section,
                  name: String) -> SystemDescription {
    doc.checkKeys(top, allowed: ["system"])
    doc.checkKeys(header, allowed: ["family", "name", "chips", "period"])
    var system = ClockworkSystem()
    system.name = doc.string(header, "name") ?? "clockwork"
    if let chips = doc.integer(header, "chips") {
      if (1...64).contains(chips) { system.chips = chips } else { doc.fail(header, "chips", "must be in 1...64, got \(chips)") }
    }
    if let period = doc.integer(header, "period") {
      if period >= 1 { system.period = period } else { doc.fail(header, "period", "must be ≥ 1, got \(period)") }
    }
    return system
  }

  func map(_ network: Network, onto system: SystemDescription, options: MapOptions) throws -> any FamilyMapping {
    ClockworkMapping(network: network, system: system as! ClockworkSystem, ranks: options.ranks)
  }

  func loadMapping(_ state: [UInt8], network: Network, onto system: SystemDescription, options: MapOptions) throws -> any FamilyMapping {
    try map(network, onto: system, options: options)
  }
}

struct ClockworkSystem: SystemDescription {
  var name = "clockwork"
  var family: String { "clockwork" }
  var chips = 2
  var period = 10
}

/// Population p's neuron n on chip ⌊n · chips / size⌋; chips in blocks per rank.
final class ClockworkMapping: FamilyMapping {
  let network: Network
  let system: ClockworkSystem
  let decomposition: DomainDecomposition

  init(network: Network, system: ClockworkSystem, ranks: Int) {
    self.network = network
    self.system = system
    decomposition = .blocks(system.chips, ranks: ranks)
  }

  func chip(population p: Int, neuron n: Int) -> Int { n * system.chips / network.populations[p].size }

  var report: String { "mapping: \(network.name) on \(system.name) (clockwork, \(system.chips) chips, period \(system.period) steps)" }

  func write(to root: HDF5Group) throws { try root.group("mapping").setAttribute("family", "clockwork") }

  func encodedState() throws -> [UInt8] { [] }

  func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun {
    ClockworkRun(mapping: self, options: options, rank: rank)
  }
}

final class ClockworkRun: FamilyRun {
  let mapping: ClockworkMapping
  let options: RunOptions
  let localChips: [Int]
  /// (population, neuron, chip) of every neuron on this rank, and per local chip the packets received.
  var neurons: [(population: Int, neuron: Int, chip: Int)] = []
  var received: [UInt64]

  init(mapping: ClockworkMapping, options: RunOptions, rank: Int) {
    self.mapping = mapping
    self.options = options
    localChips = mapping.decomposition.chips(ofRank: rank)
    received = Array(repeating: 0, count: localChips.count)
  }

  var family: String { "clockwork" }
  var network: Network { mapping.network }
  var plan: String { "  run          \(steps) steps on \(mapping.decomposition.ranks) rank(s)" }
  var steps: Int64 { Int64((options.duration / dt).rounded()) }
  var dt: Double { 0.1 }
  var windowSteps: Int64 { 5 }
  var lookahead: Double { 0.5 }
  var speedup: Double { 1 }
  var mismatch: String? { nil }
  var seriesColumns: Int { localChips.count }
  var seriesInterval: Double { dt }
  var sampleSteps: [Int64] { network.populations.map { _ in 1 } }

  func load() throws(RunError) -> [[PacketRecord]] {
    for (p, population) in network.populations.enumerated() {
      for n in 0..<population.size where localChips.contains(mapping.chip(population: p, neuron: n)) {
        neurons.append((p, n, mapping.chip(population: p, neuron: n)))
      }
    }
    return Array(repeating: [], count: mapping.decomposition.ranks)
  }

  /// A unit per neuron, in node order.
  var recordingUnits: RecordingUnits {
    var units = RecordingUnits()
    for (p, population) in network.populations.enumerated() {
      for n in 0..<population.size {
        units.append(owner: mapping.decomposition.rank(ofChip: mapping.chip(population: p, neuron: n)), population: p, nodes: n..<(n + 1))
      }
    }
    return units
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
    for packet in packets { received[localChips.firstIndex(of: Int(packet.node))!] += 1 }
  }

  func counters() -> RunCounters {
    var counters = RunCounters()
    counters.add("received", received.reduce(0, +))
    return counters
  }

  func totals(_ counters: RunCounters) -> FamilyTotals {
    let columns: [(name: String, values: [UInt64])] = [("chip", localChips.map { UInt64($0) }), ("received", received)]
    return FamilyTotals(synapses: 0, synapticEvents: 0, packets: UInt64(counters["received"]), drops: 0,
                        notes: ["clockwork         \(counters["received"]) packets received"],
                        fabric: FabricTotals(linkColumns: columns, latencyHistogram: Array(repeating: 0, count: localChips.count),
                                             latencyBins: 1, routerColumns: columns))
  }

  var fabricRows: FabricRows { FabricRows(rowOwners: (0..<mapping.system.chips).map { mapping.decomposition.rank(ofChip: $0) }) }

  func writeGroups(to root: HDF5Group) throws { try mapping.write(to: root) }
}
