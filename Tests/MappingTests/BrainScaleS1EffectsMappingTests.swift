import Foundation
import Hardware
import Mapping
import Model
import Testing

/// BrainScaleS-1's mapping-time effects switched off (docs/effects.md#brainscales-1): `weights`
/// (exact weights, none rounds to 0) and `synapse-loss` (a target no route reaches is fed
/// directly after its grid distance, and the saved-mapping check takes it).
@Suite struct BrainScaleS1EffectsMappingTests {
  /// Without `weights` the weights AnalogWeightQuantisationTests rounds to 4 bit stay exact, and
  /// 0.0004 (which rounds to 0 there) is realised.
  @Test func withoutWeightsTheyAreExact() throws {
    let network = AnalogWeightQuantisationTests.network([0.015, 0.0074, 0.0004])
    var system = BrainScaleS1System()
    system.without = ["weights"]
    let mapping = try BrainScaleS1Mapping(network: network, system: system, seed: 1)
    #expect(mapping.loss.allSatisfy { $0.totalLost == 0 } && mapping.loss.map(\.synapses) == [3, 1])
    let hicann = try #require(mapping.neurons.first?.hicann)
    let realised = mapping.configuration(ofHICANN: hicann).input.targetWeight.sorted()
    #expect(realised == [-Float(0.05), Float(0.0004), Float(0.0074), Float(0.015)], "\(realised)")
  }

  /// 8 neurons onto 16 others on one HICANN, all to all (4 rows of one driver chain); the sending HLine of the first block's
  /// bus a defect, so no route leaves it: every synapse is lost to "no free HLine", or, without
  /// `synapse-loss`, realised through a direct feed of 0 segments, which the saved-mapping check takes.
  @Test func withoutSynapseLossAnUnroutedTargetIsFedDirectly() throws {
    let network = Network(name: "blocked", populations: [
      Population(label: "pre", size: 8, cellType: .ifCurrExp(LIFParameters())),
      Population(label: "post", size: 16, cellType: .ifCurrExp(LIFParameters())),
    ], projections: [
      Projection(label: "all", pre: "pre", post: "post", receptor: .excitatory, connector: .allToAll,
                 weight: .constant(0.1), delay: .constant(1)),
    ])
    #expect(network.validate().isEmpty)
    var system = BrainScaleS1System()
    let free = try BrainScaleS1Mapping(network: network, system: system, seed: 1)
    let bus = try #require(free.buses.first), h = bus.hicann
    #expect(free.loss[0].totalLost == 0 && free.neurons.allSatisfy { $0.hicann == h })
    system.defectHLines = [LineAddress(hicann: HICANNAddress(wafer: 0, hicann: h), line: HICANN.sendingHLine(bus.repeater))]
    let blocked = try BrainScaleS1Mapping(network: network, system: system, seed: 1)
    #expect(blocked.loss[0].synapses == 128 && blocked.loss[0].lost == [BrainScaleS1Mapping.LossCause.horizontal.rawValue: 128])
    #expect(blocked.buses[0].route.direct == nil)

    system.without = ["synapse-loss"]
    let direct = try BrainScaleS1Mapping(network: network, system: system, seed: 1)
    #expect(direct.loss[0].totalLost == 0)
    #expect(direct.buses[0].route.direct == [L1Route.DirectFeed(source: h, target: h)] && direct.buses[0].route.direct?.first?.hops == 0)
    #expect(direct.buses[0].route.deliveries.map(\.hicann) == [h])
    #expect(direct.configuration(ofHICANN: h).input.targetNeuron.count == 128)
    try direct.check(network: network, system: system)
    // The same state with synapse-loss on is another system's.
    var on = system
    on.without = []
    #expect(throws: MappingStateError.self) { try direct.check(network: network, system: on) }
  }
}
