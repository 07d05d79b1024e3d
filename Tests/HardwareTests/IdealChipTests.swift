import Foundation
@testable import Hardware
import Model
import Testing

/// The ideal chip's step against closed forms: IF_curr_exp integrated exactly (the membrane and the
/// exponential current after any number of steps equal the continuous solution), a delayed spike in
/// its ring slot acting d steps after it was sent, and threshold, reset and refractory period.
@Suite struct IdealChipTests {
  static let h = 0.1

  /// A chip holding `initial.count` neurons of `cell` (global ids 1…), the targets of an all-to-all
  /// projection from one spike-array source (global id 0, key 0) of `weight` and `delay`.
  static func chip(_ cell: CellType, initial: [Double], weight: Double = 0.5, delay: Double = 0.1,
                   receptor: Receptor = .excitatory) throws -> IdealChip {
    var target = Population(label: "cells", size: initial.count, cellType: cell)
    target.initialVoltages = initial
    let network = Network(name: "unit", populations: [
      Population(label: "source", size: 1, cellType: .spikeSourceArray(times: [[1000]])),
      target,
    ], projections: [
      Projection(label: "source->cells", pre: "source", post: "cells", receptor: receptor, connector: .allToAll,
                 weight: .constant(weight), delay: .constant(delay)),
    ])
    #expect(network.validate().isEmpty)
    let generator = try SynapseGenerator(network: network, seed: 1)
    return try IdealChip(index: 0, slices: [Slice(population: 1, first: 0, count: initial.count, chip: 0, chipOffset: 0)],
                         generator: generator, dt: h, maximumTransitSteps: 0)
  }

  /// IF_curr_exp with a DC offset and one spike: after every step k, V and I_syn equal the
  /// continuous solution of  C dV/dt = −C (V − V_rest)/τ_m + I_offset + I(t),  I(t) = w e^(−s/τ_syn)
  /// from the spike's onset s = 0. The spike is sent in step 0 (stamped h) with a one-step delay, so
  /// its current exists from t = 2h:
  ///   V(t) − V_rest = e^(−t/τ_m)(V0 − V_rest) + τ_m/C · I_offset (1 − e^(−t/τ_m))
  ///                   + w τ_m τ_syn / (C (τ_syn − τ_m)) · (e^(−s/τ_syn) − e^(−s/τ_m)),   s = t − 2h.
  @Test func exactPropagatorFollowsTheContinuousSolution() throws {
    var p = LIFParameters()
    p.cm = 0.25; p.tauM = 20; p.tauSynE = 5; p.vRest = -65; p.vThresh = -40; p.iOffset = 0.3
    let v0 = -60.0, w = 0.5
    var chip = try Self.chip(.ifCurrExp(p), initial: [v0], weight: w)
    chip.deliver(key: 0, baseStep: 0, earliestStep: 1)
    let h = Self.h, a = p.tauM * p.tauSynE / (p.cm * (p.tauSynE - p.tauM))
    var largest = 0.0
    for k in 0..<400 {
      chip.step(Int64(k))
      let t = Double(k + 1) * h, s = max(0, t - 2 * h)
      let v = p.vRest + exp(-t / p.tauM) * (v0 - p.vRest) + p.tauM / p.cm * p.iOffset * (1 - exp(-t / p.tauM))
        + w * a * (exp(-s / p.tauSynE) - exp(-s / p.tauM))
      let current = k >= 1 ? w * exp(-Double(k - 1) * h / p.tauSynE) : 0
      #expect(abs(chip.v[0] - v) < 1e-9, "step \(k): V = \(chip.v[0]), closed form \(v)")
      #expect(abs(chip.synE[0] - current) <= 1e-12 * w, "step \(k): I_syn = \(chip.synE[0]), closed form \(current)")
      #expect(chip.spikes.isEmpty)
      largest = max(largest, chip.v[0] - v0)
    }
    #expect(largest > 5, "the neuron moved by \(largest) mV, so the comparison is not trivial")
  }

  /// A spike of source key 0 sent in step k0 = 3 over a synapse of d = 7 steps (0.7 ms) lands in ring
  /// slot k0 + d = 10 (index (slot · 2 + receptor) · n + neuron, w · 2^40 in fixed point), enters the
  /// synaptic current at the end of step 10 and moves V from step 11 on, by exactly
  /// P21 · w = w τ_m τ_syn / (C (τ_syn − τ_m)) (e^(−h/τ_syn) − e^(−h/τ_m)), signed by the receptor.
  @Test(arguments: [Receptor.excitatory, .inhibitory])
  func delayedSpikeLandsInItsSlotAndActsDStepsLater(receptor: Receptor) throws {
    var p = LIFParameters()
    p.tauSynE = 5; p.tauSynI = 8
    let w = 0.5, d = 7, k0 = 3, type = receptor == .inhibitory ? 1 : 0
    var chip = try Self.chip(.ifCurrExp(p), initial: [p.vRest], weight: w, delay: Double(d) * Self.h, receptor: receptor)
    let slots = chip.ring.count / 2
    #expect(slots == 16, "the smallest power of two ≥ 7 + 0 + 2 slots")
    chip.deliver(key: 0, baseStep: Int64(k0), earliestStep: Int64(k0 + 1))
    let slot = (k0 + d) % slots
    #expect(chip.ring[slot * 2 + type] == Int64(w * 0x1p40))
    #expect(chip.ring.enumerated().allSatisfy { $0.offset == slot * 2 + type || $0.element == 0 }, "one entry written")
    #expect(chip.synapticEvents == 1 && chip.lateEvents == 0)
    for k in 0..<(k0 + d) {
      chip.step(Int64(k))
      #expect(chip.synE[0] == 0 && chip.synI[0] == 0 && chip.v[0] == p.vRest, "step \(k): nothing before slot \(k0 + d)")
    }
    chip.step(Int64(k0 + d))
    #expect((type == 0 ? chip.synE[0] : chip.synI[0]) == w, "the slot's input enters the current in step \(k0 + d)")
    #expect(chip.v[0] == p.vRest, "the membrane sees the current from the next step")
    #expect(chip.ring.allSatisfy { $0 == 0 }, "the consumed slot is cleared")
    chip.step(Int64(k0 + d + 1))
    let tauSyn = type == 0 ? p.tauSynE : p.tauSynI, h = Self.h
    let p21 = p.tauM * tauSyn / (p.cm * (tauSyn - p.tauM)) * (exp(-h / tauSyn) - exp(-h / p.tauM))
    let expected = p.vRest + (type == 0 ? 1 : -1) * p21 * w
    #expect(abs(chip.v[0] - expected) < 1e-12, "V = \(chip.v[0]), expected \(expected)")
    #expect(abs(chip.v[0] - p.vRest) > 1e-3)
  }

  /// A packet that arrives after its delay has passed lands in the step it arrived for, counted late.
  @Test func lateInputLandsAtTheEarliestStep() throws {
    var chip = try Self.chip(.ifCurrExp(LIFParameters()), initial: [-65], weight: 0.25)
    #expect(chip.ring.count == 4 * 2, "4 slots: the smallest power of two ≥ 1 + 0 + 2")
    chip.deliver(key: 0, baseStep: 0, earliestStep: 2)  // due at step 1, arrived for step 2
    #expect(chip.ring[2 * 2] == Int64(0.25 * 0x1p40) && chip.ring[1 * 2] == 0)
    #expect(chip.lateEvents == 1 && chip.synapticEvents == 1)
    chip.deliver(key: 0, baseStep: 0, earliestStep: 1, count: 3)  // three spikes at once: three times the weight
    #expect(chip.ring[1 * 2] == 3 * Int64(0.25 * 0x1p40) && chip.synapticEvents == 4 && chip.lateEvents == 1)
  }

  /// Threshold, reset and refractory period: with V_th = −50, V_reset = −70, τ_ref = 0.3 ms (3 steps)
  /// and I_offset = 2 nA, a neuron at −50.1 mV reaches u = V_rest + e^(−h/τ_m)(V0 − V_rest) +
  /// τ_m/C (1 − e^(−h/τ_m)) I_offset ≥ V_th in step 0 and fires; one at −50.5 mV stays below. The
  /// fired neuron is held at V_reset for steps 1–3 and integrates from V_reset in step 4.
  @Test func thresholdResetAndRefractoryPeriod() throws {
    var p = LIFParameters()
    p.vRest = -65; p.vReset = -70; p.vThresh = -50; p.tauRefrac = 0.3; p.iOffset = 2
    let h = Self.h
    func free(_ v: Double) -> Double { p.vRest + exp(-h / p.tauM) * (v - p.vRest) + p.tauM / p.cm * (1 - exp(-h / p.tauM)) * p.iOffset }
    let initial = [-50.1, -50.5]
    try #require(free(initial[0]) >= p.vThresh && free(initial[1]) < p.vThresh, "the hand computation puts one neuron on each side")
    var chip = try Self.chip(.ifCurrExp(p), initial: initial)
    chip.step(0)
    #expect(chip.spikes == [0])
    #expect(chip.v[0] == p.vReset)
    #expect(abs(chip.v[1] - free(initial[1])) < 1e-12)
    #expect(chip.refractory[0] == 3)
    for k in 1...3 {
      chip.step(Int64(k))
      #expect(!chip.spikes.contains(0) && chip.v[0] == p.vReset, "step \(k): held at V_reset")
    }
    chip.step(4)
    #expect(abs(chip.v[0] - free(p.vReset)) < 1e-12, "step 4 integrates from V_reset: \(chip.v[0]) vs \(free(p.vReset))")
  }
}
