extension StandardNetworks {
  /// A synfire chain with feed-forward inhibition (Kremkow et al. 2010, J. Comput. Neurosci.
  /// 28:579–594), the benchmark run on the BrainScaleS-1 wafer (Pfeil et al. 2013, Front. Neurosci.
  /// 7:11): each group's excitatory cells drive the next group's excitatory and inhibitory cells;
  /// the inhibitory cells inhibit their own group's excitatory cells slightly later. A spike
  /// packet (one spike per stimulus cell, spread over 1 ms at 10 ms) starts the chain.
  static func synfire(_ spec: NetworkSpec) throws(NetworkSpecError) -> Network {
    let r = try NetworkSpec.Reader(spec, known: ["groups", "exc", "inh", "k", "loop", "inh_psp"])
    // Two populations per group: a chain of 10,000 groups is 20,000 populations.
    let groups = try r.integer("groups", default: 10, minimum: 1, maximum: 10_000)
    let exc = try r.integer("exc", default: 100, minimum: 1, maximum: 100_000)
    let inh = try r.integer("inh", default: 25, minimum: 1, maximum: 100_000)
    let k = try r.integer("k", default: 60, minimum: 1, maximum: 100_000)
    let loop = try r.choice("loop", default: "0", from: ["0", "1"]) == "1"
    let inhibitoryPSP = try r.double("inh_psp", default: 1.5, where: { $0 >= 0 }, "≥ 0 (mV)")
    guard k <= exc else { throw NetworkSpecError(network: "synfire", parameter: "k", message: "in-degree \(k) exceeds the group size exc=\(exc)") }

    var cell = LIFParameters()
    cell.cm = 0.2; cell.tauM = 10; cell.tauRefrac = 2; cell.tauSynE = 2; cell.tauSynI = 4
    cell.vRest = -70; cell.vThresh = -55; cell.vReset = -70
    let perMV = currentPerPSP(cm: cell.cm, tauM: cell.tauM, tauSyn: cell.tauSynE)
    let excWeight = 0.5 * perMV  // 0.5 mV PSP each: k = 60 coincident inputs cross threshold
    var inhCell = cell
    inhCell.tauSynI = 2
    let inhWeight = inhibitoryPSP * currentPerPSP(cm: cell.cm, tauM: cell.tauM, tauSyn: cell.tauSynI)

    var network = Network(name: "synfire")
    let packet = (0..<exc).map { [10 + Double($0 % 10) * 0.1] }
    network.populations.append(Population(label: "stimulus", size: exc, cellType: .spikeSourceArray(times: packet)))
    for g in 0..<groups {
      network.populations.append(Population(label: "exc\(g)", size: exc, cellType: .ifCurrExp(cell)))
      network.populations.append(Population(label: "inh\(g)", size: inh, cellType: .ifCurrExp(inhCell)))
      network.recordings.append(Recording(population: "exc\(g)", variables: [.spikes]))
      network.recordings.append(Recording(population: "inh\(g)", variables: [.spikes]))
    }
    func feedForward(from source: String, to g: Int) {
      network.projections.append(Projection(label: "\(source)->exc\(g)", pre: source, post: "exc\(g)", receptor: .excitatory,
                                            connector: .fixedIndegree(k, multapses: false), weight: .constant(excWeight), delay: .constant(1.5)))
      network.projections.append(Projection(label: "\(source)->inh\(g)", pre: source, post: "inh\(g)", receptor: .excitatory,
                                            connector: .fixedIndegree(k, multapses: false), weight: .constant(excWeight), delay: .constant(1.5)))
    }
    for g in 0..<groups {
      feedForward(from: g == 0 ? "stimulus" : "exc\(g - 1)", to: g)
      network.projections.append(Projection(label: "inh\(g)->exc\(g)", pre: "inh\(g)", post: "exc\(g)", receptor: .inhibitory,
                                            connector: .allToAll, weight: .constant(inhWeight), delay: .constant(1.5)))
    }
    if loop && groups > 1 { feedForward(from: "exc\(groups - 1)", to: 0) }
    return network
  }
}
