import Testing
import Hardware
@testable import Mapping
import Model

@Suite struct MappingErrorTests {
  @Test func aNetworkTooLargeForTheSystemIsNamed() throws {
    var system = SpiNNakerSystem()
    system.shape = .chip
    system.pesPerChip = 4
    let network = Network(name: "big", populations: [Population(label: "big", size: 5 * 256, cellType: .ifCurrExp(LIFParameters()))])
    #expect {
      try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: 1e-3, options: MappingOptions())
    } throws: { error in
      guard let error = error as? MappingError, case .networkTooLarge = error else { return false }
      return "\(error)".contains("5 slices need 5 processing elements") && "\(error)".contains("4 working processing elements")
    }
  }

  @Test func aNeuronThatExceedsTheTickBudgetIsNamed() throws {
    var system = SpiNNakerSystem()
    system.clockMHz = 0.01  // 1,000 cycles per 0.1 ms... times 1 ms tick
    system.timestep = 0.1
    let network = Network(name: "slow", populations: [Population(label: "slow", size: 10, cellType: .ifCurrExp(LIFParameters()))])
    #expect {
      try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: 1e-4, options: MappingOptions())
    } throws: { error in
      "\(error)".contains("population 'slow'") && "\(error)".contains("CPU cycles in a tick whose packets come in a burst")
    }
  }

  @Test func tablesThatStayOverCapacityNameTheirChips() throws {
    var system = RoutingWalkTests.system(.board)
    system.routerEntries = 2
    let network = RoutingWalkTests.randomNetwork(seed: 1)
    #expect {
      try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: 1e-3,
                         options: MappingOptions(strategy: .random))
    } throws: { error in
      guard let error = error as? MappingError, case let .tablesOverCapacity(chips, entries, capacity) = error else { return false }
      return !chips.isEmpty && entries.allSatisfy { $0 > 2 } && capacity == 2 && "\(error)".contains("chip (")
    }
  }

  @Test func deadLinksThatCutAChipOffAreNamed() throws {
    var system = SpiNNakerSystem()
    system.pesPerChip = 1
    // Chip (0, 0) has links E, NE and N only on a board; cut all three.
    system.deadLinks = [ChipLink(ChipCoordinate(0, 0), 0), ChipLink(ChipCoordinate(0, 0), 1), ChipLink(ChipCoordinate(0, 0), 2)]
    let cell = LIFParameters()
    let network = Network(name: "pair", populations: [
      Population(label: "a", size: 10, cellType: .ifCurrExp(cell)), Population(label: "b", size: 10, cellType: .ifCurrExp(cell)),
    ], projections: [
      Projection(label: "a->b", pre: "a", post: "b", receptor: .excitatory, connector: .allToAll, weight: .constant(0.1), delay: .constant(1)),
    ])
    #expect {
      try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: 1e-3, options: MappingOptions())
    } throws: { error in
      "\(error)".contains("no working path from chip (0, 0)") && "\(error)".contains("population 'a'")
    }
  }

  @Test func memoryLimitsAreNamed() throws {
    let cell = LIFParameters()
    let network = Network(name: "dense", populations: [
      Population(label: "a", size: 100, cellType: .ifCurrExp(cell)), Population(label: "b", size: 100, cellType: .ifCurrExp(cell)),
    ], projections: [
      Projection(label: "a->b", pre: "a", post: "b", receptor: .excitatory, connector: .allToAll, weight: .constant(0.1), delay: .constant(1)),
    ])
    var small = SpiNNakerSystem()
    small.localMemoryBytes = 1024  // less than the code alone
    #expect {
      try NetworkMapping(network: network, machine: small.machineGraph, costs: small.coreCosts, tick: 1e-3, options: MappingOptions())
    } throws: { "\($0)".contains("population 'a'") && "\($0)".contains("bytes of local memory, a processing element has 1024") }
    var tight = SpiNNakerSystem()
    tight.chipMemoryBytes = 1000  // one slice of b needs 100 × 100 synaptic words
    #expect {
      try NetworkMapping(network: network, machine: tight.machineGraph, costs: tight.coreCosts, tick: 1e-3, options: MappingOptions())
    } throws: { "\($0)".contains("needs 40000 bytes of chip memory") && "\($0)".contains("a chip has 1000") }
  }

  @Test func keysWiderThan32BitsAreNamed() throws {
    let cell = LIFParameters()
    let network = Network(name: "wide", populations: [
      Population(label: "many", size: 70_000, cellType: .ifCurrExp(cell)), Population(label: "big", size: 65_536, cellType: .ifCurrExp(cell)),
    ])
    let slices = (0..<70_000).map { PopulationSlice(population: 0, first: $0, count: 1) } + [PopulationSlice(population: 1, first: 0, count: 65_536)]
    let graph = try SliceGraph(slices: slices, traffic: ExpectedTraffic(network: network, defaultRate: 1), network: network)
    #expect(throws: MappingError.keySpaceExhausted(populationBits: 1, sliceBits: 17, atomBits: 16)) { try KeyAllocation(graph: graph) }
    #expect("\(MappingError.keySpaceExhausted(populationBits: 1, sliceBits: 17, atomBits: 16))".contains("34 bits"))
  }
}
