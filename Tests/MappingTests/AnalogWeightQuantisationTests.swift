import Foundation
import Hardware
import Mapping
import Model
import Testing

/// The analog families' weight quantisation, which their mappers do (the chips apply the weights
/// they are configured with): BrainScaleS-2's 6-bit weights with an LSB of the projection's largest
/// weight / 63, BrainScaleS-1's 4-bit weights with an LSB of the largest / 15, worked by hand.
@Suite struct AnalogWeightQuantisationTests {
  /// Spike-array sources, one per weight, onto one LIF neuron (from_list), and an inhibitory
  /// projection of one 0.05 synapse from an extra source.
  static func network(_ weights: [Double]) -> Network {
    let n = weights.count
    return Network(name: "weights", populations: [
      Population(label: "sources", size: n + 1, cellType: .spikeSourceArray(times: [[10]])),
      Population(label: "cell", size: 1, cellType: .ifCurrExp(LIFParameters())),
    ], projections: [
      Projection(label: "exc", pre: "sources", post: "cell", receptor: .excitatory,
                 connector: .fromList(weights.indices.map { ListConnection(pre: $0, post: 0, weight: weights[$0]) }),
                 weight: .constant(0), delay: .constant(1)),
      Projection(label: "inh", pre: "sources", post: "cell", receptor: .inhibitory,
                 connector: .fromList([ListConnection(pre: n, post: 0, weight: 0.05)]), weight: .constant(0), delay: .constant(1)),
    ])
  }

  /// Largest 0.063 nA: LSB 0.001 nA; 0.020 → 20, 0.0104 → round(10.4) = 10, 0.0004 → 0 (left out);
  /// the realised weights are q · LSB, negative for the inhibitory projection (0.05 → 63 of 0.05/63).
  /// RMS relative error over the 4 synapses: √((0 + 0 + (0.4/10.4)² + 1²) / 4).
  @Test func brainScaleS2WeightsHaveSixBits() throws {
    let network = Self.network([0.063, 0.020, 0.0104, 0.0004])
    #expect(network.validate().isEmpty)
    var system = BrainScaleS2System()
    system.mismatchEnabled = false
    let mapping = try BrainScaleS2Mapping(network: network, system: system, seed: 1)
    let q = mapping.quantisation[0]
    let lsb = Float(0.063) / 63
    #expect(q.synapses == 4 && q.zeroed == 1)
    #expect(q.scale == Double(Float(0.063)) / 63)
    #expect(abs(q.rmsRelativeError - ((0.4 / 10.4) * (0.4 / 10.4) + 1).squareRoot() / 2) < 1e-6)
    #expect(mapping.quantisation[1].scale == Double(Float(0.05)) / 63 && mapping.quantisation[1].zeroed == 0)
    let realised = mapping.chips[0].targetWeight.sorted()
    #expect(realised == [-63 * (Float(0.05) / 63), 10 * lsb, 20 * lsb, 63 * lsb], "\(realised)")
  }

  /// Without `weights` the same synapses keep their exact weights and none is left out (0.0004 too).
  @Test func brainScaleS2WithoutWeightsKeepsExactWeights() throws {
    let network = Self.network([0.063, 0.020, 0.0104, 0.0004])
    var system = BrainScaleS2System()
    system.without = [BrainScaleS2System.Effect.weights.rawValue]
    let mapping = try BrainScaleS2Mapping(network: network, system: system, seed: 1)
    #expect(mapping.quantisation[0].synapses == 4 && mapping.quantisation[0].zeroed == 0 && mapping.quantisation[0].scale == 0)
    #expect(mapping.quantisation[0].rmsRelativeError == 0)
    let realised = mapping.chips[0].targetWeight.sorted()
    #expect(realised == [-Float(0.05), Float(0.0004), Float(0.0104), Float(0.020), Float(0.063)], "\(realised)")
    try mapping.check(network: network, system: system, seed: 1)
    #expect(throws: MappingStateError.self) { try mapping.check(network: network, system: BrainScaleS2System(), seed: 1) }
  }

  /// Largest 0.015 nA: LSB 0.001 nA; 0.0074 → round(7.4) = 7, 0.0004 → 0, lost as "weight rounds
  /// to 0"; the HICANN's synapses carry q · LSB, negative for the inhibitory projection.
  @Test func brainScaleS1WeightsHaveFourBits() throws {
    let network = Self.network([0.015, 0.0074, 0.0004])
    var system = BrainScaleS1System()
    system.mismatchEnabled = false
    let mapping = try BrainScaleS1Mapping(network: network, system: system, seed: 1)
    #expect(mapping.weightScale[0] == Double(Float(0.015)) / 15 && mapping.weightScale[1] == Double(Float(0.05)) / 15)
    #expect(mapping.loss[0].synapses == 3 && mapping.loss[0].lost == [BrainScaleS1Mapping.LossCause.weight.rawValue: 1])
    #expect(mapping.loss[1].synapses == 1 && mapping.loss[1].totalLost == 0)
    let hicann = try #require(mapping.neurons.first?.hicann)
    let lsb = Float(Double(Float(0.015)) / 15)
    let realised = mapping.configuration(ofHICANN: hicann).input.targetWeight.sorted()
    #expect(realised == [-15 * Float(Double(Float(0.05)) / 15), 7 * lsb, 15 * lsb], "\(realised)")
  }
}
