import Foundation
@testable import Hardware
import Model
import Testing

/// The analog neurons both BrainScaleS families share, and their fixed-pattern noise: draws are a
/// function of (seed, chip, circuit); no draw gives exactly the nominal parameters; a draw moves
/// each parameter by its spread, as written out here; one step is the Euler step written out.
@Suite struct AnalogNeuronsTests {
  static let spread = FixedPatternNoise.Spread(leak: 2, reset: 3, threshold: 4, tauM: 0.1, tauSyn: 0.2, synapticGain: 0.05)

  static func neurons(_ cells: [CellType], draws: [FixedPatternNoise.Draw?], initial: [Double?]? = nil, dt: Double = 0.01) -> AnalogNeurons {
    AnalogNeurons(cellTypes: cells, draws: draws, spread: spread, initial: initial ?? cells.map { _ in nil }, dt: dt, refractoryTime: { $0 })
  }

  @Test func sameSeedChipAndCircuitGiveTheSameDraws() {
    let a = (0..<64).map { FixedPatternNoise.draw(seed: 42, chip: 3, circuit: $0) }
    let b = (0..<64).map { FixedPatternNoise.draw(seed: 42, chip: 3, circuit: $0) }
    #expect(a == b)
    #expect(a != (0..<64).map { FixedPatternNoise.draw(seed: 43, chip: 3, circuit: $0) }, "another seed")
    #expect(a != (0..<64).map { FixedPatternNoise.draw(seed: 42, chip: 4, circuit: $0) }, "another chip")
    #expect(Set(a.map(\.leak)).count == 64, "every circuit its own draw")
    // The draws are N(0, 1): over 7 × 4096 values the mean is within 4/√n and the variance within 5 %.
    let values = (0..<4096).flatMap { c -> [Double] in
      let d = FixedPatternNoise.draw(seed: 42, chip: 0, circuit: c)
      return [d.leak, d.reset, d.threshold, d.tauM, d.tauSynE, d.tauSynI, d.synapticGain]
    }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    #expect(abs(mean) < 4 / Double(values.count).squareRoot() && abs(variance - 1) < 0.05, "mean \(mean), variance \(variance)")
  }

  /// A draw is seven Box–Muller normals, √(−2 ln u) cos(2πv) with u from (0, 1] and v from [0, 1),
  /// taken from the circuit's own stream (seed, mismatch, chip, circuit): what keeps a circuit's
  /// offsets the same on every rank and in every run with the seed.
  @Test func drawsComeFromTheCircuitsOwnStream() {
    var stream = RandomStream(seed: 42, purpose: .mismatch, group: 3, member: 17)
    let normals = (0..<7).map { _ -> Double in
      let u = stream.nextOpenUnit(), v = stream.nextUnit()
      return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    let d = FixedPatternNoise.draw(seed: 42, chip: 3, circuit: 17)
    #expect([d.leak, d.reset, d.threshold, d.tauM, d.tauSynE, d.tauSynI, d.synapticGain] == normals)
  }

  @Test func meanOfDrawsAveragesEachParameter() {
    let draws = (0..<4).map { FixedPatternNoise.draw(seed: 5, chip: 1, circuit: $0) }
    let m = FixedPatternNoise.mean(draws)
    #expect(abs(m.leak - (draws[0].leak + draws[1].leak + draws[2].leak + draws[3].leak) / 4) < 1e-15)
    #expect(abs(m.synapticGain - draws.map(\.synapticGain).reduce(0, +) / 4) < 1e-15)
    #expect(FixedPatternNoise.mean([draws[2]]) == draws[2])
  }

  /// Without a draw (mismatch off) every parameter is the programmed one, exactly; an all-zero draw
  /// gives the same. A draw d moves potentials by spread · d and time constants and gain by the
  /// factor 1 + spread · d.
  @Test func mismatchOffGivesExactlyTheNominalParameters() {
    var lif = LIFParameters()
    lif.vRest = -61; lif.vReset = -72; lif.vThresh = -48; lif.tauM = 12; lif.tauSynE = 3; lif.tauSynI = 6
    let zero = FixedPatternNoise.Draw(leak: 0, reset: 0, threshold: 0, tauM: 0, tauSynE: 0, tauSynI: 0, synapticGain: 0)
    let d = FixedPatternNoise.draw(seed: 9, chip: 0, circuit: 17)
    let n = Self.neurons([.ifCurrExp(lif), .ifCurrExp(lif), .ifCurrExp(lif)], draws: [nil, zero, d])
    for i in 0..<2 {
      #expect(n.vLeak[i] == lif.vRest && n[.vReset, i] == lif.vReset && n.vThreshold[i] == lif.vThresh)
      #expect(n.tauM[i] == lif.tauM && n.gain[i] == 1 && n[.gLeak, i] == lif.cm / lif.tauM)
      #expect(n[.decayE, i] == exp(-0.01 / lif.tauSynE) && n[.decayI, i] == exp(-0.01 / lif.tauSynI))
      #expect(n.membrane(i) == lif.vRest, "starts at the (nominal) leak potential")
    }
    let s = Self.spread
    #expect(n.vLeak[2] == lif.vRest + s.leak * d.leak)
    #expect(n[.vReset, 2] == lif.vReset + s.reset * d.reset)
    #expect(n.vThreshold[2] == lif.vThresh + s.threshold * d.threshold)
    #expect(n.tauM[2] == lif.tauM * max(0.05, 1 + s.tauM * d.tauM))
    #expect(n[.decayE, 2] == exp(-0.01 / (lif.tauSynE * max(0.05, 1 + s.tauSyn * d.tauSynE))))
    #expect(n.gain[2] == max(0, 1 + s.synapticGain * d.synapticGain))
    #expect(n.membrane(2) == n.vLeak[2], "starts at its own leak potential")
    #expect(n.vLeak[2] != lif.vRest && n.tauM[2] != lif.tauM)
  }

  /// One step of a current-based AdEx (mismatch off), as the chip integrates it: synaptic currents
  /// at the step's start then decayed exactly; w by forward Euler; V by Euler with the exponential
  /// term at the step's start and w after its own update:
  ///   w1 = w0 + h/τ_w (a (V0 − E_L) − w0)
  ///   V1 = V0 + h/C (g_L (E_L − V0) + g_L Δ_T e^((V0 − V_T)/Δ_T) − w1 + I_E − I_I + I_offset)
  @Test func adexStepIsTheEulerStepWrittenOut() {
    var p = AdExParameters()
    p.iOffset = 0.2
    let h = 0.01, v0 = -55.0
    var n = Self.neurons([.adexCurrExp(p)], draws: [nil], initial: [v0], dt: h)
    n.receive(0, weight: 0.3)
    n.receive(0, weight: -0.1)
    var spikes: [(neuron: Int32, fraction: Double)] = []
    n.step(spikes: &spikes)
    let gL = p.cm / p.tauM, a = p.a / 1000
    let iE = Double(Float(0.3)), iI = Double(Float(0.1))  // events carry single-precision weights
    let w1 = 0 + h / p.tauW * (a * (v0 - p.vRest) - 0)
    let v1 = v0 + h / p.cm * (gL * (p.vRest - v0) + gL * p.deltaT * exp((v0 - p.vThresh) / p.deltaT) - w1 + iE - iI + p.iOffset)
    #expect(spikes.isEmpty)
    #expect(abs(n[.w, 0] - w1) < 1e-15)
    #expect(abs(n.membrane(0) - v1) < 1e-12, "V1 = \(n.membrane(0)), by hand \(v1)")
    #expect(n[.synE, 0] == iE * exp(-h / p.tauSynE) && n[.synI, 0] == iI * exp(-h / p.tauSynI))
  }

  /// A crossing inside the step: the spike's fraction of the step is the linear interpolation
  /// (V_th − V0) / (V1 − V0); V goes to V_reset, w grows by b, and V is held at V_reset for the
  /// refractory steps (τ_ref / h, rounded).
  @Test func thresholdCrossingResetAndRefractoryHold() throws {
    var p = LIFParameters()
    p.cm = 0.1; p.vRest = -65; p.vReset = -70; p.vThresh = -50; p.iOffset = 5; p.tauRefrac = 0.03
    let h = 0.01, v0 = -50.2
    var n = Self.neurons([.ifCurrExp(p)], draws: [nil], initial: [v0], dt: h)
    let v1 = v0 + h / p.cm * (p.cm / p.tauM * (p.vRest - v0) + p.iOffset)
    try #require(v1 > p.vThresh, "the hand computation crosses")
    var spikes: [(neuron: Int32, fraction: Double)] = []
    n.step(spikes: &spikes)
    try #require(spikes.count == 1)
    #expect(spikes[0].neuron == 0)
    #expect(abs(spikes[0].fraction - (p.vThresh - v0) / (v1 - v0)) < 1e-12)
    #expect(n.membrane(0) == p.vReset && n[.refractory, 0] == 3)
    for k in 1...3 {
      spikes.removeAll()
      n.step(spikes: &spikes)
      #expect(spikes.isEmpty && n.membrane(0) == p.vReset, "step \(k) held")
    }
    n.step(spikes: &spikes)
    #expect(abs(n.membrane(0) - (p.vReset + h / p.cm * (p.cm / p.tauM * (p.vRest - p.vReset) + p.iOffset))) < 1e-12)
  }
}
