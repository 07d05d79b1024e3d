import Testing
@testable import Model

@Suite struct ConnectorTests {
  func network(_ connector: Connector, pre: Int = 200, post: Int = 150, samePopulation: Bool = false,
               autapses: Bool = true, weight: ValueDistribution = .constant(0.1)) -> Network {
    var cell = LIFParameters()
    cell.tauRefrac = 2
    let populations = samePopulationPopulations(pre: pre, post: post, samePopulation: samePopulation, cell: cell)
    return Network(name: "test", populations: populations, projections: [
      Projection(label: "p", pre: "a", post: samePopulation ? "a" : "b", receptor: .excitatory, connector: connector,
                 allowAutapses: autapses, weight: weight, delay: .uniform(low: 0.5, high: 2)),
    ])
  }

  func samePopulationPopulations(pre: Int, post: Int, samePopulation: Bool, cell: LIFParameters) -> [Population] {
    var populations = [Population(label: "a", size: pre, cellType: .ifCurrExp(cell))]
    if !samePopulation { populations.append(Population(label: "b", size: post, cellType: .ifCurrExp(cell))) }
    return populations
  }

  func incoming(_ network: Network, seed: UInt64 = 5) throws -> [[UInt32]] {
    #expect(network.validate().isEmpty, "\(network.validate())")
    let generator = try SynapseGenerator(network: network, seed: seed)
    let post = network.populations[network.populationIndex(network.projections[0].post)!].size
    return (0..<post).map { target in
      var list = SynapseList()
      generator.appendIncoming(projection: 0, target: target, to: &list)
      #expect(list.delays.allSatisfy { $0 >= 0.5 && $0 <= 2 })
      return list.partners
    }
  }

  @Test func fixedProbabilityCountIsWithinBinomialBounds() throws {
    let p = 0.1, pairs = 200.0 * 150
    for seed in [1, 2, 3] as [UInt64] {
      let total = try incoming(network(.fixedProbability(p)), seed: seed).reduce(0) { $0 + $1.count }
      let mean = p * pairs, sd = (pairs * p * (1 - p)).squareRoot()
      #expect(abs(Double(total) - mean) < 5 * sd, "seed \(seed): \(total) synapses, expected \(mean) ± \(sd)")
    }
    let statistics = network(.fixedProbability(p)).projectionStatistics()[0]
    #expect(statistics.expectedSynapses == p * pairs)
  }

  @Test func fixedProbabilityPerSourceIsUniform() throws {
    var bySource = [Int](repeating: 0, count: 200)
    for sources in try incoming(network(.fixedProbability(0.5), pre: 200, post: 1000)) {
      for s in sources { bySource[Int(s)] += 1 }
    }
    // Each source: Binomial(1000, 0.5): mean 500, sd 15.8.
    #expect(bySource.allSatisfy { (420...580).contains($0) }, "\(bySource.min()!)…\(bySource.max()!)")
  }

  @Test func fixedIndegreeIsExact() throws {
    let all = try incoming(network(.fixedIndegree(37, multapses: true)))
    #expect(all.allSatisfy { $0.count == 37 })
    let distinct = try incoming(network(.fixedIndegree(150, multapses: false)))
    #expect(distinct.allSatisfy { $0.count == 150 && Set($0).count == 150 })
  }

  @Test func fixedOutdegreeIsExactAndIncomingAgrees() throws {
    let net = network(.fixedOutdegree(12, multapses: false), pre: 60, post: 40)
    #expect(net.validate().isEmpty)
    let generator = try SynapseGenerator(network: net, seed: 11)
    var outgoing: [[UInt32]] = []
    for source in 0..<60 {
      var list = SynapseList()
      generator.appendOutgoing(projection: 0, source: source, to: &list)
      #expect(list.count == 12 && Set(list.partners).count == 12)
      outgoing.append(list.partners)
    }
    let incomingLists = try incoming(net, seed: 11)
    for target in 0..<40 {
      let expected = (0..<60).flatMap { s in outgoing[s].filter { $0 == UInt32(target) }.map { _ in UInt32(s) } }
      #expect(incomingLists[target] == expected)
    }
  }

  @Test func oneToOneIsExact() throws {
    let all = try incoming(network(.oneToOne, pre: 150, post: 150))
    #expect(all.enumerated().allSatisfy { $0.element == [UInt32($0.offset)] })
  }

  @Test(arguments: [Connector.allToAll, .fixedProbability(1), .fixedProbability(0.3), .fixedIndegree(199, multapses: false),
                    .fixedIndegree(500, multapses: true), .oneToOne])
  func noAutapsesWhenDisabled(connector: Connector) throws {
    let all = try incoming(network(connector, pre: 200, samePopulation: true, autapses: false))
    #expect(all.enumerated().allSatisfy { target, sources in !sources.contains(UInt32(target)) })
    if connector == .allToAll || connector == .fixedProbability(1) {
      #expect(all.allSatisfy { $0.count == 199 })
    }
  }

  @Test func fromListIsGroupedByTarget() throws {
    let list = [ListConnection(pre: 3, post: 1), ListConnection(pre: 0, post: 2, weight: 0.7, delay: 1.25), ListConnection(pre: 4, post: 1)]
    let net = network(.fromList(list), pre: 5, post: 3)
    let generator = try SynapseGenerator(network: net, seed: 1)
    var synapses = SynapseList()
    generator.appendIncoming(projection: 0, target: 1, to: &synapses)
    #expect(synapses.partners == [3, 4])
    synapses.removeAll()
    generator.appendIncoming(projection: 0, target: 2, to: &synapses)
    #expect(synapses.partners == [0] && synapses.weights == [0.7] && synapses.delays == [1.25])
  }

  @Test func normalClippedWeightsStayInsideTheWindow() throws {
    let net = network(.fixedIndegree(100, multapses: true), weight: .normalClipped(mean: 0.1, sd: 0.05, low: 0.05, high: 0.2))
    let generator = try SynapseGenerator(network: net, seed: 2)
    var list = SynapseList()
    for target in 0..<150 { generator.appendIncoming(projection: 0, target: target, to: &list) }
    #expect(list.weights.allSatisfy { $0 >= 0.05 && $0 <= 0.2 })
    let mean = list.weights.reduce(0, +) / Float(list.count)
    // Mean of N(0.1, 0.05) truncated to [−1 sd, +2 sd]: 0.1 + 0.05·(φ(−1) − φ(2)) / (Φ(2) − Φ(−1)) = 0.11148.
    #expect(abs(mean - 0.11148) < 0.002)
  }
}
