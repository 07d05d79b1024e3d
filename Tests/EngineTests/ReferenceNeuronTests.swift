import Distributed
import Engine
import Foundation
import Hardware
import Model
import TestSupport
import Testing
import Traces

/// Single neurons against NEST 3.10 (Tests/Fixtures/reference, dt = 0.1 ms): the same spike
/// times (to within one step) and the membrane trace, sample by sample.
@Suite struct ReferenceNeuronTests {
  /// `Tests/Fixtures/reference` in the package (made by Scripts/nest_reference.py).
  static let fixtures = fixturesDirectory.appendingPathComponent("reference")

  func nestSpikes(_ case_: String) throws -> [Double] {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("\(case_)/nest_dt0.1_spikes.csv"), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().compactMap { Double($0) }
  }

  func nestMembrane(_ case_: String) throws -> [Double] {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("\(case_)/nest_dt0.1_trace.csv"), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
  }

  /// Runs `network` on one ideal chip for `duration` ms; returns spike times and the sampled membrane.
  func simulate(_ network: Network, duration: Double = 200) throws -> (spikes: [Double], v: [Float]) {
    let dir = try TemporaryDirectory("reference")
    defer { dir.remove() }
    let options = RunOptions(duration: duration, seed: 1, output: dir.path("run"), progress: false)
    _ = try FamilyRegistry.standard.run(network, on: IdealSystem(chips: 1), options: options, communicator: LocalCommunicator())
    let file = try HDF5File.open(dir.path("run/trace.h5"))
    let spikes = try file.group("/spikes/neuron").openDataset("timestamps", as: Double.self).read()
    let v = try file.group("/report/neuron").openMatrix("data", as: Float.self).read()
    return (spikes, v)
  }

  func parameters(_ case_: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("\(case_)/params.json"))) as! [String: Any]
  }

  /// One neuron of `cell` driven as case `params` drives NEST's: two spike arrays through one-to-one
  /// projections with the case's weights (NEST's pA or nS, given here in nA or µS) and delay.
  func singleNeuron(_ cell: CellType, _ params: [String: Any]) -> Network {
    let delay = params["input_delay_ms"] as! Double
    return Network(
      name: "single",
      populations: [
        Population(label: "neuron", size: 1, cellType: cell),
        Population(label: "exc", size: 1, cellType: .spikeSourceArray(times: [params["exc_input_times_ms"] as! [Double]])),
        Population(label: "inh", size: 1, cellType: .spikeSourceArray(times: [params["inh_input_times_ms"] as! [Double]])),
      ],
      projections: [
        Projection(label: "exc", pre: "exc", post: "neuron", receptor: .excitatory, connector: .oneToOne,
                   weight: .constant(abs(params["w_exc"] as! Double) / 1000), delay: .constant(delay)),
        Projection(label: "inh", pre: "inh", post: "neuron", receptor: .inhibitory, connector: .oneToOne,
                   weight: .constant(abs(params["w_inh"] as! Double) / 1000), delay: .constant(delay)),
      ],
      recordings: [Recording(population: "neuron", variables: [.spikes, .v], interval: 0.1)])
  }

  /// NEST's LIF parameters in PyNN's units.
  func lif(_ nest: [String: Double]) -> LIFParameters {
    var cell = LIFParameters()
    cell.cm = nest["C_m"]! / 1000
    cell.tauM = nest["tau_m"] ?? nest["C_m"]! / nest["g_L"]!
    cell.tauSynE = nest["tau_syn_ex"]!; cell.tauSynI = nest["tau_syn_in"]!; cell.tauRefrac = nest["t_ref"]!
    cell.vRest = nest["E_L"]!; cell.vThresh = nest["V_th"]!; cell.vReset = nest["V_reset"]!
    cell.eRevE = nest["E_ex"] ?? 0; cell.eRevI = nest["E_in"] ?? -70; cell.iOffset = nest["I_e"]! / 1000
    return cell
  }

  /// IF_curr_alpha is integrated exactly as NEST's iaf_psc_alpha (its own propagators for the rate
  /// state): identical spike steps, and the membrane to float32 storage of the samples.
  @Test func currentBasedAlphaMatchesNEST() throws {
    let params = try parameters("lif_psc_alpha")
    let network = singleNeuron(.ifCurrAlpha(lif(params["params"] as! [String: Double])), params)
    #expect(network.validate().isEmpty)
    let (spikes, v) = try simulate(network)
    let reference = try nestSpikes("lif_psc_alpha")
    #expect(reference.count >= 5 && spikes.count == reference.count, "\(spikes) vs NEST \(reference)")
    for (ours, nest) in zip(spikes, reference) { #expect(abs(ours - nest) < 1e-9, "spike at \(ours) ms, NEST \(nest) ms") }
    let error = rms(v, try nestMembrane("lif_psc_alpha"))
    #expect(error < 1e-5, "membrane RMS error \(error) mV")
  }

  /// IF_cond_alpha: exact alpha conductances, one RK4 step of the membrane per dt (NEST: RKF45 on
  /// everything): spikes within one step, membrane RMS error below 0.5 mV.
  @Test func conductanceBasedAlphaMatchesNEST() throws {
    let params = try parameters("lif_cond_alpha")
    let (spikes, v) = try simulate(singleNeuron(.ifCondAlpha(lif(params["params"] as! [String: Double])), params))
    let reference = try nestSpikes("lif_cond_alpha")
    #expect(reference.count >= 5 && spikes.count == reference.count, "\(spikes) vs NEST \(reference)")
    for (ours, nest) in zip(spikes, reference) { #expect(abs(ours - nest) < 0.1 + 1e-9, "spike at \(ours) ms, NEST \(nest) ms") }
    let error = rms(v, try nestMembrane("lif_cond_alpha"))
    #expect(error < 0.5, "membrane RMS error \(error) mV")
  }

  func rms(_ a: [Float], _ b: [Double]) -> Double {
    let n = min(a.count, b.count)
    return (zip(a.prefix(n), b.prefix(n)).map { (Double($0) - $1) * (Double($0) - $1) }.reduce(0, +) / Double(n)).squareRoot()
  }

  /// IF_curr_exp is integrated exactly as NEST's iaf_psc_exp: identical spike steps, and a membrane
  /// RMS error below 1e-5 mV (float32 storage of the samples is the only difference).
  @Test func currentBasedLIFMatchesNEST() throws {
    let (spikes, v) = try simulate(try StandardNetworks.build("single"))
    let reference = try nestSpikes("lif_psc_exp")
    #expect(spikes.count == reference.count)
    for (ours, nest) in zip(spikes, reference) { #expect(abs(ours - nest) < 0.1 + 1e-9) }
    let membrane = try nestMembrane("lif_psc_exp")
    #expect(v.count >= membrane.count)
    let error = rms(v, membrane)
    #expect(error < 1e-5, "membrane RMS error \(error) mV")
  }

  /// IF_cond_exp takes one RK4 step per dt where NEST uses adaptive RKF45: spike times within one
  /// step, membrane RMS error below 0.5 mV (most of it from spikes one step apart).
  @Test func conductanceBasedLIFMatchesNEST() throws {
    let params = try parameters("lif_cond_exp")
    let network = singleNeuron(.ifCondExp(lif(params["params"] as! [String: Double])), params)
    #expect(network.validate().isEmpty)
    let (spikes, v) = try simulate(network)
    let reference = try nestSpikes("lif_cond_exp")
    #expect(spikes.count == reference.count)
    for (ours, nest) in zip(spikes, reference) { #expect(abs(ours - nest) < 0.1 + 1e-9, "spike at \(ours) ms, NEST \(nest) ms") }
    let error = rms(v, try nestMembrane("lif_cond_exp"))
    #expect(error < 0.5, "membrane RMS error \(error) mV")
  }

  /// EIF_cond_exp_isfa_ista against NEST's aeif_cond_exp with spike-triggered adaptation, conductance
  /// inputs and a DC step, without and with a refractory period: every spike within one step over
  /// 400 ms (11 spikes), so adaptation builds up spike after spike as in NEST. The right-hand side
  /// sees V at most V_peak, and V_reset while refractory, as NEST's does.
  @Test(arguments: ["adex_cond_exp", "adex_cond_exp_refractory"])
  func adaptiveExponentialMatchesNEST(case name: String) throws {
    let params = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("\(name)/params.json"))) as! [String: Any]
    let nest = params["params"] as! [String: Double], dc = params["dc_generator"] as! [String: Double]
    var cell = AdExParameters()  // PyNN units: nF, ms, mV, nS (a), nA (b, currents), µS (weights)
    cell.cm = nest["C_m"]! / 1000; cell.tauM = nest["C_m"]! / nest["g_L"]!; cell.tauRefrac = nest["t_ref"]!
    cell.tauSynE = nest["tau_syn_ex"]!; cell.tauSynI = nest["tau_syn_in"]!
    cell.vRest = nest["E_L"]!; cell.vReset = nest["V_reset"]!; cell.vThresh = nest["V_th"]!; cell.vSpike = nest["V_peak"]!
    cell.deltaT = nest["Delta_T"]!; cell.a = nest["a"]!; cell.b = nest["b"]! / 1000; cell.tauW = nest["tau_w"]!
    cell.eRevE = nest["E_ex"]!; cell.eRevI = nest["E_in"]!
    let delay = params["input_delay_ms"] as! Double, dcDelay = params["dc_delay_ms"] as! Double
    let network = Network(
      name: name,
      populations: [
        Population(label: "neuron", size: 1, cellType: .adexCondExp(cell)),
        Population(label: "exc", size: 1, cellType: .spikeSourceArray(times: [params["exc_input_times_ms"] as! [Double]])),
        Population(label: "inh", size: 1, cellType: .spikeSourceArray(times: [params["inh_input_times_ms"] as! [Double]])),
      ],
      projections: [
        Projection(label: "exc", pre: "exc", post: "neuron", receptor: .excitatory, connector: .oneToOne,
                   weight: .constant((params["w_exc"] as! Double) / 1000), delay: .constant(delay)),
        Projection(label: "inh", pre: "inh", post: "neuron", receptor: .inhibitory, connector: .oneToOne,
                   weight: .constant((params["w_inh"] as! Double) / 1000), delay: .constant(delay)),
      ],
      stimuli: [CurrentStimulus(label: "dc", target: "neuron",
                                waveform: .dc(amplitude: dc["amplitude"]! / 1000, start: dc["start"]! + dcDelay, stop: dc["stop"]! + dcDelay))],
      recordings: [Recording(population: "neuron", variables: [.spikes, .v], interval: 0.1)])
    #expect(network.validate().isEmpty)
    let (spikes, _) = try simulate(network, duration: params["t_sim_ms"] as! Double)
    let reference = try nestSpikes(name)
    #expect(reference.count >= 5)
    #expect(spikes.count == reference.count, "\(spikes) vs NEST \(reference)")
    for (ours, nest) in zip(spikes, reference) { #expect(abs(ours - nest) < 0.1 + 1e-9, "spike at \(ours) ms, NEST \(nest) ms") }
  }
}
