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
