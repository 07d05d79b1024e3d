extension StandardNetworks {
  /// Brunel (2000), "Dynamics of sparsely connected networks of excitatory and inhibitory spiking
  /// neurons", J. Comput. Neurosci. 8:183–208: NE = 4 NI LIF neurons, fixed in-degree C = ε N
  /// (80 % excitatory), inhibitory weight g·J, independent Poisson input at η·ν_thr per excitatory
  /// synapse, delay D = 1.5 ms, θ = 20 mV above rest, V_r = 10 mV, τ_m = 20 ms, τ_rp = 2 ms.
  /// Brunel's delta synapses become exponential currents with τ_syn = 0.5 ms whose PSP peaks at J
  /// (as NEST's brunel_exp example does).
  static func brunel(_ spec: NetworkSpec) throws(NetworkSpecError) -> Network {
    let r = try NetworkSpec.Reader(spec, known: ["N", "indegree", "g", "eta", "J", "delay", "state"])
    let n = try r.integer("N", default: 12_500, minimum: 5)
    let nE = n * 4 / 5, nI = n - nE
    let indegree = try r.integer("indegree", default: n / 10, minimum: 0, maximum: n)
    let cE = indegree * 4 / 5, cI = indegree - cE
    // Brunel (2000) Fig. 8: A synchronous regular, B asynchronous irregular, C fast and D slow synchronous irregular.
    let states: [String: (g: Double, eta: Double)] = ["A": (3, 2), "B": (6, 4), "C": (5, 2), "D": (4.5, 0.9)]
    let state = try r.choice("state", default: "", from: ["", "A", "B", "C", "D"])
    var g = try r.double("g", default: 5, where: { $0 >= 0 }, "≥ 0")
    var eta = try r.double("eta", default: 2, where: { $0 >= 0 }, "≥ 0")
    if let s = states[state] { (g, eta) = s }
    let j = try r.double("J", default: 0.1, where: { $0 > 0 }, "> 0 (mV)")
    let delay = try r.double("delay", default: 1.5, where: { $0 > 0 }, "> 0 (ms)")

    var cell = LIFParameters()
    cell.tauM = 20; cell.cm = 0.25; cell.tauRefrac = 2
    cell.vRest = -70; cell.vThresh = -50; cell.vReset = -60   // θ = 20 mV, V_r = 10 mV above rest
    cell.tauSynE = 0.5; cell.tauSynI = 0.5
    let weight = j * currentPerPSP(cm: cell.cm, tauM: cell.tauM, tauSyn: cell.tauSynE)
    // ν_thr = θ / (J C_E τ_m): the external rate that alone brings the mean input to threshold.
    let nuThreshold = 20 / (j * Double(max(cE, 1)) * cell.tauM) * 1000  // Hz
    let externalRate = eta * nuThreshold * Double(max(cE, 1))

    let d = ValueDistribution.constant(delay)
    return Network(
      name: "brunel",
      populations: [
        Population(label: "exc", size: nE, cellType: .ifCurrExp(cell), initialVoltage: .uniform(low: -70, high: -50)),
        Population(label: "inh", size: nI, cellType: .ifCurrExp(cell), initialVoltage: .uniform(low: -70, high: -50)),
        Population(label: "noise_exc", size: nE, cellType: .poissonSource(rate: externalRate, start: 0, stop: .infinity)),
        Population(label: "noise_inh", size: nI, cellType: .poissonSource(rate: externalRate, start: 0, stop: .infinity)),
      ],
      projections: [
        Projection(label: "exc->exc", pre: "exc", post: "exc", receptor: .excitatory, connector: .fixedIndegree(cE, multapses: true),
                   allowAutapses: false, weight: .constant(weight), delay: d),
        Projection(label: "exc->inh", pre: "exc", post: "inh", receptor: .excitatory, connector: .fixedIndegree(cE, multapses: true),
                   weight: .constant(weight), delay: d),
        Projection(label: "inh->exc", pre: "inh", post: "exc", receptor: .inhibitory, connector: .fixedIndegree(cI, multapses: true),
                   weight: .constant(g * weight), delay: d),
        Projection(label: "inh->inh", pre: "inh", post: "inh", receptor: .inhibitory, connector: .fixedIndegree(cI, multapses: true),
                   allowAutapses: false, weight: .constant(g * weight), delay: d),
        Projection(label: "noise_exc->exc", pre: "noise_exc", post: "exc", receptor: .excitatory, connector: .oneToOne,
                   weight: .constant(weight), delay: d),
        Projection(label: "noise_inh->inh", pre: "noise_inh", post: "inh", receptor: .excitatory, connector: .oneToOne,
                   weight: .constant(weight), delay: d),
      ],
      recordings: [Recording(population: "exc", variables: [.spikes]), Recording(population: "inh", variables: [.spikes])])
  }
}
