import Fabric
import Foundation
@testable import Hardware
import Model
import Testing

/// One SpiNNaker processing element against sPyNNaker's arithmetic worked by hand: the 16-bit
/// synaptic word and ring-buffer add with its saturation, one LIF update in s16.15 with u0.32
/// factors, the delay counted from the tick a packet arrived in, and the input queue's drop.
@Suite struct SpiNNakerPETests {
  /// 1 ms in picoseconds: the default tick.
  static let tickLength = HardwareClock.hardwareTime(bioMilliseconds: 1)

  /// One spike-array source (population 0, slice 0, keys 0…) projecting all-to-all onto `cells`
  /// IF_curr_exp neurons (population 1, slice 1, keys 256…), loaded as slice 1's PE.
  static func pe(_ p: LIFParameters, initial: [Double], weights: [Double] = [1.0], delay: Double = 1,
                 system: SpiNNakerSystem = SpiNNakerSystem()) throws -> SpiNNakerPE {
    var target = Population(label: "cells", size: initial.count, cellType: .ifCurrExp(p))
    target.initialVoltages = initial
    let network = Network(name: "unit", populations: [
      Population(label: "source", size: weights.count, cellType: .spikeSourceArray(times: [[1000]])),
      target,
    ], projections: [
      Projection(label: "source->cells", pre: "source", post: "cells", receptor: .excitatory,
                 connector: .fromList(weights.indices.flatMap { s in initial.indices.map { ListConnection(pre: s, post: $0, weight: weights[s]) } }),
                 weight: .constant(1), delay: .constant(delay)),
    ])
    #expect(network.validate().isEmpty)
    let slices = SpiNNakerSliceMap(population: [0, 1], first: [0, 0], count: [weights.count, initial.count], firstSlice: [0, 1],
                                   sliceOfNeuron: [Int32](repeating: 0, count: weights.count) + [Int32](repeating: 1, count: initial.count),
                                   neuronOffset: [0, weights.count], keyBase: [0, 256], atomBits: 8, sliceBits: 0,
                                   runsOnTarget: [false, false])
    return try SpiNNakerPE(slice: 1, slices: slices, generator: try SynapseGenerator(network: network, seed: 1), system: system)
  }

  /// s16.15 and u0.32 as sPyNNaker converts parameters: round to nearest.
  static func s1615(_ x: Double) -> Int64 { Int64((x * 32768).rounded()) }
  static func u032(_ x: Double) -> Int64 { Int64((x * 4_294_967_296).rounded()) }

  /// A 1 nA synapse with a 1-tick delay from a source sPyNNaker assumes fires at 30 Hz: the expected
  /// input of a slot is max(1, 30 Hz · 1 ms) · 1 nA = 1, so the shift is 1 (2^0 = 1 is not above 1)
  /// and the weight is 1 · 2^(15 − 1) = 16384 in the word's top 16 bits. Each packet adds 16384 to
  /// the slot its delay selects; the fourth takes the 16-bit sum past 65535, which saturates and is
  /// counted (so the slot holds 65535 · 2^1 / 2^15 ≈ 3.99994 nA, not 4).
  @Test func ringBufferAddAndSaturation() throws {
    var pe = try Self.pe(LIFParameters(), initial: [-65])
    #expect(pe.shiftE == 1 && pe.shiftI == 0)
    #expect(pe.words.count == 1)
    let word = pe.words[0]
    #expect(word >> 16 == 16384, "weight")
    #expect((word >> 9) & 0x7F == 1, "delay in ticks")
    #expect((word >> 8) & 1 == 0 && word & 0xFF == 0, "excitatory, neuron 0")
    let slots = pe.ring.count / 2
    #expect(slots == 8, "the smallest power of two ≥ 1 + 2 late ticks + 2")
    for (n, (sum, saturations)) in [(16384, 0), (32768, 0), (49152, 0), (65535, 1), (65535, 2)].enumerated() {
      pe.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength)
      #expect(pe.ring[1 * 2] == UInt16(sum) && pe.saturations == UInt64(saturations), "after \(n + 1) packets")
    }
    #expect(pe.synapticEvents == 5 && pe.packetsReceived == 5)
    // A packet processed in tick 0 that arrived in tick 2 counts its delay from tick 2; one from
    // tick 3 is beyond the 2 late ticks the ring allows: it counts from tick 2 and is late.
    pe.receive(key: 0, arrival: 2 * Self.tickLength + 5, tick: 0, tickLength: Self.tickLength)
    #expect(pe.ring[3 * 2] == 16384 && pe.lateEvents == 0)
    pe.receive(key: 0, arrival: 3 * Self.tickLength + 5, tick: 0, tickLength: Self.tickLength)
    #expect(pe.ring[3 * 2] == 32768 && pe.ring[4 * 2] == 0 && pe.lateEvents == 1)
    // A key no block matches adds nothing.
    pe.receive(key: 256, arrival: 0, tick: 0, tickLength: Self.tickLength)
    #expect(pe.synapticEvents == 7 && pe.packetsReceived == 8)

    // The saturated slot enters the current as 65535 << 1 (s16.15) times init = τ_syn/h (1 − e^(−h/τ_syn)).
    pe.update(tick: 0, at: 0)
    pe.update(tick: 1, at: Self.tickLength)
    let p = LIFParameters()
    let initE = Self.u032(p.tauSynE / 1 * (1 - exp(-1 / p.tauSynE))), decayE = Self.u032(exp(-1 / p.tauSynE))
    let current = ((Int64(65535) << 1) * initE) >> 32
    #expect(Int64(pe.currentE[0]) == (current * decayE) >> 32)
    #expect(pe.ring[1 * 2] == 0, "the consumed slot is cleared")
  }

  /// One LIF update in sPyNNaker's arithmetic (neuron_model_lif_impl.h, exponential synapses), per tick:
  ///   I += (ring << shift) · init >> 32;  α = (I_offset + I) · R >> 15 + V_rest;
  ///   V = α − e^(−h/τ_m) · (α − V) >> 15;  I = I · decay >> 32
  /// with every parameter rounded to s16.15 or u0.32 first. A packet received in tick 0 with a
  /// 1-tick delay is consumed in tick 1; tick 0 only relaxes the membrane under I_offset. The
  /// results are also within a few LSB of the same formulas in double precision.
  @Test func lifUpdateInFixedPoint() throws {
    var p = LIFParameters()
    p.cm = 1; p.tauM = 20; p.tauSynE = 5; p.vRest = -65; p.vThresh = -50; p.iOffset = 0.5
    let v0 = -60.0
    var pe = try Self.pe(p, initial: [v0])
    pe.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength)

    let r = Self.s1615(p.tauM / p.cm), expTC = Self.s1615(exp(-1 / p.tauM)), vRest = Self.s1615(p.vRest)
    let iOffset = Self.s1615(p.iOffset), initE = Self.u032(p.tauSynE * (1 - exp(-1 / p.tauSynE))), decayE = Self.u032(exp(-1 / p.tauSynE))
    var v = Self.s1615(v0), current: Int64 = 0
    func tick(ring: Int64) {
      current += ((ring << 1) * initE) >> 32
      let alpha = (((iOffset + current) * r) >> 15) + vRest
      v = alpha - ((expTC * (alpha - v)) >> 15)
      current = (current * decayE) >> 32
    }
    #expect(Int64(pe.v[0]) == Self.s1615(v0))

    pe.update(tick: 0, at: 0)
    tick(ring: 0)
    #expect(Int64(pe.v[0]) == v && pe.currentE[0] == 0, "tick 0: V = \(pe.v[0]), by hand \(v)")
    let alpha0 = p.tauM / p.cm * p.iOffset + p.vRest, v1 = alpha0 - exp(-1 / p.tauM) * (alpha0 - v0)
    #expect(abs(pe.membrane(0) - v1) < 4.0 / 32768, "tick 0 in double precision: \(v1)")

    pe.update(tick: 1, at: Self.tickLength)
    tick(ring: 16384)
    #expect(Int64(pe.v[0]) == v && Int64(pe.currentE[0]) == current, "tick 1: V = \(pe.v[0]), I = \(pe.currentE[0]); by hand \(v), \(current)")
    let i1 = p.tauSynE * (1 - exp(-1 / p.tauSynE)) * 1.0  // the 1 nA weight times init
    let alpha1 = p.tauM / p.cm * (p.iOffset + i1) + p.vRest, v2 = alpha1 - exp(-1 / p.tauM) * (alpha1 - v1)
    #expect(abs(pe.membrane(0) - v2) < 8.0 / 32768, "tick 1 in double precision: \(v2), PE \(pe.membrane(0))")
    #expect(abs(S1615.double(pe.currentE[0]) - i1 * exp(-1 / p.tauSynE)) < 4.0 / 32768)
    #expect(pe.spikes.isEmpty && pe.membrane(0) - v1 > 0.5, "the synapse moved V by \(pe.membrane(0) - v1) mV")
  }

  /// Threshold and refractory period in ticks: ⌈τ_ref / h⌉, here ⌈2.5⌉ = 3 ticks held at V_reset.
  @Test func thresholdResetAndRefractoryTicks() throws {
    var p = LIFParameters()
    p.vRest = -65; p.vReset = -70; p.vThresh = -50; p.tauRefrac = 2.5; p.iOffset = 2
    var pe = try Self.pe(p, initial: [-49])  // above threshold after the first update
    pe.update(tick: 0, at: 0)
    #expect(pe.spikes == [0] && pe.v[0] == Int32(Self.s1615(p.vReset)) && pe.refractory[0] == 3)
    for k in 1...3 {
      pe.update(tick: Int64(k), at: Int64(k) * Self.tickLength)
      #expect(pe.spikes.isEmpty && pe.v[0] == Int32(Self.s1615(p.vReset)), "tick \(k) held")
    }
    pe.update(tick: 4, at: 4 * Self.tickLength)
    #expect(pe.v[0] > Int32(Self.s1615(p.vReset)), "tick 4 integrates")
  }

  /// The input queue holds `input_queue` packets waiting for the CPU besides the one it is
  /// processing: 4 packets at once into a queue of 2 take 1 + 2 and drop the fourth. Each takes
  /// packet + row + 1 synapse = 60 + 40 + 12 cycles at 150 MHz, round(112 · 10^6 / 150) ps; once
  /// the CPU is free, the next packet is taken again.
  @Test func fullInputQueueDropsThePacket() throws {
    var system = SpiNNakerSystem()
    system.inputQueuePackets = 2
    var pe = try Self.pe(LIFParameters(), initial: [-65], system: system)
    for _ in 0..<4 { pe.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength) }
    #expect(pe.packetsReceived == 3 && pe.queueDrops == 1 && pe.synapticEvents == 3)
    #expect(pe.ring[1 * 2] == 3 * 16384)
    let perPacket = HardwareTime((112 * 1e6 / 150).rounded())
    #expect(pe.busyUntil == 3 * perPacket)
    #expect(pe.packetCycles == 3 * 100 && pe.synapseCycles == 3 * 12)
    pe.receive(key: 0, arrival: 3 * perPacket - 1, tick: 0, tickLength: Self.tickLength)
    #expect(pe.packetsReceived == 4 && pe.queueDrops == 1, "the three have started: the queue is empty again")
    for _ in 0..<2 { pe.receive(key: 0, arrival: 3 * perPacket - 1, tick: 0, tickLength: Self.tickLength) }
    #expect(pe.packetsReceived == 5 && pe.queueDrops == 2)
  }

  /// py-spinnaker2's arithmetic: weights as `weight_bits`-bit integers under one scale per PE, the
  /// largest weight the largest integer: 1 nA → 15 and 0.2 nA → round(0.2 · 15) = 3 with 4 bits;
  /// a ring unit is τ_syn/h (1 − e^(−h/τ_syn)) / scale nA.
  @Test func float32WeightsAreSmallIntegers() throws {
    var system = SpiNNakerSystem()
    system.arithmetic = .float32(weightBits: 4)
    let p = LIFParameters()
    let pe = try Self.pe(p, initial: [-65], weights: [1.0, 0.2], system: system)
    #expect(pe.words.map { $0 >> 16 } == [15, 3])
    guard case let .floatLIF(model) = pe.kind else { Issue.record("float LIF expected"); return }
    #expect(model.unitE == Float(p.tauSynE * (1 - exp(-1 / p.tauSynE)) / 15))
  }
}
