import Foundation
import Hardware
@testable import Mapping
import Model
import TestSupport
import Testing

/// The graph placer optimises what it promises, remote chips per spike, and is never worse on it
/// than filling chips in order, for several networks, machines and seeds.
@Suite struct GraphPlacementTests {
  static let systems: [(name: String, localPoisson: Bool)] = [("spinnaker1-board.toml", true), ("spinnaker2-board.toml", false)]

  static func system(_ name: String, localPoisson: Bool) throws -> SpiNNakerSystem {
    var text = try String(contentsOfFile: topology(name), encoding: .utf8)
    if !localPoisson { text = text.replacingOccurrences(of: "local_poisson_input = true", with: "local_poisson_input = false") }
    let read: SystemFileReader.FamilyReader = { SystemFileReader.readSpiNNaker(&$0, $1, $2, generation: name.hasPrefix("spinnaker1") ? .spinnaker1 : .spinnaker2) }
    let system = try #require(try SystemFileReader.parse(text, file: name, families: [("spinnaker1", read), ("spinnaker2", read)]) as? SpiNNakerSystem)
    #expect(system.localPoissonInput == localPoisson)
    return system
  }

  static func mapping(_ network: Network, _ system: SpiNNakerSystem, _ strategy: PlacementStrategy, seed: UInt64) throws -> NetworkMapping {
    try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: system.timestep * 1e-3,
                       options: MappingOptions(strategy: strategy, seed: seed, localPoissonInput: system.localPoissonInput))
  }

  @Test(arguments: ["microcircuit:N_scaling=0.1", "brunel:N=10000", "synfire:groups=40"])
  func graphIsNeverWorseThanSequential(spec: String) throws {
    let network = try StandardNetworks.build(spec)
    var gained = false
    for (name, localPoisson) in Self.systems {
      let system = try Self.system(name, localPoisson: localPoisson)
      let sequential = try Self.mapping(network, system, .sequential, seed: 1).metrics.remoteChipsPerSpike
      for seed: UInt64 in [1, 2, 7] {
        let graph = try Self.mapping(network, system, .graph, seed: seed).metrics.remoteChipsPerSpike
        #expect(graph <= sequential + 1e-9, "\(spec) on \(name), seed \(seed): graph \(graph) > sequential \(sequential)")
        gained = gained || graph < sequential * 0.9
      }
    }
    #expect(gained, "\(spec): the graph placer gains nowhere")
  }

  /// The refinement's objective is the metric the mapping reports.
  @Test func refinementMeasuresTheReportedMetric() throws {
    let system = try Self.system("spinnaker1-board.toml", localPoisson: true)
    let mapping = try Self.mapping(try StandardNetworks.build("microcircuit:N_scaling=0.1"), system, .sequential, seed: 1)
    let refinement = RemoteChipRefinement(graph: mapping.graph, loads: mapping.loads, machine: system.machineGraph,
                                          chipOf: mapping.placement.chip)
    #expect(abs(refinement.objective - mapping.metrics.remoteChipsPerSpike) < 1e-9)
  }
}
