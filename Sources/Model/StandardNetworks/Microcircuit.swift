extension StandardNetworks {
  /// Potjans & Diesmann (2014), "The cell-type specific cortical microcircuit", Cereb. Cortex
  /// 24:785–806, as in NEST 3's example (pynest/examples/Potjans_2014): population sizes and
  /// connection probabilities of their Table 5; synapse numbers K = ln(1−p) / ln(1 − 1/(N_pre N_post))
  /// scaled by N_scaling·K_scaling; PSP 0.15 mV (L4E→L2/3E doubled, inhibitory ×4), relative sd 0.1;
  /// delays 1.5 ms (exc) and 0.75 ms (inh), relative sd 0.5, clipped at dt; background 8 Hz on
  /// K_ext synapses. NEST connects with `fixed_total_number`; here every target gets the same
  /// in-degree round(K / N_post) (`fixed_indegree` with multapses), which keeps the recipe local.
  /// K_scaling < 1 scales weights by 1/√K_scaling and adds NEST's compensating DC input.
  static func microcircuit(_ spec: NetworkSpec) throws(NetworkSpecError) -> Network {
    let r = try NetworkSpec.Reader(spec, known: ["N_scaling", "K_scaling", "background", "dt"])
    let nScaling = try r.double("N_scaling", default: 1, where: { $0 > 0 && $0 <= 1 }, "in (0, 1]")
    let kScaling = try r.double("K_scaling", default: 1, where: { $0 > 0 && $0 <= 1 }, "in (0, 1]")
    let background = try r.choice("background", default: "poisson", from: ["poisson", "dc"])
    let dt = try r.double("dt", default: 0.1, where: { $0 > 0 }, "> 0 (ms)")
    let m = Microcircuit.self

    var cell = LIFParameters()
    cell.cm = 0.25; cell.tauM = 10; cell.tauRefrac = 2; cell.tauSynE = 0.5; cell.tauSynI = 0.5
    cell.vRest = -65; cell.vThresh = -50; cell.vReset = -65
    let pscPerPSP = currentPerPSP(cm: cell.cm, tauM: cell.tauM, tauSyn: cell.tauSynE)
    let fullSynapses = m.fullSynapseNumbers
    let sizes = m.fullSizes.map { Int((Double($0) * nScaling).rounded()) }
    if let empty = sizes.firstIndex(of: 0) {
      let smallest = m.fullSizes.min()!
      throw NetworkSpecError(network: spec.name, parameter: "N_scaling", message: "\(nScaling) leaves population \(m.populationNames[empty]) "
                               + "(\(m.fullSizes[empty]) neurons at full scale) empty; it must be at least 1/\(2 * smallest) (half a neuron of the smallest)")
    }
    let extIndegree = m.externalIndegrees.map { Int((Double($0) * kScaling).rounded()) }
    var pscExt = m.pspExcitatory * pscPerPSP  // nA
    var dc = [Double](repeating: 0, count: 8)  // nA
    if background == "dc" {
      dc = (0..<8).map { m.backgroundRate * Double(m.externalIndegrees[$0]) * pscExt * cell.tauSynE * 1e-3 }
    }
    let meanPSC = (0..<8).map { i in (0..<8).map { j in m.meanPSP(target: i, source: j) * pscPerPSP } }
    if kScaling != 1 {
      // NEST helpers.adjust_weights_and_input_to_synapse_scaling: keep the mean input of the full network.
      for i in 0..<8 {
        var recurrent = 0.0
        for j in 0..<8 {
          recurrent += meanPSC[i][j] * fullSynapses[i][j] / Double(m.fullSizes[i]) * m.fullMeanRates[j]
        }
        dc[i] += 1e-3 * cell.tauSynE * (1 - kScaling.squareRoot()) * recurrent
        if background == "poisson" {
          dc[i] += 1e-3 * cell.tauSynE * (1 - kScaling.squareRoot()) * pscExt * Double(m.externalIndegrees[i]) * m.backgroundRate
        }
      }
      pscExt /= kScaling.squareRoot()
    }

    var network = Network(name: "microcircuit")
    for (i, name) in m.populationNames.enumerated() {
      var c = cell
      c.iOffset = dc[i]
      network.populations.append(Population(label: name, size: sizes[i], cellType: .ifCurrExp(c),
                                            initialVoltage: .normal(mean: m.initialVoltageMean[i], sd: m.initialVoltageSD[i]),
                                            expectedRate: m.fullMeanRates[i]))
      network.recordings.append(Recording(population: name, variables: [.spikes]))
    }
    for i in 0..<8 {
      for j in 0..<8 where m.connectionProbabilities[i][j] > 0 {
        let total = (fullSynapses[i][j] * nScaling * kScaling).rounded()
        let indegree = Int((total / Double(sizes[i])).rounded())
        guard indegree > 0 else { continue }
        let psc = abs(meanPSC[i][j]) / kScaling.squareRoot()
        let delayMean = j % 2 == 0 ? m.delayExcitatory : m.delayInhibitory
        network.projections.append(Projection(
          label: "\(m.populationNames[j])->\(m.populationNames[i])", pre: m.populationNames[j], post: m.populationNames[i],
          receptor: j % 2 == 0 ? .excitatory : .inhibitory, connector: .fixedIndegree(indegree, multapses: true),
          weight: .normalClipped(mean: psc, sd: psc * m.weightRelativeSD, low: 0, high: .infinity),
          delay: .normalClipped(mean: delayMean, sd: delayMean * m.delayRelativeSD, low: dt, high: .infinity)))
      }
    }
    if background == "poisson" {
      for (i, name) in m.populationNames.enumerated() {
        let source = "bg_\(name)"
        network.populations.append(Population(
          label: source, size: sizes[i],
          cellType: .poissonSource(rate: m.backgroundRate * Double(extIndegree[i]), start: 0, stop: .infinity)))
        network.projections.append(Projection(
          label: "\(source)->\(name)", pre: source, post: name, receptor: .excitatory, connector: .oneToOne,
          weight: .constant(pscExt), delay: .constant(m.delayPoisson)))
      }
    }
    return network
  }
}

/// The figures of Potjans & Diesmann (2014) and NEST 3's microcircuit example.
enum Microcircuit {
  static let populationNames = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
  /// Table 5 population sizes (full scale, 77,169 neurons).
  static let fullSizes = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
  /// Table 5 connection probabilities; row = target, column = source.
  static let connectionProbabilities: [[Double]] = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
  ]
  /// External (background) in-degrees K_ext per population (Table 5).
  static let externalIndegrees = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
  static let backgroundRate = 8.0        // Hz
  static let pspExcitatory = 0.15        // mV
  static let relativeInhibition = -4.0   // g
  static let weightRelativeSD = 0.1
  static let delayExcitatory = 1.5       // ms
  static let delayInhibitory = 0.75      // ms
  static let delayRelativeSD = 0.5
  static let delayPoisson = 1.5          // ms
  /// Full-scale mean rates (Hz) that NEST's example uses to compensate K_scaling.
  static let fullMeanRates = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
  /// Initial membrane potentials ("optimized" V0 of NEST's example), mV.
  static let initialVoltageMean = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
  static let initialVoltageSD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]

  static func meanPSP(target i: Int, source j: Int) -> Double {
    var psp = j % 2 == 0 ? pspExcitatory : pspExcitatory * relativeInhibition
    if i == 0 && j == 2 { psp *= 2 }  // L4E → L2/3E is doubled
    return psp
  }

  /// K_ij = ln(1 − p_ij) / ln(1 − 1/(N_i N_j)) at full scale (synapses with multapses).
  static var fullSynapseNumbers: [[Double]] {
    (0..<8).map { i in
      (0..<8).map { j in
        let product = Double(fullSizes[i]) * Double(fullSizes[j])
        return _log(1 - connectionProbabilities[i][j]) / _log((product - 1) / product)
      }
    }
  }
}
