import Foundation
import Mapping
import Model
import NIR
import TestSupport
import Testing

/// NIR neurons on the BrainScaleS circuits (`AnalogNIR`): IF_curr_exp with every neuron's
/// threshold at the same voltage, weights and biases scaled per target, and what cannot be built refused.
@Suite struct AnalogNIRTests {
  static func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent("nir/\(name)").path }

  @Test func aCubaLIFLayerBecomesCircuitsWithTheSameDynamics() throws {
    let network = try NIRImporter.read(path: Self.fixture("feedforward.nir")).network
    let (analog, problems) = AnalogNIR.realise(network, dt: NIRNeuron.step)
    #expect(problems.isEmpty, "\(problems)")
    guard case let .ifCurrExp(p) = analog.populations[1].cellType, case let .nir(neuron) = network.populations[1].cellType else {
      Issue.record("not realised: \(analog.populations[1].cellType.name)")
      return
    }
    #expect(p.vThresh == AnalogNIR.thresholdPotential && p.vRest == AnalogNIR.leakPotential && p.vReset == AnalogNIR.leakPotential)
    #expect(abs(p.tauM - neuron.tauMem[0]) < 1e-12 && abs(p.tauSynE - neuron.tauSyn[0]) < 1e-12)
    // neuron 1 (threshold 0.04) stretches 15 mV / 0.04; a weight W gives s·r·C/τ_m·(1 − a_syn)·w_in·W nA
    guard case let .fromList(before) = network.projections[0].connector, case let .fromList(after) = analog.projections[0].connector else {
      Issue.record("the projections are not from_list")
      return
    }
    let s = 15 / Double(Float(0.04)), a = neuron.decay(tau: neuron.tauSyn[0], dt: 0.1)
    let i = try #require(before.firstIndex { $0.post == 1 })
    let expected = before[i].weight! * s * AnalogNIR.capacitance / neuron.tauMem[0] * (1 - a) * 4
    #expect(abs(after[i].weight! - expected) < 1e-9 * expected)
    // the biases of neurons 1 and 3 become DC currents from their onset
    #expect(analog.stimuli.map(\.neurons) == [[1], [3]])
    #expect(analog.stimuli.allSatisfy { if case let .dc(_, start, _) = $0.waveform { return start == 0.1 }; return false })
    #expect(analog.validate().isEmpty)
  }

  @Test func whatTheCircuitsCannotDoIsNamed() throws {
    var problems = AnalogNIR.realise(try NIRImporter.read(path: Self.fixture("conv.nir")).network, dt: 0.1).problems
    #expect(problems.contains { $0.contains("'if'") && $0.contains("NIR IF has no analog realisation") }, "\(problems)")
    let subtract = try NIRImporter.read(path: Self.fixture("feedforward.nir"), options: NIRImportOptions(reset: .subtract)).network
    problems = AnalogNIR.realise(subtract, dt: 0.1).problems
    #expect(problems.contains { $0.contains("'lif'") && $0.contains("reset by subtraction") }, "\(problems)")
    problems = AnalogNIR.realise(try NIRImporter.read(path: Self.fixture("recurrent.nir")).network, dt: 0.1).problems
    #expect(problems.contains { $0.contains("'rsnn.lif'") && $0.contains("time constants that vary") }, "\(problems)")
  }
}
