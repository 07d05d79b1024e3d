/// Parameters of the leaky integrate-and-fire neuron with exponential or alpha-shaped synaptic
/// currents or conductances (PyNN's `IF_curr_exp` / `IF_cond_exp` / `IF_curr_alpha` /
/// `IF_cond_alpha`, NEST's `iaf_psc_exp` / `iaf_cond_exp` / `iaf_psc_alpha` / `iaf_cond_alpha`).
/// PyNN units: ms, mV, nF, nA, µS. Defaults are PyNN's.
public struct LIFParameters: Sendable, Equatable {
  public var cm = 1.0          // nF
  public var tauM = 20.0       // ms
  public var tauRefrac = 0.1   // ms
  public var tauSynE = 5.0     // ms
  public var tauSynI = 5.0     // ms
  public var vRest = -65.0     // mV
  public var vReset = -65.0    // mV
  public var vThresh = -50.0   // mV
  public var iOffset = 0.0     // nA
  /// Reversal potentials, used by the conductance-based model only.
  public var eRevE = 0.0       // mV
  public var eRevI = -70.0     // mV

  public init() {}

  /// The PyNN names of the parameters, with key paths, for readers and summaries.
  public static var fields: [(name: String, path: WritableKeyPath<LIFParameters, Double>)] {
    [
    ("cm", \.cm), ("tau_m", \.tauM), ("tau_refrac", \.tauRefrac), ("tau_syn_E", \.tauSynE),
    ("tau_syn_I", \.tauSynI), ("v_rest", \.vRest), ("v_reset", \.vReset), ("v_thresh", \.vThresh),
    ("i_offset", \.iOffset), ("e_rev_E", \.eRevE), ("e_rev_I", \.eRevI),
    ]
  }
}

/// Parameters of the adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005;
/// PyNN's `EIF_cond_exp_isfa_ista`, NEST's `aeif_cond_exp`). Defaults are PyNN's.
public struct AdExParameters: Sendable, Equatable {
  public var cm = 0.281        // nF
  public var tauM = 9.3667     // ms
  public var tauRefrac = 0.1   // ms
  public var tauSynE = 5.0     // ms
  public var tauSynI = 5.0     // ms
  public var vRest = -70.6     // mV
  public var vReset = -70.6    // mV
  public var vThresh = -50.4   // mV
  public var vSpike = -40.0    // mV, where the upswing is cut
  public var deltaT = 2.0      // mV, slope factor
  public var a = 4.0           // nS, subthreshold adaptation
  public var b = 0.0805        // nA, spike-triggered adaptation
  public var tauW = 144.0      // ms
  public var iOffset = 0.0     // nA
  public var eRevE = 0.0       // mV
  public var eRevI = -80.0     // mV

  public init() {}

  public static var fields: [(name: String, path: WritableKeyPath<AdExParameters, Double>)] {
    [
    ("cm", \.cm), ("tau_m", \.tauM), ("tau_refrac", \.tauRefrac), ("tau_syn_E", \.tauSynE),
    ("tau_syn_I", \.tauSynI), ("v_rest", \.vRest), ("v_reset", \.vReset), ("v_thresh", \.vThresh),
    ("v_spike", \.vSpike), ("delta_T", \.deltaT), ("a", \.a), ("b", \.b), ("tau_w", \.tauW),
    ("i_offset", \.iOffset), ("e_rev_E", \.eRevE), ("e_rev_I", \.eRevI),
    ]
  }
}

/// What the cells of a population are: a neuron model with its parameters, or a spike source.
public enum CellType: Sendable, Equatable {
  case ifCurrExp(LIFParameters)
  case ifCondExp(LIFParameters)
  /// Alpha-shaped synaptic currents or conductances (PyNN's `IF_curr_alpha` / `IF_cond_alpha`,
  /// NEST's `iaf_psc_alpha` / `iaf_cond_alpha`): a spike of weight w gives a PSC or conductance
  /// that peaks at w, τ_syn after it arrives.
  case ifCurrAlpha(LIFParameters)
  case ifCondAlpha(LIFParameters)
  case adexCondExp(AdExParameters)
  case adexCurrExp(AdExParameters)
  /// Independent Poisson trains per cell: rate in Hz, active in [start, stop) ms.
  case poissonSource(rate: Double, start: Double, stop: Double)
  /// Given spike times (ms) per cell; a single list applies to every cell.
  case spikeSourceArray(times: [[Double]])
  /// A neuron of an imported NIR graph, in discrete time.
  case nir(NIRNeuron)

  /// PyNN's name of the cell type.
  public var name: String {
    switch self {
    case .ifCurrExp: return "IF_curr_exp"
    case .ifCondExp: return "IF_cond_exp"
    case .ifCurrAlpha: return "IF_curr_alpha"
    case .ifCondAlpha: return "IF_cond_alpha"
    case .adexCondExp: return "EIF_cond_exp_isfa_ista"
    case .adexCurrExp: return "AdEx_curr_exp"
    case .poissonSource: return "SpikeSourcePoisson"
    case .spikeSourceArray: return "SpikeSourceArray"
    case let .nir(neuron): return "NIR " + neuron.kind.rawValue
    }
  }

  /// The membrane's resting potential (mV) where the model has one; 0 for sources and NIR neurons.
  public var restingPotential: Double {
    switch self {
    case let .ifCurrExp(p), let .ifCondExp(p), let .ifCurrAlpha(p), let .ifCondAlpha(p): return p.vRest
    case let .adexCondExp(p), let .adexCurrExp(p): return p.vRest
    case .poissonSource, .spikeSourceArray, .nir: return 0
    }
  }

  /// Sources emit spikes but receive no synapses.
  public var isSource: Bool {
    switch self {
    case .poissonSource, .spikeSourceArray: return true
    default: return false
    }
  }

  /// Whether synapses open conductances (µS, towards reversal potentials) rather than inject currents (nA).
  public var isConductanceBased: Bool {
    switch self {
    case .ifCondExp, .ifCondAlpha, .adexCondExp: return true
    default: return false
    }
  }

  /// Every PyNN cell-type name NeuroFabric understands.
  public static let names = ["IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_cond_alpha", "EIF_cond_exp_isfa_ista", "AdEx_curr_exp",
                             "SpikeSourcePoisson", "SpikeSourceArray"]
}
