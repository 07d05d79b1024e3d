/// A neuron of the Neuromorphic Intermediate Representation (NIR, Pedersen et al. 2024,
/// `nir/ir/neuron.py`), run in discrete time as NIR's reference implementation does: the input of
/// a step is the sum of the weights of the spikes that arrive in it (a spike is the value 1 for one
/// step, not a Dirac impulse), plus a constant bias.
///
///     CubaLI/F  I ← a_syn·I + (1 − a_syn)·w_in·x        v ← a_mem·v + (1 − a_mem)·(v_leak + r·I_old)
///     LI/LIF    v ← a_mem·v + (1 − a_mem)·(v_leak + r·x)
///     IF/I      v ← v + r·dt·x       (r per ms)
///     Threshold v ← x                (no state: it spikes in every step its input exceeds the threshold)
///     spiking   z = v > v_threshold; then v ← v_reset, or v ← v − v_threshold (reset by subtraction)
///
/// with a = 1 − dt/τ (forward Euler) or e^(−dt/τ) (exponential Euler). Parameters hold one value for
/// every neuron or one per neuron; τ in ms of model time, voltages and weights in NIR's units.
public struct NIRNeuron: Sendable, Equatable {
  /// The NIR node type.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    case lif = "LIF", cubaLIF = "CubaLIF", li = "LI", cubaLI = "CubaLI", integrateAndFire = "IF", integrator = "I"
    case threshold = "Threshold"

    /// Whether the neuron has a threshold (LI, CubaLI and I only integrate).
    public var spikes: Bool { self == .lif || self == .cubaLIF || self == .integrateAndFire || self == .threshold }
    /// Whether the membrane leaks towards v_leak with τ_mem.
    public var leaks: Bool { self == .lif || self == .cubaLIF || self == .li || self == .cubaLI }
    /// Whether input passes a current-based synapse with τ_syn first.
    public var hasSynapse: Bool { self == .cubaLIF || self == .cubaLI }
  }

  public enum Reset: String, Sendable, Equatable, CaseIterable {
    case toReset = "to-v-reset"
    case subtract
  }

  public enum Integrator: String, Sendable, Equatable, CaseIterable {
    case forwardEuler = "euler"
    case exponential
  }

  /// The model step (ms) one step of an imported graph becomes.
  public static let step = 0.1

  public var kind: Kind
  public var reset: Reset
  public var integrator: Integrator
  /// ms; LI, LIF, CubaLI, CubaLIF.
  public var tauMem: [Double]
  /// ms; CubaLI, CubaLIF.
  public var tauSyn: [Double]
  /// Input gain; for IF and I, per ms of model time.
  public var r: [Double]
  public var vLeak: [Double]
  public var vThreshold: [Double]
  public var vReset: [Double]
  public var wIn: [Double]
  /// Constant input per step (the biases of the Affine nodes before the neuron).
  public var bias: [Double]
  /// The step from which the bias acts: where the first input can arrive (each hop takes a step,
  /// so a layer starts that many steps after the graph's input), or 0.
  public var biasOnset: Int

  public init(kind: Kind, reset: Reset = .toReset, integrator: Integrator = .forwardEuler,
              tauMem: [Double] = [], tauSyn: [Double] = [], r: [Double] = [1], vLeak: [Double] = [0],
              vThreshold: [Double] = [], vReset: [Double] = [0], wIn: [Double] = [1], bias: [Double] = [0], biasOnset: Int = 0) {
    self.kind = kind
    self.reset = reset
    self.integrator = integrator
    self.tauMem = tauMem
    self.tauSyn = tauSyn
    self.r = r
    self.vLeak = vLeak
    self.vThreshold = vThreshold
    self.vReset = vReset
    self.wIn = wIn
    self.bias = bias
    self.biasOnset = biasOnset
  }

  /// The parameters by NIR name, with the arrays they fill, in the order the kind needs them.
  public static func fields(of kind: Kind) -> [(name: String, path: WritableKeyPath<NIRNeuron, [Double]>)] {
    var fields: [(name: String, path: WritableKeyPath<NIRNeuron, [Double]>)] = []
    if kind.hasSynapse { fields.append(("tau_syn", \.tauSyn)); fields.append(("tau_mem", \.tauMem)) }
    else if kind.leaks { fields.append(("tau", \.tauMem)) }
    if kind == .threshold { return [("threshold", \.vThreshold), ("bias", \.bias)] }
    fields.append(("r", \.r))
    if kind.leaks { fields.append(("v_leak", \.vLeak)) }
    if kind.spikes { fields.append(("v_threshold", \.vThreshold)); fields.append(("v_reset", \.vReset)) }
    if kind.hasSynapse { fields.append(("w_in", \.wIn)) }
    fields.append(("bias", \.bias))
    return fields
  }

  /// Parameter `path` of neuron `i` (one value applies to all).
  @inline(__always)
  public func value(_ path: KeyPath<NIRNeuron, [Double]>, _ i: Int) -> Double {
    let values = self[keyPath: path]
    return values.count == 1 ? values[0] : values[i]
  }

  /// The decay factor of one step of `dt` ms with time constant τ (ms).
  public func decay(tau: Double, dt: Double) -> Double {
    integrator == .forwardEuler ? 1 - dt / tau : _exp(-dt / tau)
  }
}

extension Network {
  /// A problem when the network holds NIR neurons and the system steps other than `NIRNeuron.step`
  /// (their decays and bias onsets count in the import's steps).
  public func nirStepProblems(step: Double, what: String) -> [String] {
    let nir = populations.filter { if case .nir = $0.cellType { return true }; return false }
    guard let first = nir.first, abs(step - NIRNeuron.step) > 1e-12 else { return [] }
    return ["population '\(first.label)': NIR graphs are imported for steps of \(NIRNeuron.step) ms; this system's \(what) is \(step) ms"]
  }
}
