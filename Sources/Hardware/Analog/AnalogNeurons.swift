#if canImport(Glibc)
import Glibc
#endif
import Model

/// The analog AdEx neurons of one chip (HARDWARE.md §1.3, §2.2), integrated in bio units with a fixed
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
  var refractorySteps: [Int32]
  var refractory: [Int32]
  var conductance: [Bool]

  /// The fields, in storage order: state first, then parameters (bio units: mV, ms, nF, µS, nA).
  enum Field: Int, CaseIterable {
    case v, w, synE, synI, stimulus
    case vLeak, vReset, vThreshold, vExp, deltaT, tauM, gLeak, cm, a, b, tauW, decayE, decayI, eRevE, eRevI, iOffset, gain
    /// h / C_m and h / τ_w: the step's divisions, done once.
    case stepOverCm, stepOverTauW
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
    conductance = [Bool](repeating: false, count: count)
    refractorySteps = [Int32](repeating: 0, count: count)
    refractory = refractorySteps
    for i in 0..<count {
      var tauSynE = 5.0, tauSynI = 5.0, tauRefrac = 0.1
      switch cellTypes[i] {
      case let .ifCurrExp(p), let .ifCondExp(p):
        if case .ifCondExp = cellTypes[i] { conductance[i] = true }
        self[.cm, i] = p.cm; self[.tauM, i] = p.tauM; self[.vLeak, i] = p.vRest; self[.vReset, i] = p.vReset
        self[.vThreshold, i] = p.vThresh; self[.vExp, i] = p.vThresh; self[.tauW, i] = 1; self[.iOffset, i] = p.iOffset
        self[.eRevE, i] = p.eRevE; self[.eRevI, i] = p.eRevI
        tauSynE = p.tauSynE; tauSynI = p.tauSynI; tauRefrac = p.tauRefrac
      case let .adexCurrExp(p), let .adexCondExp(p):
        if case .adexCondExp = cellTypes[i] { conductance[i] = true }
        self[.cm, i] = p.cm; self[.tauM, i] = p.tauM; self[.vLeak, i] = p.vRest; self[.vReset, i] = p.vReset
        self[.vThreshold, i] = p.vSpike; self[.vExp, i] = p.vThresh; self[.deltaT, i] = p.deltaT; self[.a, i] = p.a / 1000
        self[.b, i] = p.b; self[.tauW, i] = p.tauW; self[.iOffset, i] = p.iOffset
        self[.eRevE, i] = p.eRevE; self[.eRevI, i] = p.eRevI
        tauSynE = p.tauSynE; tauSynI = p.tauSynI; tauRefrac = p.tauRefrac
      case .poissonSource, .spikeSourceArray:
        preconditionFailure("spike sources are played in by the FPGA, not placed on circuits")
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
      refractorySteps[i] = Int32((refractoryTime(tauRefrac) / dt).rounded())
      self[.v, i] = initial[i] ?? self[.vLeak, i]
    }
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
  mutating func step(spikes: inout [(neuron: Int32, fraction: Double)]) {
    let n = count, stride = stride
    storage.withUnsafeMutableBufferPointer { s in
      refractory.withUnsafeMutableBufferPointer { refractory in
        refractorySteps.withUnsafeBufferPointer { refractorySteps in
          conductance.withUnsafeBufferPointer { conductance in
            let base = s.baseAddress!
            func f(_ field: Field) -> UnsafeMutablePointer<Double> { base + field.rawValue * stride }
            let v = f(.v), w = f(.w), synE = f(.synE), synI = f(.synI), stimulus = f(.stimulus)
            let vLeak = f(.vLeak), vReset = f(.vReset), vThreshold = f(.vThreshold), vExp = f(.vExp), deltaT = f(.deltaT)
            let gLeak = f(.gLeak), a = f(.a), b = f(.b), decayE = f(.decayE), decayI = f(.decayI)
            let stepOverCm = f(.stepOverCm), stepOverTauW = f(.stepOverTauW)
            let eRevE = f(.eRevE), eRevI = f(.eRevI), iOffset = f(.iOffset)
            for i in 0..<n {
              let u = v[i]
              let current = conductance[i] ? synE[i] * (eRevE[i] - u) + synI[i] * (eRevI[i] - u) : synE[i] - synI[i]
              synE[i] *= decayE[i]
              synI[i] *= decayI[i]
              let spike = deltaT[i] > 0 ? gLeak[i] * deltaT[i] * exp(min((u - vExp[i]) / deltaT[i], 20)) : 0
              w[i] += stepOverTauW[i] * (a[i] * (u - vLeak[i]) - w[i])
              if refractory[i] > 0 {
                refractory[i] -= 1
                v[i] = vReset[i]
                continue
              }
              let next = u + stepOverCm[i] * (gLeak[i] * (vLeak[i] - u) + spike - w[i] + current + iOffset[i] + stimulus[i])
              if next >= vThreshold[i] {
                spikes.append((Int32(i), u >= vThreshold[i] ? 0 : (vThreshold[i] - u) / (next - u)))
                v[i] = vReset[i]
                w[i] += b[i]
                refractory[i] = refractorySteps[i]
              } else {
                v[i] = next
              }
            }
          }
        }
      }
    }
  }
}
