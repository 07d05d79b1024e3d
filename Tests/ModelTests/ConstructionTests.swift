import Testing
@testable import Model

@Suite struct ConstructionTests {
  /// Any rank may ask for any target in any order: the synapses must not depend on it.
  @Test func randomTargetsInAnyOrderGiveIdenticalSynapses() throws {
    let network = try StandardNetworks.build("microcircuit:N_scaling=0.02")
    let generator = try SynapseGenerator(network: network, seed: 12345)
    var rng = RandomStream(seed: 99, purpose: .source, group: 0, member: 0)
    var targets: [(population: Int, neuron: Int)] = []
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      for neuron in 0..<population.size where rng.nextUnit() < 0.01 { targets.append((p, neuron)) }
    }
    #expect(targets.count > 10)
    let forward = targets.map { generator.incomingSynapses(population: $0.population, neuron: $0.neuron) }
    var order = Array(targets.indices)
    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.nextIndex(below: UInt32(i + 1)))) }
    let other = try SynapseGenerator(network: network, seed: 12345)
    for i in order {
      let again = other.incomingSynapses(population: targets[i].population, neuron: targets[i].neuron)
      #expect(again == forward[i])
    }
    #expect(forward.allSatisfy { !$0.isEmpty })
    let differentSeed = try SynapseGenerator(network: network, seed: 12346)
    #expect(differentSeed.incomingSynapses(population: targets[0].population, neuron: targets[0].neuron) != forward[0])
  }

  /// K_ij = ln(1 − p) / ln(1 − 1/(N_i N_j)), as NEST's example computes it.
  func nestSynapseTotal(nScaling: Double, kScaling: Double) -> Double {
    var total = 0.0
    for i in 0..<8 {
      for j in 0..<8 {
        let product = Double(Microcircuit.fullSizes[i] * Microcircuit.fullSizes[j])
        let k = _log(1 - Microcircuit.connectionProbabilities[i][j]) / _log((product - 1) / product)
        total += (k * nScaling * kScaling).rounded()
      }
    }
    return total
  }

  @Test func microcircuitAtFullScale() throws {
    let network = try StandardNetworks.build("microcircuit")
    let neurons = network.populations.filter { !$0.cellType.isSource }
    #expect(neurons.map(\.size) == [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
    #expect(neurons.reduce(0) { $0 + $1.size } == 77_169)
    let recurrent = network.projectionStatistics().filter { !$0.label.hasPrefix("bg_") }.reduce(0) { $0 + $1.expectedSynapses }
    // Potjans & Diesmann (2014): about 0.3 billion synapses.
    #expect(recurrent > 2.95e8 && recurrent < 3.05e8)
    #expect(abs(recurrent - nestSynapseTotal(nScaling: 1, kScaling: 1)) / recurrent < 1e-4)
  }

  @Test func microcircuitScalesAsNEST() throws {
    let full = try StandardNetworks.build("microcircuit")
    let tenth = try StandardNetworks.build("microcircuit:N_scaling=0.1")
    let sizes = tenth.populations.prefix(8).map(\.size)
    #expect(sizes == Microcircuit.fullSizes.map { Int((Double($0) * 0.1).rounded()) })
    let recurrent = tenth.projectionStatistics().filter { !$0.label.hasPrefix("bg_") }.reduce(0) { $0 + $1.expectedSynapses }
    // NEST: total synapses scale with N_scaling, so in-degrees stay those of the full network.
    #expect(abs(recurrent - nestSynapseTotal(nScaling: 0.1, kScaling: 1)) / recurrent < 2e-3)
    for (a, b) in zip(full.projectionStatistics(), tenth.projectionStatistics()) where !a.label.hasPrefix("bg_") {
      // Equal up to the rounding of the scaled population sizes (as in NEST).
      #expect(abs(a.meanInDegree - b.meanInDegree) / a.meanInDegree < 0.01, "\(a.label)")
    }
    // K_scaling scales in-degrees, and weights by 1/√K with a compensating DC (NEST's rule).
    let k = try StandardNetworks.build("microcircuit:N_scaling=0.1,K_scaling=0.25")
    let kRecurrent = k.projectionStatistics().filter { !$0.label.hasPrefix("bg_") }.reduce(0) { $0 + $1.expectedSynapses }
    #expect(abs(kRecurrent - nestSynapseTotal(nScaling: 0.1, kScaling: 0.25)) / kRecurrent < 5e-3)
    #expect(abs(k.projections[0].weight.mean - 2 * tenth.projections[0].weight.mean) < 1e-9)
    guard case let .ifCurrExp(cell) = k.populations[0].cellType else { Issue.record("cell type"); return }
    #expect(cell.iOffset > 0)
  }

  @Test func microcircuitWeightsMatchNESTsPSCs() throws {
    // NEST's example: PSP 0.15 mV ↔ PSC 87.81 pA for C_m 250 pF, τ_m 10 ms, τ_syn 0.5 ms.
    let pscPerPSP = StandardNetworks.currentPerPSP(cm: 0.25, tauM: 10, tauSyn: 0.5)
    #expect(abs(0.15 * pscPerPSP - 0.08781) < 1e-4)
    let network = try StandardNetworks.build("microcircuit")
    let l4eToL23e = network.projections.first { $0.label == "L4E->L23E" }!
    #expect(abs(l4eToL23e.weight.mean - 2 * 0.15 * pscPerPSP) < 1e-9)
    let inhibitory = network.projections.first { $0.label == "L23I->L23E" }!
    #expect(inhibitory.receptor == .inhibitory && abs(inhibitory.weight.mean - 4 * 0.15 * pscPerPSP) < 1e-9)
  }

  @Test func builtInNetworksAreValid() throws {
    for spec in ["brunel", "brunel:N=1000,indegree=100,state=A", "synfire", "synfire:groups=3,loop=1", "single", "chain:n=5",
                 "microcircuit:N_scaling=0.01,background=dc"] {
      let network = try StandardNetworks.build(spec)
      #expect(network.validate().isEmpty, "\(spec)")
    }
    let brunel = try StandardNetworks.build("brunel:N=10000,indegree=1000")
    #expect(brunel.populations.prefix(2).map(\.size) == [8000, 2000])
    #expect(brunel.projectionStatistics()[0].meanInDegree == 800)
    #expect(brunel.projectionStatistics()[2].meanInDegree == 200)
  }

  @Test(arguments: [
    ("brunel:N=abc", "--network brunel: N: must be an integer in 5...1000000000, got 'abc'"),
    ("brunel:M=5", "--network brunel: M: unknown parameter (expected one of: N, indegree, g, eta, J, delay, state)"),
    ("brunel:state=E", "--network brunel: state: must be one of , A, B, C, D, got 'E'"),
    ("microcircuit:N_scaling=2", "--network microcircuit: N_scaling: must be in (0, 1], got '2'"),
    ("cortex", "--network cortex: no built-in network of that name (built in: brunel, microcircuit, synfire, single, chain)"),
    ("synfire:k=200", "--network synfire: k: in-degree 200 exceeds the group size exc=100"),
  ])
  func badBuiltInParametersAreNamed(spec: String, message: String) {
    #expect(throws: NetworkSpecError.self) { try StandardNetworks.build(spec) }
    do { _ = try StandardNetworks.build(spec) } catch { #expect(error.description == message) }
  }
}

/// Built-in networks refuse parameters they cannot build, before anything is allocated.
@Suite struct StandardNetworkBoundsTests {
  @Test(arguments: [
    ("brunel:N=400,N=800", "N: given twice ('400' and '800')"),
    ("synfire:loop=5", "loop: must be one of 0, 1, got '5'"),
    ("microcircuit:N_scaling=0.0002", "leaves population L5I (1065 neurons at full scale) empty"),
    ("brunel:N=4294967295", "N: must be an integer in 5...1000000000"),
    ("brunel:N=1000,indegree=100000000000", "indegree: must be an integer in 0...1000"),
    ("chain:n=5000000000", "n: must be an integer in 2...10000000"),
    ("synfire:groups=100000000000", "groups: must be an integer in 1...10000"),
    ("brunel:N=1000,delay=1e300", "delay must lie within"),
  ])
  func refusedByName(network: String, says: String) {
    #expect { try StandardNetworks.build(network) } throws: { "\($0)".contains(says) }
  }

  @Test func theLimitsThemselvesBuild() throws {
    #expect(try StandardNetworks.build("microcircuit:N_scaling=0.0005").populations.allSatisfy { $0.size >= 1 })
    #expect(try StandardNetworks.build("brunel:N=1000,indegree=1000").neuronCount == 1000 + 1000)
  }
}
