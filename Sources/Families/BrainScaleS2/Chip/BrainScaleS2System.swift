import Fabric

/// A BrainScaleS-2 system (docs/hardware.md §2): HICANN-X chips, each with its Node-FPGA, joined by an
/// aggregator. Times are hardware nanoseconds unless named otherwise; bio time = hardware × speed-up.
public struct BrainScaleS2System: SystemDescription, Equatable {
  public var name = "bss2"
  /// The effects it runs without (`HardwareEffect`).
  public var without: Set<String> = []
  public var chips = 1
  /// Bio time / hardware time (docs/hardware.md §2.5: 10^3).
  public var speedup = 1000.0
  /// Integration step of the analog neurons, hardware ns. 8 ns = one 125 MHz cycle = 8 µs bio,
  /// ≤ 1/60 of the shortest calibratable τ_syn (0.3 µs HW, §2.2) and 1/1250 of a 10 ms τ_m.
  public var integrationStepNanoseconds = 8.0
  /// One PADI bus or L2 channel cycle, hardware ns: 125 MHz (§2.7, [D]); an output takes one event per cycle.
  public var busCycleNanoseconds = 8.0
  /// Cycles an event may wait in the FPGA for its L2 channel before it is dropped as late (unknown; 1 µs HW).
  public var fpgaBufferCycles: Int64 = 125
  /// Neuron event output → crossbar → PADI bus → synapse, hardware ns ("tens of ns", §2.7 [R]).
  public var onChipLatencyNanoseconds = 40.0
  /// Chip → Node-FPGA → aggregator → Node-FPGA → chip, hardware ns (< 1.3 µs, §2.8).
  public var chipToChipLatencyNanoseconds = 1300.0
  /// Largest number of atomic circuits merged into one logical neuron (the mapper picks the fewest that give the fan-in).
  public var maxCircuitsPerNeuron = 8
  /// Logical neurons placed per chip at most (512 circuits; lower it to spread a network over chips).
  public var neuronsPerChip = HICANNX.circuits
  public var mismatch = FixedPatternNoise.Spreads()
  public var mismatchEnabled = true
  public var calibrated = true
  public var madc = MADC()

  public init() {}

  public var family: String { "brainscales2" }

  /// The effects of the hardware a run can switch off (docs/effects.md#brainscales-2), by the name `--without` takes.
  public enum Effect: String, CaseIterable, Sendable {
    case mismatch, weights, arbitration
    case fpgaLatency = "fpga-latency"
  }

  /// Whether the run models `effect` (it is not in `without`). Chips and the mapper ask once, at load.
  public func models(_ effect: Effect) -> Bool { !without.contains(effect.rawValue) }
  /// Whether the circuits carry fixed-pattern noise: `[mismatch] enabled` and not run without `mismatch`.
  public var hasMismatch: Bool { mismatchEnabled && models(.mismatch) }
  /// "calibrated", "uncalibrated" or "off", as the report and `/provenance` say.
  public var mismatchSetting: String { hasMismatch ? (calibrated ? "calibrated" : "uncalibrated") : "off" }
  /// What the FPGA path adds to a chip crossing: the chip-to-chip latency, or nothing without `fpga-latency`.
  public var fpgaPathLatencyNanoseconds: Double { models(.fpgaLatency) ? chipToChipLatencyNanoseconds : 0 }
  public var fpgaPathLatency: HardwareTime { hardwareTime(nanoseconds: fpgaPathLatencyNanoseconds) }

  /// MADC readout (docs/hardware.md §2.4): 10-bit samples, ≥ 12 MADC cycles per sample, 2 multiplexed channels.
  public struct MADC: Sendable, Equatable {
    public var channels = 2
    public var bits = 10
    /// Shortest interval between samples of one channel, hardware ns (~30 MS/s shared by the channels [R]).
    public var minimumSampleIntervalNanoseconds = 66.7
    /// Bio membrane range the 10-bit code spans (the readout's gain and offset), mV.
    public var rangeMillivolts = (low: -100.0, high: 0.0)

    public init() {}

    public static func == (a: MADC, b: MADC) -> Bool {
      a.channels == b.channels && a.bits == b.bits && a.minimumSampleIntervalNanoseconds == b.minimumSampleIntervalNanoseconds
        && a.rangeMillivolts == b.rangeMillivolts
    }

    /// The membrane voltage a sample of `v` reads back as.
    @inline(__always)
    public func quantise(_ v: Double) -> Double {
      let levels = Double((1 << bits) - 1), (low, high) = rangeMillivolts
      let code = ((v - low) / (high - low) * levels).rounded()
      return low + min(max(code, 0), levels) / levels * (high - low)
    }
  }

  func hardwareTime(nanoseconds: Double) -> HardwareTime { HardwareTime((nanoseconds * 1000).rounded()) }
  public var stepTime: HardwareTime { hardwareTime(nanoseconds: integrationStepNanoseconds) }
  public var busCycle: HardwareTime { hardwareTime(nanoseconds: busCycleNanoseconds) }
  public var onChipLatency: HardwareTime { hardwareTime(nanoseconds: onChipLatencyNanoseconds) }
  /// Added by a chip crossing on top of the on-chip path.
  public var chipToChipLatency: HardwareTime { hardwareTime(nanoseconds: chipToChipLatencyNanoseconds) }
  /// Integration step in bio ms.
  public var dt: Double { integrationStepNanoseconds * 1e-6 * speedup }

  /// The refractory time the 8-bit counter realises (docs/hardware.md §2.2: clock 250 MHz / 2^(s+1), the
  /// fastest clock whose 255 ticks cover the time), rounded to whole steps, in bio ms.
  public func refractoryTime(bioMilliseconds t: Double) -> Double {
    let hardwareNs = t / speedup * 1e6
    var clockGHz = HICANNX.neuronBackendClockMHz / 2 / 1000
    for _ in 0..<15 where (hardwareNs * clockGHz).rounded() > Double(HICANNX.refractoryCounterMax) { clockGHz /= 2 }
    let ticks = min((hardwareNs * clockGHz).rounded(), Double(HICANNX.refractoryCounterMax))
    let steps = (ticks / clockGHz / integrationStepNanoseconds).rounded()
    return steps * dt
  }

  /// Bio milliseconds of hardware time `t`.
  public func bioMilliseconds(_ t: HardwareTime) -> Double { HardwareClock.bioMilliseconds(t, speedup: speedup) }
  /// Hardware time of `ms` bio milliseconds.
  public func hardwareTime(bioMilliseconds ms: Double) -> HardwareTime { HardwareClock.hardwareTime(bioMilliseconds: ms, speedup: speedup) }
}
