#if canImport(Glibc)
import Glibc
#endif
import Model

/// The analog AdEx neurons of one chip (HARDWARE.md §2.2), structure of arrays over its logical
/// neurons, integrated in bio units with a fixed step (forward Euler on V and w, exact decay of the
/// synaptic currents or conductances). LIF cells are AdEx circuits with the exponential term and
/// adaptation switched off. Parameters carry the circuits' fixed-pattern noise.
public struct AnalogNeurons {
  public let count: Int
  let dt: Double
  public internal(set) var v: [Double]
  var w: [Double]
  var synE: [Double]
  var synI: [Double]
  // Parameters, bio units (mV, ms, nF, µS, nA).
  public internal(set) var vLeak: [Double]
  public internal(set) var vReset: [Double]
  /// The spike comparator's threshold.
  public internal(set) var vThreshold: [Double]
  public internal(set) var tauM: [Double]
  var gLeak: [Double]
  var cm: [Double]
  var vExp: [Double]
  var deltaT: [Double]
  var a: [Double]
  var b: [Double]
  var tauW: [Double]
  var decayE: [Double]
  var decayI: [Double]
  var eRevE: [Double]
  var eRevI: [Double]
  var iOffset: [Double]
  var conductance: [Bool]
  /// Synaptic gain of the neuron's inputs (1 without mismatch).
  public internal(set) var gain: [Double]
  var refractorySteps: [Int32]
  var refractory: [Int32]
  /// Current injected by stimuli (nA), set per step by the chip.
  var stimulus: [Double]

  /// Neurons of `cellTypes`, with each neuron's mismatch draw already in standard units (nil: none).
  init(cellTypes: [CellType], draws: [FixedPatternNoise.Draw?], spread: FixedPatternNoise.Spread, initial: [Double?],
       system: BrainScaleS2System) {
    count = cellTypes.count
    dt = system.dt
    func zeros() -> [Double] { [Double](repeating: 0, count: cellTypes.count) }
    v = zeros(); w = zeros(); synE = zeros(); synI = zeros(); stimulus = zeros()
    vLeak = zeros(); vReset = zeros(); vThreshold = zeros(); tauM = zeros(); gLeak = zeros(); cm = zeros(); vExp = zeros()
    deltaT = zeros(); a = zeros(); b = zeros(); tauW = zeros(); decayE = zeros(); decayI = zeros(); eRevE = zeros(); eRevI = zeros()
    iOffset = zeros(); gain = zeros()
    conductance = [Bool](repeating: false, count: count)
    refractorySteps = [Int32](repeating: 0, count: count)
    refractory = refractorySteps
    for i in 0..<count {
      var tauSynE = 5.0, tauSynI = 5.0, tauRefrac = 0.1
      switch cellTypes[i] {
      case let .ifCurrExp(p), let .ifCondExp(p):
        conductance[i] = { if case .ifCondExp = cellTypes[i] { return true } else { return false } }()
        cm[i] = p.cm; tauM[i] = p.tauM; vLeak[i] = p.vRest; vReset[i] = p.vReset; vThreshold[i] = p.vThresh
        vExp[i] = p.vThresh; deltaT[i] = 0; a[i] = 0; b[i] = 0; tauW[i] = 1; iOffset[i] = p.iOffset
        eRevE[i] = p.eRevE; eRevI[i] = p.eRevI
        tauSynE = p.tauSynE; tauSynI = p.tauSynI; tauRefrac = p.tauRefrac
      case let .adexCurrExp(p), let .adexCondExp(p):
        conductance[i] = { if case .adexCondExp = cellTypes[i] { return true } else { return false } }()
        cm[i] = p.cm; tauM[i] = p.tauM; vLeak[i] = p.vRest; vReset[i] = p.vReset; vThreshold[i] = p.vSpike
        vExp[i] = p.vThresh; deltaT[i] = p.deltaT; a[i] = p.a / 1000; b[i] = p.b; tauW[i] = p.tauW; iOffset[i] = p.iOffset
        eRevE[i] = p.eRevE; eRevI[i] = p.eRevI
        tauSynE = p.tauSynE; tauSynI = p.tauSynI; tauRefrac = p.tauRefrac
      case .poissonSource, .spikeSourceArray:
        preconditionFailure("spike sources are played in by the FPGA, not placed on circuits")
      }
      gain[i] = 1
      if let d = draws[i] {
        vLeak[i] += spread.leak * d.leak
        vReset[i] += spread.reset * d.reset
        vThreshold[i] += spread.threshold * d.threshold
        tauM[i] *= max(0.05, 1 + spread.tauM * d.tauM)
        tauSynE *= max(0.05, 1 + spread.tauSyn * d.tauSynE)
        tauSynI *= max(0.05, 1 + spread.tauSyn * d.tauSynI)
        gain[i] = max(0, 1 + spread.synapticGain * d.synapticGain)
      }
      gLeak[i] = cm[i] / tauM[i]
      decayE[i] = exp(-dt / tauSynE)
      decayI[i] = exp(-dt / tauSynI)
      refractorySteps[i] = Int32(Self.refractoryTime(bioMilliseconds: tauRefrac, system: system) / dt)
      v[i] = initial[i] ?? vLeak[i]
    }
  }

  /// The refractory time the 8-bit counter realises (HARDWARE.md §2.2: clock 250 MHz / 2^(s+1), the
  /// fastest clock whose 255 ticks cover the time), rounded to whole steps, in bio ms.
  public static func refractoryTime(bioMilliseconds t: Double, system: BrainScaleS2System) -> Double {
    let hardwareNs = t / system.speedup * 1e6
    var clockGHz = HICANNX.neuronBackendClockMHz / 2 / 1000
    for _ in 0..<15 where (hardwareNs * clockGHz).rounded() > Double(HICANNX.refractoryCounterMax) { clockGHz /= 2 }
    let ticks = min((hardwareNs * clockGHz).rounded(), Double(HICANNX.refractoryCounterMax))
    let steps = (ticks / clockGHz / system.integrationStepNanoseconds).rounded()
    return steps * system.dt
  }

  /// Adds a synaptic event of signed weight `weight` (nA or µS) to neuron `n`'s inputs.
  @inline(__always)
  mutating func receive(_ n: Int, weight: Float) {
    if weight >= 0 { synE[n] += Double(weight) * gain[n] } else { synI[n] -= Double(weight) * gain[n] }
  }

  /// Advances one step; appends (neuron, fraction of the step at the threshold crossing) per spike.
  mutating func step(spikes: inout [(neuron: Int32, fraction: Double)]) {
    let h = dt
    for i in 0..<count {
      let u = v[i]
      let current: Double
      if conductance[i] { current = synE[i] * (eRevE[i] - u) + synI[i] * (eRevI[i] - u) } else { current = synE[i] - synI[i] }
      synE[i] *= decayE[i]
      synI[i] *= decayI[i]
      let spike = deltaT[i] > 0 ? gLeak[i] * deltaT[i] * exp(min((u - vExp[i]) / deltaT[i], 20)) : 0
      w[i] += h * (a[i] * (u - vLeak[i]) - w[i]) / tauW[i]
      if refractory[i] > 0 {
        refractory[i] -= 1
        v[i] = vReset[i]
        continue
      }
      let next = u + h * (gLeak[i] * (vLeak[i] - u) + spike - w[i] + current + iOffset[i] + stimulus[i]) / cm[i]
      if next >= vThreshold[i] {
        let fraction = u >= vThreshold[i] ? 0 : (vThreshold[i] - u) / (next - u)
        spikes.append((Int32(i), fraction))
        v[i] = vReset[i]
        w[i] += b[i]
        refractory[i] = refractorySteps[i]
      } else {
        v[i] = next
      }
    }
  }
}
