#if canImport(Glibc)
import Glibc
#endif
import Model

/// The analog AdEx neurons of one chip (docs/hardware.md §1.3, §2.2), integrated in bio units with a fixed
/// step (forward Euler on V and w, exact decay of the synaptic currents or conductances). LIF cells
/// are AdEx circuits with the exponential term and adaptation switched off. Parameters carry the
/// circuits' fixed-pattern noise.
///
/// Storage is one flat buffer, field-major (all V, then all w, …), so the step touches it through
/// one pointer. Later chip features (PPU plasticity, MAC mode) add fields, not types.
public struct AnalogNeurons {
  public let count: Int
  let dt: Double
  /// Field-major storage: field f of neuron i at `f * stride + i`. The stride is padded by a cache
  /// line so that fields of 512 neurons are not 4 KiB apart (they would share cache sets).
  private var storage: [Double]
  private let stride: Int
  /// Neurons with an exponential term (ΔT > 0).
  private(set) var exponentialNeurons: [Int] = []

  /// The fields, in storage order: state first, then parameters (bio units: mV, ms, nF, µS, nA).
  enum Field: Int, CaseIterable {
    case v, w, synE, synI, stimulus
    case vLeak, vReset, vThreshold, vExp, deltaT, tauM, gLeak, cm, a, b, tauW, decayE, decayI, eRevE, eRevI, iOffset, gain
    /// h / C_m and h / τ_w: the step's divisions, done once.
    case stepOverCm, stepOverTauW
    /// Refractory steps left and the refractory period in steps (whole numbers); 1 where the
    /// synaptic inputs are conductances, 0 where they are currents.
    case refractory, refractorySteps, conductanceBased
    /// Scratch of a step: the AdEx exponential current, V before and the candidate V after it.
    case exponential, previous, next
  }

  @inline(__always)
  private func field(_ f: Field) -> ArraySlice<Double> { storage[(f.rawValue * stride)..<(f.rawValue * stride + count)] }
  @inline(__always)
  subscript(_ f: Field, _ i: Int) -> Double {
    get { storage[f.rawValue * stride + i] }
    set { storage[f.rawValue * stride + i] = newValue }
  }

  /// Membrane potential of neuron `n` (mV).
  public func membrane(_ n: Int) -> Double { self[.v, n] }
  /// Per-neuron parameters after mismatch: leak potential, spike comparator threshold (mV), τ_m (ms), synaptic gain.
  public var vLeak: [Double] { Array(field(.vLeak)) }
  public var vThreshold: [Double] { Array(field(.vThreshold)) }
  public var tauM: [Double] { Array(field(.tauM)) }
  public var gain: [Double] { Array(field(.gain)) }

  /// Neurons of `cellTypes`, with each neuron's mismatch draw in standard units (nil: none), a step
  /// of `dt` bio ms, and the refractory time the chip realises for a programmed one (bio ms).
  init(cellTypes: [CellType], draws: [FixedPatternNoise.Draw?], spread: FixedPatternNoise.Spread, initial: [Double?],
       dt: Double, refractoryTime: (Double) -> Double) {
    count = cellTypes.count
    self.dt = dt
    stride = (count + 7) / 8 * 8 + 8
    storage = [Double](repeating: 0, count: Field.allCases.count * stride)
    for i in 0..<count {
      var tauSynE = 5.0, tauSynI = 5.0, tauRefrac = 0.1
      switch cellTypes[i] {
      case let .ifCurrExp(p), let .ifCondExp(p):
        if case .ifCondExp = cellTypes[i] { self[.conductanceBased, i] = 1 }
        self[.cm, i] = p.cm; self[.tauM, i] = p.tauM; self[.vLeak, i] = p.vRest; self[.vReset, i] = p.vReset
        self[.vThreshold, i] = p.vThresh; self[.vExp, i] = p.vThresh; self[.tauW, i] = 1; self[.iOffset, i] = p.iOffset
        self[.eRevE, i] = p.eRevE; self[.eRevI, i] = p.eRevI
        tauSynE = p.tauSynE; tauSynI = p.tauSynI; tauRefrac = p.tauRefrac
      case let .adexCurrExp(p), let .adexCondExp(p):
        if case .adexCondExp = cellTypes[i] { self[.conductanceBased, i] = 1 }
        self[.cm, i] = p.cm; self[.tauM, i] = p.tauM; self[.vLeak, i] = p.vRest; self[.vReset, i] = p.vReset
        self[.vThreshold, i] = p.vSpike; self[.vExp, i] = p.vThresh; self[.deltaT, i] = p.deltaT; self[.a, i] = p.a / 1000
        self[.b, i] = p.b; self[.tauW, i] = p.tauW; self[.iOffset, i] = p.iOffset
        self[.eRevE, i] = p.eRevE; self[.eRevI, i] = p.eRevI
        tauSynE = p.tauSynE; tauSynI = p.tauSynI; tauRefrac = p.tauRefrac
      case .poissonSource, .spikeSourceArray:
        preconditionFailure("spike sources are played in by the FPGA, not placed on circuits")
      case .nir, .ifCurrAlpha, .ifCondAlpha:
        preconditionFailure("the family check refuses \(cellTypes[i].name) before mapping")
      }
      self[.gain, i] = 1
      if let d = draws[i] {
        self[.vLeak, i] += spread.leak * d.leak
        self[.vReset, i] += spread.reset * d.reset
        self[.vThreshold, i] += spread.threshold * d.threshold
        self[.tauM, i] *= max(0.05, 1 + spread.tauM * d.tauM)
        tauSynE *= max(0.05, 1 + spread.tauSyn * d.tauSynE)
        tauSynI *= max(0.05, 1 + spread.tauSyn * d.tauSynI)
        self[.gain, i] = max(0, 1 + spread.synapticGain * d.synapticGain)
      }
      self[.gLeak, i] = self[.cm, i] / self[.tauM, i]
      self[.stepOverCm, i] = dt / self[.cm, i]
      self[.stepOverTauW, i] = dt / self[.tauW, i]
      self[.decayE, i] = exp(-dt / tauSynE)
      self[.decayI, i] = exp(-dt / tauSynI)
      self[.refractorySteps, i] = (refractoryTime(tauRefrac) / dt).rounded()
      self[.v, i] = initial[i] ?? self[.vLeak, i]
    }
    exponentialNeurons = (0..<count).filter { storage[Field.deltaT.rawValue * stride + $0] > 0 }
  }

  /// Adds a synaptic event of signed weight `weight` (nA or µS) to neuron `n`'s inputs.
  @inline(__always)
  mutating func receive(_ n: Int, weight: Float) {
    if weight >= 0 { self[.synE, n] += Double(weight) * self[.gain, n] } else { self[.synI, n] -= Double(weight) * self[.gain, n] }
  }

  /// Sets the stimulus current (nA) of neuron `n`.
  mutating func setStimulus(_ n: Int, _ current: Double) { self[.stimulus, n] = current }
  func stimulus(_ n: Int) -> Double { self[.stimulus, n] }

  /// Advances one step; appends (neuron, fraction of the step at the threshold crossing) per spike.
  /// Three passes: the exponential term of the AdEx neurons that have one; the Euler step of all
  /// neurons, four at a time without a branch (refractory neurons held at V_reset; the stride's
  /// padding takes the last group's spare lanes); then the threshold crossings, which are rare.
  /// Lane for lane the arithmetic is the scalar step's, so the result does not depend on the width.
  mutating func step(spikes: inout [(neuron: Int32, fraction: Double)]) {
    typealias Lanes = SIMD4<Double>
    let n = count, stride = stride
    storage.withUnsafeMutableBufferPointer { s in
      let base = s.baseAddress!
      func f(_ field: Field) -> UnsafeMutablePointer<Double> { base + field.rawValue * stride }
      @inline(__always) func load(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> Lanes { UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self) }
      @inline(__always) func store(_ x: Lanes, _ p: UnsafeMutablePointer<Double>, _ i: Int) { UnsafeMutableRawPointer(p + i).storeBytes(of: x, as: Lanes.self) }
      let v = f(.v), w = f(.w), synE = f(.synE), synI = f(.synI), stimulus = f(.stimulus)
      let vLeak = f(.vLeak), vReset = f(.vReset), vThreshold = f(.vThreshold), vExp = f(.vExp), deltaT = f(.deltaT)
      let gLeak = f(.gLeak), a = f(.a), b = f(.b), decayE = f(.decayE), decayI = f(.decayI)
      let stepOverCm = f(.stepOverCm), stepOverTauW = f(.stepOverTauW)
      let eRevE = f(.eRevE), eRevI = f(.eRevI), iOffset = f(.iOffset)
      let refractory = f(.refractory), refractorySteps = f(.refractorySteps), conductanceBased = f(.conductanceBased)
      let exponential = f(.exponential), previous = f(.previous), next = f(.next)
      for i in exponentialNeurons {
        exponential[i] = gLeak[i] * deltaT[i] * exp(min((v[i] - vExp[i]) / deltaT[i], 20))
      }
      for i in Swift.stride(from: 0, to: n, by: Lanes.scalarCount) {
        let u = load(v, i), gE = load(synE, i), gI = load(synI, i)
        let current = (gE - gI).replacing(with: gE * (load(eRevE, i) - u) + gI * (load(eRevI, i) - u), where: load(conductanceBased, i) .> 0)
        store(gE * load(decayE, i), synE, i)
        store(gI * load(decayI, i), synI, i)
        var adaptation = load(w, i)
        adaptation += load(stepOverTauW, i) * (load(a, i) * (u - load(vLeak, i)) - adaptation)
        store(adaptation, w, i)
        let candidate = u + load(stepOverCm, i) * (load(gLeak, i) * (load(vLeak, i) - u) + load(exponential, i) - adaptation + current
          + load(iOffset, i) + load(stimulus, i))
        let r = load(refractory, i), held = r .> 0
        store((r - 1).replacing(with: 0, where: .!held), refractory, i)
        store(u, previous, i)
        store(candidate.replacing(with: load(vReset, i), where: held), v, i)
        store(candidate.replacing(with: -.infinity, where: held), next, i)
      }
      for i in 0..<n where next[i] >= vThreshold[i] {
        let u = previous[i]
        spikes.append((Int32(i), u >= vThreshold[i] ? 0 : (vThreshold[i] - u) / (next[i] - u)))
        v[i] = vReset[i]
        w[i] += b[i]
        refractory[i] = refractorySteps[i]
      }
    }
  }
}
