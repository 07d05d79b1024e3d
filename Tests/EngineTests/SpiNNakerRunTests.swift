import Distributed
import Engine
import Foundation
import Hardware
import Model
import TestSupport
import Testing
import Traces

/// SpiNNaker runs in-process: sPyNNaker's fixed-point neuron against NEST. Runs through
/// `neurofabric run` (congestion, overruns, ranks) are in CLITests' `SpiNNakerRunTests`.
@Suite(.serialized) struct SpiNNakerRunTests {
  /// IF_curr_exp on one PE against NEST 3.10's iaf_psc_exp (Tests/Fixtures/reference), in sPyNNaker's
  /// s16.15 on both generations and in py-spinnaker2's single precision with 4-bit weights: every
  /// spike within one tick once sPyNNaker's convention is allowed for (input due in tick t acts in
  /// tick t's update, one tick before NEST), membrane RMS error below 1 mV (median below 0.05 mV).
  @Test(arguments: [(SpiNNakerSystem.Generation.spinnaker1, SpiNNakerArithmetic.s1615), (.spinnaker2, .s1615),
                    (.spinnaker2, .float32(weightBits: 4))])
  func neuronFollowsNEST(generation: SpiNNakerSystem.Generation, arithmetic: SpiNNakerArithmetic) throws {
    let dir = try TemporaryDirectory("spinnaker-single")
    defer { dir.remove() }
    var system = SpiNNakerSystem(generation: generation)
    system.shape = .chip
    system.timestep = 0.1
    system.arithmetic = arithmetic
    let options = RunOptions(duration: 200, seed: 1, output: dir.path("run"), progress: false)
    let summary = try FamilyRegistry.standard.run(try StandardNetworks.build("single"), on: system, options: options,
                                                  communicator: LocalCommunicator()).summary
    #expect(summary.synapticEvents == 50)
    let file = try HDF5File.open(dir.path("run/trace.h5"))
    let spikes = try file.group("/spikes/neuron").openDataset("timestamps", as: Double.self).read()
    let v = try file.group("/report/neuron").openMatrix("data", as: Float.self).read()
    let reference = try ReferenceNeuronTests().nestSpikes("lif_psc_exp")
    #expect(spikes.count == reference.count)
    for (ours, nest) in zip(spikes, reference) {
      #expect(abs(ours + 0.1 - nest) <= 0.1 + 1e-9, "spike at \(ours) ms, NEST \(nest) ms")
    }
    let membrane = try ReferenceNeuronTests().nestMembrane("lif_psc_exp")
    let errors = zip(v, membrane).map { abs(Double($0) - $1) }.sorted()
    let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
    #expect(rms < 1, "membrane RMS error \(rms) mV")
    #expect(errors[errors.count / 2] < 0.05, "median error \(errors[errors.count / 2]) mV")
  }
}
