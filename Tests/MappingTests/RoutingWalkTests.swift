import Testing
import Hardware
@testable import Mapping
import Model

/// The compression checker: every key of every slice, walked through the compressed tables from its
/// source chip, reaches exactly the PEs of its target slices, on boards and triads with faults.
/// (A slice without targets sends no packets, so its keys are not walked.)
@Suite struct RoutingWalkTests {
  /// A random network: populations of random sizes, random dense projections, a one-to-one drive
  /// and a from-list projection.
  static func randomNetwork(seed: UInt64) -> Network {
    var stream = RandomStream(seed: seed, purpose: .connections, group: 99, member: 0)
    var network = Network(name: "random-\(seed)")
    let count = 4 + Int(stream.nextIndex(below: 4))
    for p in 0..<count {
      network.populations.append(Population(label: "p\(p)", size: 20 + Int(stream.nextIndex(below: 300)), cellType: .ifCurrExp(LIFParameters()),
                                            expectedRate: 1 + Double(stream.nextIndex(below: 20))))
    }
    for a in 0..<count {
      for b in 0..<count where stream.nextUnit() < 0.35 {
        network.projections.append(Projection(label: "p\(a)->p\(b)", pre: "p\(a)", post: "p\(b)", receptor: .excitatory,
                                              connector: .fixedProbability(0.05), weight: .constant(0.1), delay: .constant(1)))
      }
    }
    let size = network.populations[0].size
    network.populations.append(Population(label: "drive", size: size, cellType: .poissonSource(rate: 50, start: 0, stop: .infinity)))
    network.projections.append(Projection(label: "drive->p0", pre: "drive", post: "p0", receptor: .excitatory,
                                          connector: .oneToOne, weight: .constant(0.1), delay: .constant(1)))
    let list = (0..<30).map { ListConnection(pre: $0 * 7 % network.populations[1].size, post: $0 * 13 % network.populations[2].size) }
    network.projections.append(Projection(label: "p1->p2 list", pre: "p1", post: "p2", receptor: .inhibitory,
                                          connector: .fromList(list), weight: .constant(0.1), delay: .constant(1)))
    return network
  }

  /// Small PEs and few atoms per PE, so a modest network spreads over many chips and tables.
  static func system(_ shape: SpiNNakerShape) -> SpiNNakerSystem {
    var s = SpiNNakerSystem()
    s.shape = shape
    s.pesPerChip = 4
    s.maxAtomsPerPE = 24
    s.timestep = 1
    s.deadChips = [ChipCoordinate(2, 2)]
    s.deadLinks = [ChipLink(ChipCoordinate(1, 1), 0), ChipLink(ChipCoordinate(3, 4), 2), ChipLink(ChipCoordinate(4, 4), 1)]
    s.deadPEs = [ChipCoordinate(0, 0): [1]]
    return s
  }

  static func walkEveryKey(_ mapping: NetworkMapping, _ machine: MachineGraph) -> (keys: Int, failures: [String]) {
    var failures: [String] = [], keys = 0
    for s in 0..<mapping.graph.count {
      let expected = Set(mapping.graph.edges(of: s).map {
        RouteWalker.Delivery(chip: mapping.placement.chip[mapping.graph.targets[$0]], pe: mapping.placement.pe[mapping.graph.targets[$0]])
      }).sorted()
      guard !expected.isEmpty else { continue }
      for atom in 0..<mapping.graph.slices[s].count {
        keys += 1
        let key = mapping.keys.key(slice: s, atom: atom)
        switch RouteWalker.deliveries(key: key, source: mapping.placement.chip[s], tables: mapping.tables, machine: machine) {
        case let .success(reached) where reached == expected: break
        case let .success(reached): failures.append("slice \(s) atom \(atom): reached \(reached.count) PEs, expected \(expected.count)")
        case let .failure(failure): failures.append("slice \(s) atom \(atom): \(failure)")
        }
      }
    }
    return (keys, failures)
  }

  @Test(arguments: [SpiNNakerShape.board, .triads(width: 1, height: 1, wrapAround: true)], PlacementStrategy.allCases)
  func everyKeyReachesExactlyItsTargets(shape: SpiNNakerShape, strategy: PlacementStrategy) throws {
    let system = Self.system(shape)
    let machine = system.machineGraph
    var sawCompression = false, sawDefaultRouting = false
    for seed in [1, 2, 3] as [UInt64] {
      let network = Self.randomNetwork(seed: seed)
      #expect(network.validate().isEmpty)
      let mapping = try NetworkMapping(network: network, machine: machine, costs: system.coreCosts, tick: 1e-3,
                                       options: MappingOptions(strategy: strategy, seed: seed))
      #expect(mapping.placement.usedChips.count > 4, "the network should spread over several chips")
      #expect(!mapping.placement.chip.contains(machine.chipCount) && mapping.placement.chip.allSatisfy { !machine.workingPEs[$0].isEmpty })
      let (keys, failures) = Self.walkEveryKey(mapping, machine)
      // Every neuron of a population with a dense or one-to-one projection sends (p1's list reaches few slices).
      let senders = Set(network.projections.filter { if case .fromList = $0.connector { false } else { true } }.map(\.pre))
      #expect(keys >= network.populations.filter { senders.contains($0.label) }.reduce(0) { $0 + $1.size })
      #expect(failures.isEmpty, "\(shape) \(strategy) seed \(seed): \(failures.prefix(5))")
      sawCompression = sawCompression || mapping.metrics.entriesAfter.reduce(0, +) < mapping.metrics.entriesBefore.reduce(0, +)
      sawDefaultRouting = sawDefaultRouting || mapping.routing.tables.contains { $0.defaultable.contains(true) }
    }
    #expect(sawCompression)
    #expect(sawDefaultRouting)
  }

  @Test func placementDoesNotDependOnTheRankCount() throws {
    let system = Self.system(.triads(width: 1, height: 1, wrapAround: true))
    let network = Self.randomNetwork(seed: 4)
    let mappings = try [1, 2, 3].map { ranks in
      try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: 1e-3,
                         options: MappingOptions(strategy: .graph, seed: 9, ranks: ranks))
    }
    for m in mappings.dropFirst() {
      #expect(m.placement == mappings[0].placement)
      #expect(m.tables == mappings[0].tables)
    }
    let live = system.machineGraph.liveChips
    #expect(Set(live.map { mappings[2].rankOfChip[$0] }) == [0, 1, 2])
    #expect(mappings[2].metrics.rankCrossingPerSecond > 0)
  }
}
