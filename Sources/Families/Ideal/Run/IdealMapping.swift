import Distributed
import Hardware
import Mapping
import Model
import Traces

/// A network on an `ideal` system: populations striped over the live chips, chips in contiguous
/// blocks per rank. Routes are built by the ranks when they load (`IdealRoutes`).
public final class IdealMapping: FamilyMapping {
  public let network: Network
  let system: IdealSystem
  public let placement: StripedPlacement
  public let decomposition: DomainDecomposition

  init(network: Network, system: IdealSystem, ranks: Int) {
    self.network = network
    self.system = system
    placement = StripedPlacement(network: network, chips: system.chips, liveChips: system.liveChips)
    decomposition = .blocks(system.chips, ranks: ranks)
  }

  public var report: String {
    let counts = system.liveChips.map { placement.neuronCount(chip: $0) }
    var lines = ["mapping: \(network.name) on \(system.name) (ideal, dt \(system.dt) ms)"]
    lines.append("  neurons      \(network.neuronCount.grouped) in \(network.populations.count) populations, ~\(Int(network.expectedSynapseCount).grouped) synapses")
    lines.append("  chips        \(system.liveChips.count) live of \(system.chips), \(counts.min() ?? 0)–\(counts.max() ?? 0) neurons each (striped placement)")
    if !system.deadChips.isEmpty || !system.deadLinks.isEmpty {
      lines.append("  faults       dead chips \(system.deadChips.sorted()), dead links \(system.deadLinks.count)")
    }
    lines.append("  ranks        \(decomposition.ranks), chips per rank \(DomainDecomposition.chipsPerRank(decomposition.rankOfChip, ranks: decomposition.ranks))")
    return lines.joined(separator: "\n")
  }

  /// `/mapping/chips`: neurons and owning rank of every chip.
  public func write(to root: HDF5Group) throws {
    let group = try root.group("mapping")
    try group.setAttribute("family", "ideal")
    let chips = try group.group("chips")
    try chips.createDataset("neurons", values: (0..<system.chips).map { UInt64(placement.neuronCount(chip: $0)) })
    try chips.createDataset("rank", values: decomposition.rankOfChip.map { UInt64($0) })
    try chips.createDataset("dead", values: (0..<system.chips).map { UInt64(system.deadChips.contains($0) ? 1 : 0) })
  }

  public func encodedState() throws -> [UInt8] { [] }

  public func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun {
    IdealRun(mapping: self, network: network, system: system, options: options, rank: rank)
  }
}
