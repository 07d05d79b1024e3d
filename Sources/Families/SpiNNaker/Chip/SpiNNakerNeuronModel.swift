#if canImport(Glibc)
import Glibc
#endif
import Model

/// sPyNNaker's leaky integrate-and-fire neuron in s16.15 (`neuron_model_lif_impl.h` with
/// exponential synapses; docs/hardware.md §3.2), per tick h:
///   I_syn += init · ring[t]                         (init = τ_syn/h · (1 − e^(−h/τ_syn)))
///   if not refractory:  α = R·I + V_rest;  V = α − e^(−h/τ_m)·(α − V)
///   V ≥ V_th → spike, V = V_reset, refractory for ⌈τ_ref/h⌉ ticks
///   I_syn = decay · I_syn                             (decay = e^(−h/τ_syn))
/// with I = I_e − I_i + I_offset (current-based) or g_e(E_e − V) + g_i(E_i − V) + I_offset
/// (conductance-based, `input_type_conductance.h`).
struct SpiNNakerLIF {
  let conductance: Bool
  let vRest, vReset, vThresh, iOffset, resistance, expTC, eRevE, eRevI: Int32
  let decayE, decayI, initE, initI: UInt32
  let refractoryTicks: Int32

  init(_ p: LIFParameters, conductance: Bool, tick h: Double) {
    self.conductance = conductance
    vRest = S1615.from(p.vRest); vReset = S1615.from(p.vReset); vThresh = S1615.from(p.vThresh)
    iOffset = S1615.from(p.iOffset)
    resistance = S1615.from(p.tauM / p.cm)
    expTC = S1615.from(exp(-h / p.tauM))
    eRevE = S1615.from(p.eRevE); eRevI = S1615.from(p.eRevI)
    let dE = exp(-h / p.tauSynE), dI = exp(-h / p.tauSynI)
    decayE = U032.from(dE); decayI = U032.from(dI)
    initE = U032.from(p.tauSynE / h * (1 - dE)); initI = U032.from(p.tauSynI / h * (1 - dI))
    refractoryTicks = Int32((p.tauRefrac / h - 1e-9).rounded(.up))
  }
}

/// The same leaky integrate-and-fire neuron as py-spinnaker2's `lif_curr_exp` computes it
/// (docs/hardware.md §3.9): state and decay factors in single precision (the Cortex-M4F's FPU),
/// synaptic weights as small integers under one scale per PE, per tick h:
///   I_syn = decay · I_syn + unit · ring[t]           (unit = τ_syn/h · (1 − e^(−h/τ_syn)) / scale)
///   if not refractory:  α = R·(I_e − I_i + I_offset) + V_rest;  V = α + e^(−h/τ_m)·(V − α)
///   V ≥ V_th → spike, V = V_reset, refractory for ⌈τ_ref/h⌉ ticks
/// py-spinnaker2's own parameters are the dimensionless decays; the weights' unit keeps PyNN's
/// charge per spike, as sPyNNaker's `init` factor does. py-spinnaker2 has no conductance-based LIF.
struct SpiNNakerFloatLIF {
  let vRest, vReset, vThresh, iOffset, resistance, alpha: Float
  let decayE, decayI: Float
  /// nA per ring-buffer unit of each synapse type.
  let unitE, unitI: Float
  let refractoryTicks: Int32

  init(_ p: LIFParameters, tick h: Double, weightsPerNanoampere scale: Double) {
    vRest = Float(p.vRest); vReset = Float(p.vReset); vThresh = Float(p.vThresh)
    iOffset = Float(p.iOffset)
    resistance = Float(p.tauM / p.cm)
    alpha = Float(exp(-h / p.tauM))
    let dE = exp(-h / p.tauSynE), dI = exp(-h / p.tauSynI)
    decayE = Float(dE); decayI = Float(dI)
    unitE = Float(p.tauSynE / h * (1 - dE) / scale); unitI = Float(p.tauSynI / h * (1 - dI) / scale)
    refractoryTicks = Int32((p.tauRefrac / h - 1e-9).rounded(.up))
  }
}

/// A NIR neuron as py-spinnaker2's NIR converter realises it (`s2_nir`, docs/hardware.md §3.9):
/// LIF and IF as `lif_no_delay`, CubaLIF as `lif_curr_exp_no_delay`, in single precision, weights
/// as 8-bit integers under one scale per PE (`w_scale = 127 / max |w|`), the scale folded into
/// threshold and `i_offset` (the bias); per tick:
///   lif_no_delay           v ← α·v + i_offset + Σw
///   lif_curr_exp_no_delay  I ← exc_decay·I + Σw;  v ← α·v + I + i_offset   (the new I, as py-spinnaker2)
///   v > threshold → spike; v ← v_reset or v − threshold
/// NIR's gains (1 − α)·r, and for CubaLIF (1 − exc_decay)·w_in, are folded into each synapse's
/// weight before it is quantised; the membrane is kept in units of the scaled weights.
struct SpiNNakerNIRNeuron {
  let current: Bool
  let subtracts: Bool
  /// Per tick: the leak's pull towards v_leak, and the bias (s2_nir's `i_offset`), in scaled units.
  let alpha, decay, leak, offset, threshold, vReset: [Float]
  /// Ring units per NIR membrane unit (the PE's weight scale).
  let scale: Float
  let biasOnset: Int64

  /// The factor by which a synapse's NIR weight reaches neuron `i`'s membrane per spike.
  static func gain(_ neuron: NIRNeuron, _ i: Int, tick h: Double) -> Double {
    let a = neuron.kind.leaks ? neuron.decay(tau: neuron.value(\.tauMem, i), dt: h) : 1
    let membrane = neuron.kind.leaks ? (1 - a) * neuron.value(\.r, i) : h * neuron.value(\.r, i)
    guard neuron.kind.hasSynapse else { return membrane }
    return membrane * (1 - neuron.decay(tau: neuron.value(\.tauSyn, i), dt: h)) * neuron.value(\.wIn, i)
  }

  init(_ neuron: NIRNeuron, first: Int, count: Int, tick h: Double, scale: Double) {
    current = neuron.kind.hasSynapse
    subtracts = neuron.reset == .subtract
    let cells = first..<(first + count)
    let a = cells.map { neuron.kind.leaks ? neuron.decay(tau: neuron.value(\.tauMem, $0), dt: h) : 1 }
    alpha = a.map { Float($0) }
    decay = cells.map { neuron.kind.hasSynapse ? Float(neuron.decay(tau: neuron.value(\.tauSyn, $0), dt: h)) : 0 }
    leak = zip(cells, a).map { i, a in Float((neuron.kind.leaks ? (1 - a) * neuron.value(\.vLeak, i) : 0) * scale) }
    // The bias reaches the membrane as a constant input (s2_nir's i_offset).
    offset = zip(cells, a).map { i, a in
      let bias = neuron.value(\.bias, i) * (neuron.kind.hasSynapse ? neuron.value(\.wIn, i) : 1)
      return Float((neuron.kind.leaks ? (1 - a) * neuron.value(\.r, i) : h * neuron.value(\.r, i)) * bias * scale)
    }
    threshold = cells.map { Float(neuron.value(\.vThreshold, $0) * scale) }
    vReset = cells.map { Float(neuron.value(\.vReset, $0) * scale) }
    self.scale = Float(scale)
    biasOnset = Int64(neuron.biasOnset)
  }
}

/// `SpiNNakerLIF`'s update in Float64 (without `arithmetic`, docs/effects.md): the same order and
/// factors, current- or conductance-based, the ring buffer's units taken as `unit` nA (µS) times
/// init = τ_syn/h · (1 − e^(−h/τ_syn)).
struct SpiNNakerDoubleLIF {
  let conductance: Bool
  let vRest, vReset, vThresh, iOffset, resistance, expTC, eRevE, eRevI: Double
  let decayE, decayI: Double
  /// nA (µS) per ring-buffer unit of each synapse type, times init.
  let unitE, unitI: Double
  let refractoryTicks: Int32

  init(_ p: LIFParameters, conductance: Bool, tick h: Double, weightsPerNanoampere scale: [Double]) {
    self.conductance = conductance
    vRest = p.vRest; vReset = p.vReset; vThresh = p.vThresh
    iOffset = p.iOffset
    resistance = p.tauM / p.cm
    expTC = exp(-h / p.tauM)
    eRevE = p.eRevE; eRevI = p.eRevI
    decayE = exp(-h / p.tauSynE); decayI = exp(-h / p.tauSynI)
    unitE = p.tauSynE / h * (1 - decayE) / scale[0]; unitI = p.tauSynI / h * (1 - decayI) / scale[1]
    refractoryTicks = Int32((p.tauRefrac / h - 1e-9).rounded(.up))
  }
}
