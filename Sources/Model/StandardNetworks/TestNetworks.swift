extension StandardNetworks {
  /// One `IF_curr_exp` neuron driven through an excitatory and an inhibitory synapse (delay 1 ms)
  /// by spike arrays, plus a DC offset: the `lif_psc_exp` case of the NEST 3.10 reference
  /// fixtures (C_m 250 pF, τ_m 10 ms, τ_syn 2/4 ms, t_ref 2 ms, E_L −65, V_th −50, I_e 150 pA,
  /// weights +900 / −1500 pA). Records spikes and the membrane every 0.1 ms.
  static func singleNeuron(_ spec: NetworkSpec) throws(NetworkSpecError) -> Network {
    _ = try NetworkSpec.Reader(spec, known: [])
    var cell = LIFParameters()
    cell.cm = 0.25; cell.tauM = 10; cell.tauSynE = 2; cell.tauSynI = 4; cell.tauRefrac = 2
    cell.vRest = -65; cell.vThresh = -50; cell.vReset = -65; cell.iOffset = 0.15
    let excitatory = [10.0, 12.0, 13.5, 14.0, 15.2, 30.0, 30.5, 31.0, 31.4, 31.8, 32.1, 60.0, 60.1, 60.2, 60.3, 60.4,
                      60.5, 61.0, 90.0, 91.7, 93.3, 95.0, 96.6, 98.2, 99.9, 101.5, 120.0, 120.2, 120.4, 120.6, 120.8,
                      121.0, 121.2, 150.0, 150.1, 150.2, 150.3, 150.4, 170.0, 172.5, 175.0, 177.5]
    let inhibitory = [29.0, 29.5, 59.5, 119.0, 119.5, 150.0, 151.0, 171.0]
    return Network(
      name: "single",
      populations: [
        Population(label: "neuron", size: 1, cellType: .ifCurrExp(cell)),
        Population(label: "exc_input", size: 1, cellType: .spikeSourceArray(times: [excitatory])),
        Population(label: "inh_input", size: 1, cellType: .spikeSourceArray(times: [inhibitory])),
      ],
      projections: [
        Projection(label: "exc_input->neuron", pre: "exc_input", post: "neuron", receptor: .excitatory,
                   connector: .oneToOne, weight: .constant(0.9), delay: .constant(1)),
        Projection(label: "inh_input->neuron", pre: "inh_input", post: "neuron", receptor: .inhibitory,
                   connector: .oneToOne, weight: .constant(1.5), delay: .constant(1)),
      ],
      recordings: [Recording(population: "neuron", variables: [.spikes, .v], interval: 0.1)])
  }

  /// n `IF_curr_exp` neurons in a line, each with one strong synapse (delay 1 ms) onto the next;
  /// a spike source kicks the first at 10 ms, so neuron i fires near 10 + i·(1 ms + rise time).
  static func chain(_ spec: NetworkSpec) throws(NetworkSpecError) -> Network {
    let r = try NetworkSpec.Reader(spec, known: ["n"])
    let n = try r.integer("n", default: 10, minimum: 2, maximum: 10_000_000)  // one connection listed per link
    var cell = LIFParameters()
    cell.cm = 0.25; cell.tauM = 10; cell.tauSynE = 0.5; cell.tauRefrac = 2
    let links = (0..<(n - 1)).map { ListConnection(pre: $0, post: $0 + 1) }
    let kick = 30 * currentPerPSP(cm: cell.cm, tauM: cell.tauM, tauSyn: cell.tauSynE)  // a 30 mV PSP
    return Network(
      name: "chain",
      populations: [
        Population(label: "kick", size: 1, cellType: .spikeSourceArray(times: [[10]])),
        Population(label: "chain", size: n, cellType: .ifCurrExp(cell)),
      ],
      projections: [
        Projection(label: "kick->chain", pre: "kick", post: "chain", receptor: .excitatory,
                   connector: .fromList([ListConnection(pre: 0, post: 0)]), weight: .constant(kick), delay: .constant(1)),
        Projection(label: "chain->chain", pre: "chain", post: "chain", receptor: .excitatory,
                   connector: .fromList(links), allowAutapses: false, weight: .constant(kick), delay: .constant(1)),
      ],
      recordings: [Recording(population: "chain", variables: [.spikes, .v])])
  }
}
