#if canImport(Glibc)
import Glibc
#endif
import Model

/// Fixed-point scale of synaptic input: weights accumulate as integers in units of 2^-40 nA (or µS),
/// so the sum of a step's inputs does not depend on the order packets arrive in, on any rank count.
@usableFromInline let inputScale = 0x1p40
@usableFromInline let inputUnit = 0x1p-40

/// `IF_curr_exp` integrated exactly (Rotter & Diesmann 1999), step by step as NEST's `iaf_psc_exp`:
/// the membrane first (with the currents of the previous step), then current decay and this step's
/// input, then threshold, reset and a refractory period counted in steps.
struct CurrentLIFKernel {
  let p22, p11e, p11i, p21e, p21i, p20: Double
  let vRest, vReset, vThresh, iOffset: Double
  let refractorySteps: Int32

  init(_ p: LIFParameters, dt h: Double) {
    p22 = exp(-h / p.tauM)
    p11e = exp(-h / p.tauSynE)
    p11i = exp(-h / p.tauSynI)
    p21e = Self.currentToVoltage(tauSyn: p.tauSynE, tauM: p.tauM, cm: p.cm, h: h)
    p21i = Self.currentToVoltage(tauSyn: p.tauSynI, tauM: p.tauM, cm: p.cm, h: h)
    p20 = p.tauM / p.cm * (1 - p22)
    vRest = p.vRest; vReset = p.vReset; vThresh = p.vThresh; iOffset = p.iOffset
    refractorySteps = Int32((p.tauRefrac / h).rounded())
  }

  /// Voltage after h of a unit exponential current starting at 0 mV (NEST's propagator_32), mV/nA.
  static func currentToVoltage(tauSyn: Double, tauM: Double, cm: Double, h: Double) -> Double {
    if abs(tauM - tauSyn) < 1e-9 * tauM { return h / cm * exp(-h / tauM) }
    return (exp(-h / tauSyn) - exp(-h / tauM)) / (cm * (1 / tauM - 1 / tauSyn))
  }
}

/// `IF_curr_alpha` integrated exactly as NEST's `iaf_psc_alpha`: each receptor's current I has a
/// rate state D (I' = D − I/τ_syn, D' = −D/τ_syn); a spike of weight w adds w·e/τ_syn to D, so the
/// current peaks at w τ_syn later. Per step: the membrane with the previous step's I and D, then
/// I and D, then this step's input into D, then threshold and reset.
struct CurrentAlphaKernel {
  let p22, p20, p11e, p11i, p21e, p21i, p31e, p31i, p32e, p32i, jumpE, jumpI: Double
  let vRest, vReset, vThresh, iOffset: Double
  let refractorySteps: Int32

  init(_ p: LIFParameters, dt h: Double) {
    p22 = exp(-h / p.tauM)
    p20 = p.tauM / p.cm * (1 - p22)
    p11e = exp(-h / p.tauSynE); p11i = exp(-h / p.tauSynI)
    p21e = h * p11e; p21i = h * p11i
    p31e = Self.rateToVoltage(tauSyn: p.tauSynE, tauM: p.tauM, cm: p.cm, h: h)
    p31i = Self.rateToVoltage(tauSyn: p.tauSynI, tauM: p.tauM, cm: p.cm, h: h)
    p32e = CurrentLIFKernel.currentToVoltage(tauSyn: p.tauSynE, tauM: p.tauM, cm: p.cm, h: h)
    p32i = CurrentLIFKernel.currentToVoltage(tauSyn: p.tauSynI, tauM: p.tauM, cm: p.cm, h: h)
    jumpE = M_E / p.tauSynE; jumpI = M_E / p.tauSynI
    vRest = p.vRest; vReset = p.vReset; vThresh = p.vThresh; iOffset = p.iOffset
    refractorySteps = Int32((p.tauRefrac / h).rounded())
  }

  /// Voltage after h of the current that a unit rate state D(0) = 1 drives, starting at 0 mV:
  /// e^(−h/τ_m)/C · (1 − e^(−a·h)(1 + a·h))/a² with a = 1/τ_syn − 1/τ_m (a series where a·h is small).
  static func rateToVoltage(tauSyn: Double, tauM: Double, cm: Double, h: Double) -> Double {
    let a = 1 / tauSyn - 1 / tauM, x = a * h
    let shape = abs(x) < 1e-3 ? h * h * (0.5 - x / 3 + x * x / 8 - x * x * x / 30) : (1 - exp(-x) * (1 + x)) / (a * a)
    return exp(-h / tauM) / cm * shape
  }
}

/// `IF_cond_alpha`: each conductance has a rate state D as `IF_curr_alpha`'s currents do, and both
/// evolve exactly, g(t + s) = (g + D·s)·e^(−s/τ); the membrane takes one RK4 step per dt with the
/// conductances at the step's start, middle and end (NEST's `iaf_cond_alpha` integrates all with RKF45).
struct ConductanceAlphaKernel {
  let membrane: ConductanceLIFKernel
  let jumpE, jumpI: Double

  init(_ p: LIFParameters, dt h: Double) {
    membrane = ConductanceLIFKernel(p, dt: h)
    jumpE = M_E / p.tauSynE; jumpI = M_E / p.tauSynI
  }
}

/// `IF_cond_exp`: conductances decay exactly; the membrane takes one RK4 step per dt with the
/// conductances evaluated at the step's start, middle and end (NEST's `iaf_cond_exp` uses an
/// adaptive RKF45; the difference is below 1e-6 mV at dt = 0.1 ms).
struct ConductanceLIFKernel {
  let gLeak, cm, eRevE, eRevI: Double
  let p11e, p11i, halfE, halfI: Double
  let vRest, vReset, vThresh, iOffset: Double
  let refractorySteps: Int32

  init(_ p: LIFParameters, dt h: Double) {
    gLeak = p.cm / p.tauM
    cm = p.cm; eRevE = p.eRevE; eRevI = p.eRevI
    p11e = exp(-h / p.tauSynE); p11i = exp(-h / p.tauSynI)
    halfE = exp(-h / 2 / p.tauSynE); halfI = exp(-h / 2 / p.tauSynI)
    vRest = p.vRest; vReset = p.vReset; vThresh = p.vThresh; iOffset = p.iOffset
    refractorySteps = Int32((p.tauRefrac / h).rounded())
  }

  @inline(__always)
  func dv(_ v: Double, _ gE: Double, _ gI: Double, _ current: Double) -> Double {
    (gLeak * (vRest - v) + gE * (eRevE - v) + gI * (eRevI - v) + current) / cm
  }

  /// The membrane over one step of `h` from `v`, with the conductances (exc, inh) at the step's
  /// start, middle and end: one RK4 step, or V_reset while `refractory` counts down; then threshold
  /// and reset. Returns the new V and whether the neuron fired.
  @inline(__always)
  func step(_ v: Double, refractory: inout Int32, start: (Double, Double), middle: (Double, Double), end: (Double, Double),
            current: Double, h: Double) -> (v: Double, fired: Bool) {
    if refractory > 0 {
      refractory -= 1
      return (vReset, false)
    }
    let k1 = dv(v, start.0, start.1, current)
    let k2 = dv(v + h / 2 * k1, middle.0, middle.1, current)
    let k3 = dv(v + h / 2 * k2, middle.0, middle.1, current)
    let k4 = dv(v + h * k3, end.0, end.1, current)
    let u = v + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    guard u >= vThresh else { return (u, false) }
    refractory = refractorySteps
    return (vReset, true)
  }
}

/// AdEx (Brette & Gerstner 2005) with exponential conductances or currents: RK4 on (V, w) with
/// `substeps` per dt; a spike is V reaching `vSpike`, then V = V_reset, w += b, and V is held for
/// the refractory period while w evolves.
struct AdExKernel {
  let conductance: Bool
  let gLeak, cm, deltaT, vT, vSpike, vRest, vReset, a, b, tauW, iOffset, eRevE, eRevI: Double
  let h: Double
  let substeps: Int
  let decayE, decayI, halfE, halfI: Double
  let refractorySteps: Int32

  init(_ p: AdExParameters, conductance: Bool, dt: Double) {
    self.conductance = conductance
    gLeak = p.cm / p.tauM; cm = p.cm; deltaT = p.deltaT; vT = p.vThresh; vSpike = p.vSpike
    vRest = p.vRest; vReset = p.vReset; a = p.a / 1000; b = p.b; tauW = p.tauW; iOffset = p.iOffset
    eRevE = p.eRevE; eRevI = p.eRevI
    substeps = max(1, Int((dt / 0.01).rounded(.up)))
    h = dt / Double(substeps)
    decayE = exp(-h / p.tauSynE); decayI = exp(-h / p.tauSynI)
    halfE = exp(-h / 2 / p.tauSynE); halfI = exp(-h / 2 / p.tauSynI)
    refractorySteps = Int32((p.tauRefrac / dt).rounded())
  }

  /// The right-hand side at V clamped to V_peak, as NEST's `aeif_cond_exp` evaluates it: the stages
  /// of the step in which V runs away would otherwise see V far above V_peak and kick `w`.
  @inline(__always)
  func derivatives(_ v: Double, _ w: Double, _ e: Double, _ i: Double, _ current: Double) -> (Double, Double) {
    let v = min(v, vSpike)
    let synaptic = conductance ? e * (eRevE - v) + i * (eRevI - v) : e - i
    let spike = deltaT > 0 ? gLeak * deltaT * exp((v - vT) / deltaT) : 0  // bounded: v ≤ V_peak
    return ((gLeak * (vRest - v) + spike - w + synaptic + current) / cm, (a * (v - vRest) - w) / tauW)
  }
}

/// Independent Poisson trains: the spike count of each cell in each step is drawn by inversion
/// from the cell's own stream (seed, source, population, cell), one uniform per cell and step.
struct PoissonKernel {
  /// P(count ≤ c) for the step's mean rate·dt.
  let cumulative: [Double]
  let firstStep: Int64
  let endStep: Int64

  init(rate: Double, start: Double, stop: Double, dt: Double) {
    let mean = rate * dt / 1000
    var cdf: [Double] = []
    var term = exp(-mean), total = term, c = 0.0
    while total < 1 - 1e-15 && c < mean + 20 * mean.squareRoot() + 20 {
      cdf.append(total)
      c += 1
      term *= mean / c
      total += term
    }
    cdf.append(1)
    cumulative = mean > 0 ? cdf : []
    firstStep = Int64((start / dt).rounded(.down))
    endStep = stop.isFinite ? Int64((stop / dt).rounded(.down)) : .max
  }

  /// Whether the source may fire in step k.
  @inline(__always)
  func active(step k: Int64) -> Bool { !cumulative.isEmpty && k >= firstStep && k < endStep }

  /// One cell's spike count for one step, by inversion of one uniform from its stream.
  @inline(__always)
  func draw(_ stream: inout RandomStream, _ cdf: UnsafeBufferPointer<Double>) -> Int {
    let u = stream.nextUnit()
    var count = 0
    while u >= cdf[count] { count += 1 }
    return count
  }
}

/// The spike times of spike-array sources as steps (step k emits at (k+1)·dt), CSR over neurons,
/// with a cursor per neuron that advances as steps pass.
struct SpikeArraySchedule {
  private var start = [0]
  private var steps: [Int64] = []
  private var cursor: [Int] = []

  /// Adds the next neuron, with spike `times` (ms); empty for a neuron that is not a spike array.
  mutating func append(times: [Double], dt: Double) {
    cursor.append(steps.count)
    steps += times.map { max(0, Int64(($0 / dt).rounded()) - 1) }.sorted()
    start.append(steps.count)
  }

  /// Spikes of neuron i in step k (steps are visited in increasing order).
  @inline(__always)
  mutating func spikes(neuron i: Int, step k: Int64) -> Int {
    var count = 0
    while cursor[i] < start[i + 1] && steps[cursor[i]] <= k {
      if steps[cursor[i]] == k { count += 1 }
      cursor[i] += 1
    }
    return count
  }
}

/// A NIR neuron (`NIRNeuron`) in discrete time, with its parameters folded into per-neuron
/// coefficients of one step: v ← a_mem·v + leak + g_mem·input, I ← a_syn·I + g_syn·x.
struct NIRNeuronKernel {
  let kind: NIRNeuron.Kind
  let subtracts: Bool
  let aMem, leak, gMem, aSyn, gSyn, threshold, vReset, bias: [Double]
  let biasOnset: Int64

  /// The coefficients of neurons `first..<first+count` of a population of `neuron`s.
  init(_ neuron: NIRNeuron, first: Int, count: Int, dt: Double) {
    kind = neuron.kind
    subtracts = neuron.reset == .subtract
    let cells = first..<(first + count)
    let stateless = neuron.kind == .threshold
    let aMem = cells.map { neuron.kind.leaks ? neuron.decay(tau: neuron.value(\.tauMem, $0), dt: dt) : stateless ? 0 : 1 }
    let aSyn = cells.map { neuron.kind.hasSynapse ? neuron.decay(tau: neuron.value(\.tauSyn, $0), dt: dt) : 0 }
    leak = zip(cells, aMem).map { i, a in neuron.kind.leaks ? (1 - a) * neuron.value(\.vLeak, i) : 0 }
    gMem = zip(cells, aMem).map { i, a in stateless ? 1 : (neuron.kind.leaks ? 1 - a : dt) * neuron.value(\.r, i) }
    gSyn = zip(cells, aSyn).map { i, a in (1 - a) * neuron.value(\.wIn, i) }
    threshold = cells.map { neuron.kind.spikes ? neuron.value(\.vThreshold, $0) : .infinity }
    vReset = cells.map { neuron.value(\.vReset, $0) }
    bias = cells.map { neuron.value(\.bias, $0) }
    biasOnset = Int64(neuron.biasOnset)
    self.aMem = aMem
    self.aSyn = aSyn
  }
}
