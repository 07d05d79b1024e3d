import Fabric
import Foundation
@testable import Hardware
import Model
import Testing

/// The SpiNNaker effects a PE models, each switched off (`SpiNNakerSystem.without`, docs/effects.md):
/// the loaded PE's ring buffers, weights, queue, CPU time, arithmetic and delays change only then.
@Suite struct SpiNNakerEffectsPETests {
  static let tickLength = SpiNNakerPETests.tickLength

  static func system(without: Set<String>) -> SpiNNakerSystem {
    var system = SpiNNakerSystem()
    system.without = without
    return system
  }

  /// Five 16384-unit packets into one slot: 65535 and two saturations with `saturation`, the exact
  /// 5 · 16384 in a wide slot without it.
  @Test func withoutSaturationTheSlotHoldsTheSum() throws {
    var on = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65])
    var off = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65], system: Self.system(without: ["saturation"]))
    #expect(!on.wide && off.wide && off.ring.isEmpty && off.wideRing.count == 2 * 8)
    for _ in 0..<5 {
      on.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength)
      off.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength)
    }
    #expect(on.ring[1 * 2] == 65535 && on.saturations == 2)
    #expect(off.wideRing[1 * 2] == 5 * 16384 && off.saturations == 0)
    // The slot enters the s16.15 current as the 16-bit ring would, unsaturated: (5 · 16384) << 1.
    off.update(tick: 0, at: 0)
    off.update(tick: 1, at: Self.tickLength)
    let p = LIFParameters()
    let initE = SpiNNakerPETests.u032(p.tauSynE * (1 - exp(-1 / p.tauSynE))), decayE = SpiNNakerPETests.u032(exp(-1 / p.tauSynE))
    #expect(Int64(off.currentE[0]) == ((((Int64(5 * 16384) << 1) * initE) >> 32) * decayE) >> 32)
    #expect(off.wideRing[1 * 2] == 0, "the consumed slot is cleared")
  }

  /// 0.3 nA under shift 0 is 0.3 · 2^15 = 9830.4 units: 9830 in the word, the exact weight (of the
  /// network's single precision) in the wide slot without `quantisation`.
  @Test func withoutQuantisationTheWeightIsExact() throws {
    var on = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65], weights: [0.3])
    var off = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65], weights: [0.3], system: Self.system(without: ["quantisation"]))
    #expect(on.shiftE == 0 && off.shiftE == 0)
    on.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength)
    off.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength)
    #expect(on.ring[1 * 2] == 9830)
    #expect(off.wideRing[1 * 2] == Double(Float(0.3)) * 32768 && off.wideRing[1 * 2] != 9830)
    // Still saturating at 65535 units: quantisation and saturation are separate effects.
    for _ in 0..<7 { off.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength) }
    #expect(off.wideRing[1 * 2] == 65535 && off.saturations == 2, "the 7th and 8th packets")
  }

  /// Four packets at once into a queue of 2: one dropped with `drops`, none without.
  @Test func withoutDropsTheQueueHasNoLimit() throws {
    var system = Self.system(without: ["drops"])
    system.inputQueuePackets = 2
    var pe = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65], system: system)
    for _ in 0..<4 { pe.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength) }
    #expect(pe.packetsReceived == 4 && pe.queueDrops == 0 && pe.synapticEvents == 4)
  }

  /// 20,000 packets' work (2.24 M cycles, 15 ms at 150 MHz) overruns the next tick with
  /// `overruns`; without it the CPU takes no time, so the tick starts on time, and its cycles still count.
  @Test func withoutOverrunsTheTickStartsOnTime() throws {
    for without in [Set<String>(), ["overruns"]] {
      var system = Self.system(without: without)
      system.inputQueuePackets = 1 << 20
      var pe = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65], weights: [0.001], system: system)
      pe.update(tick: 0, at: 0)
      for _ in 0..<20_000 { pe.receive(key: 0, arrival: 0, tick: 0, tickLength: Self.tickLength) }
      pe.update(tick: 1, at: Self.tickLength)
      #expect(pe.overruns == (without.isEmpty ? 1 : 0), "without \(without)")
      #expect(pe.packetCycles == 20_000 * 100 && pe.synapseCycles == 20_000 * 12)
    }
  }

  /// Without `arithmetic` the LIF update is Float64: V = α − e^(−h/τ_m)(α − V), α = R·I_offset + V_rest.
  @Test func withoutArithmeticTheUpdateIsFloat64() throws {
    var p = LIFParameters()
    p.iOffset = 0.7
    var pe = try SpiNNakerPETests.pe(p, initial: [-60], system: Self.system(without: ["arithmetic"]))
    #expect(pe.v.isEmpty && pe.vDouble == [-60])
    pe.update(tick: 0, at: 0)
    let alpha = 0.7 * (p.tauM / p.cm) + p.vRest
    #expect(pe.membrane(0) == alpha - exp(-1 / p.tauM) * (alpha - -60))
  }

  /// A 1-ms synapse lands in slot 1 with `latency`, slot 2 (NEST's d + 1) without it, whatever
  /// delay_offset_ticks says.
  @Test func withoutLatencyADelayIsOneTickLonger() throws {
    var system = Self.system(without: ["latency"])
    #expect(system.delayTicks(1) == 2)
    system.delayOffsetTicks = 3
    #expect(system.delayTicks(1) == 2)
    system.without = []
    #expect(system.delayTicks(1) == 4)
    let pe = try SpiNNakerPETests.pe(LIFParameters(), initial: [-65], system: Self.system(without: ["latency"]))
    #expect((pe.words[0] >> 9) & 0x7F == 2)
  }
}
