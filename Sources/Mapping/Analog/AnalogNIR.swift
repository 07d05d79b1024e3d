import Model

/// NIR neurons as the analog circuits of both BrainScaleS families realise them: continuous-time
/// leaky integrate-and-fire neurons with exponential synaptic currents (`IF_curr_exp`), as
/// hxtorch's `from_nir` maps NIR's CubaLIF onto BrainScaleS-2's neurons. NIR's dimensionless
/// membrane is stretched per neuron onto the circuits' range, v_mV = V_leak + s·(v − v_leak) with
/// s = (V_threshold − V_leak) / (v_threshold − v_leak), so that every neuron's threshold is the
/// same voltage; weights and biases carry each target's scale. A spike of NIR weight W adds
/// (1 − a_syn)·w_in·W to NIR's current (CubaLIF), or (1 − a_mem)·r·W to its membrane at once
/// (LIF: a synapse of one step's time constant stands in); biases become DC currents that start
/// at the neuron's bias onset. The circuits then add their own effects: 6-bit weights, fixed-pattern
/// noise, events through the crossbar.
///
/// What the circuits cannot do is refused: reset by subtraction (they reset to a potential),
/// neurons without a leak (IF, I), stateless thresholds, and time constants or reset potentials
/// that vary within a population (one parameter set per population here).
public enum AnalogNIR {
  /// Rest and threshold (mV) and membrane capacitance (nF) of the realisation: NeuroFabric's choice,
  /// not a hardware figure. The potentials are PyNN's IF_curr_exp defaults; C_m only scales the
  /// currents, which are scaled with it, so it does not change the dynamics.
  public static let leakPotential = -65.0
  public static let thresholdPotential = -50.0
  public static let capacitance = 0.2

  /// The network with every NIR population replaced by its `IF_curr_exp` realisation, or the
  /// problems that stop it. `dt` is the step the graph was imported for (ms).
  public static func realise(_ network: Network, dt: Double) -> (network: Network, problems: [String]) {
    var result = network
    var problems: [String] = []
    var scale: [String: (weight: [Double], cell: NIRNeuron)] = [:]
    for (p, population) in network.populations.enumerated() {
      guard case let .nir(neuron) = population.cellType else { continue }
      let label = population.label
      if neuron.reset == .subtract && neuron.kind.spikes {
        problems.append("population '\(label)': the analog neurons reset to a potential; NIR's reset by subtraction (--nir-reset subtract) has no circuit")
        continue
      }
      guard neuron.kind.leaks else {
        problems.append("population '\(label)': NIR \(neuron.kind.rawValue) has no analog realisation (the circuits always leak; LIF, CubaLIF, LI and CubaLI do)")
        continue
      }
      let n = population.size
      func uniform(_ values: [Double]) -> Bool { values.allSatisfy { $0 == values[0] } }
      if !uniform(neuron.tauMem) || !uniform(neuron.tauSyn.isEmpty ? [0] : neuron.tauSyn) {
        problems.append("population '\(label)': time constants that vary from neuron to neuron are not realised on the analog circuits yet")
        continue
      }
      // Per neuron: mV per NIR unit, and the NIR current (CubaLIF) or jump (LIF) per unit of weight.
      let spikes = neuron.kind.spikes
      let s = (0..<n).map { i in
        spikes ? (thresholdPotential - leakPotential) / (neuron.value(\.vThreshold, i) - neuron.value(\.vLeak, i)) : 1.0
      }
      if let i = s.indices.first(where: { !(s[$0] > 0 && s[$0].isFinite) }) {
        problems.append("population '\(label)': neuron \(i)'s threshold is not above its leak potential; the circuits need v_threshold > v_leak")
        continue
      }
      if neuron.r.contains(where: { !($0 > 0) }) || neuron.wIn.contains(where: { !($0 > 0) }) {
        problems.append("population '\(label)': r and w_in must be > 0 on the circuits: a synapse's sign is its receptor, not its target's gain")
        continue
      }
      let initial = (0..<n).map { leakPotential - s[$0] * neuron.value(\.vLeak, $0) }
      if !initial.allSatisfy({ abs($0 - initial[0]) < 1e-9 }) {
        problems.append("population '\(label)': leak potentials relative to threshold differ from neuron to neuron; one per population is realised")
        continue
      }
      let resets = (0..<n).map { leakPotential + s[$0] * (neuron.value(\.vReset, $0) - neuron.value(\.vLeak, $0)) }
      if spikes && !resets.allSatisfy({ abs($0 - resets[0]) < 1e-9 }) {
        problems.append("population '\(label)': reset potentials relative to threshold differ from neuron to neuron; one per population is realised")
        continue
      }
      let tauM = neuron.tauMem[0], tauS = neuron.kind.hasSynapse ? neuron.tauSyn[0] : dt
      var lif = LIFParameters()
      lif.cm = capacitance; lif.tauM = tauM; lif.tauSynE = tauS; lif.tauSynI = tauS; lif.tauRefrac = 0
      lif.vRest = leakPotential; lif.vReset = spikes ? resets[0] : leakPotential
      lif.vThresh = spikes ? thresholdPotential : 1e4
      // nA of the circuit per unit of NIR current: τ_m/C_m · I_nA = s·r·I_nir.
      let current = (0..<n).map { s[$0] * neuron.value(\.r, $0) * capacitance / tauM }
      let weight = (0..<n).map { i -> Double in
        if neuron.kind.hasSynapse { return current[i] * (1 - neuron.decay(tau: tauS, dt: dt)) * neuron.value(\.wIn, i) }
        // LIF: the membrane jump (1 − a)·r·W, in mV s·(1 − a)·r·W, as the charge of a one-step synapse.
        return capacitance * s[i] * (1 - neuron.decay(tau: tauM, dt: dt)) * neuron.value(\.r, i) / tauS
      }
      result.populations[p].cellType = .ifCurrExp(lif)
      result.populations[p].initialVoltage = .constant(initial[0])
      scale[label] = (weight, neuron)
      let bias = (0..<n).map { neuron.value(\.bias, $0) * (neuron.kind.hasSynapse ? neuron.value(\.wIn, $0) * current[$0] : current[$0]) }
      for (i, amplitude) in bias.enumerated() where amplitude != 0 {
        result.stimuli.append(CurrentStimulus(label: "\(label).bias[\(i)]", target: label, neurons: [i],
                                              waveform: .dc(amplitude: amplitude, start: Double(neuron.biasOnset) * dt, stop: .infinity)))
      }
    }
    for (j, projection) in network.projections.enumerated() {
      guard let (weight, _) = scale[projection.post], case let .fromList(list) = projection.connector else { continue }
      let scaled = list.map { c in ListConnection(pre: c.pre, post: c.post, weight: (c.weight ?? projection.weight.mean) * weight[c.post], delay: c.delay) }
      result.projections[j].connector = .fromList(scaled)
      result.projections[j].weight = .constant(scaled.compactMap(\.weight).max() ?? 0)
    }
    return (result, problems)
  }
}
