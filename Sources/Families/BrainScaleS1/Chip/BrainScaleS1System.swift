import Fabric

/// A BrainScaleS-1 system (docs/hardware.md §1): wafers of 384 HICANNs, 48 reticles with one FPGA each,
/// Layer-1 buses across each wafer and Layer-2 through the FPGAs between wafers.
public struct BrainScaleS1System: SystemDescription, Equatable, Codable {
  public var name = "bss1"
  /// The effects it runs without (`HardwareEffect`, `BrainScaleS1System.effects`).
  public var without: Set<String> = []
  public var wafers = 1
  /// Bio time / hardware time (§1.6: 10^4 in marocco).
  public var speedup = 1e4
  /// Integration step of the analog neurons, hardware ns (§5: 1–10 ns; 1 ns = 10 µs bio).
  public var integrationStepNanoseconds = 1.0
  /// Denmems per logical neuron: even, 2…64, inside one 64-denmem block (§1.3; marocco's default 4).
  public var denmemsPerNeuron = 4
  /// Neuron blocks the merger tree joins onto one sending repeater: 1, 2, 4 or 8 (levels of
  /// the tree, §1.8). Fewer buses hold fewer HLines; each then carries more sources (≤ 59).
  public var blocksPerBus = 1
  /// Synapse drivers one L1 bus may feed in a chain on a HICANN (marocco's default 3, §1.4).
  public var maxDriverChain = 3
  /// Fail the mapping where a synapse would be lost, instead of counting the loss.
  public var strict = false
  /// HICANNs (wafer, enum) and L1 lines (wafer, HICANN, line) that do not work.
  public var defectHICANNs: Set<HICANNAddress> = []
  public var defectHLines: Set<LineAddress> = []
  public var defectVLines: Set<LineAddress> = []
  public var l1 = Layer1()
  public var l2 = Layer2()
  public var mismatch = FixedPatternNoise.Spreads.brainScaleS1
  public var mismatchEnabled = true
  public var calibrated = true

  public init() {}

  public var family: String { "brainscales1" }
  public var hicanns: Int { wafers * Wafer.hicanns }

  /// Whether global HICANN `h` (wafer × 384 + enum) is not listed as a defect.
  public func works(_ h: Int) -> Bool { !defectHICANNs.contains(HICANNAddress(wafer: h / Wafer.hicanns, hicann: h % Wafer.hicanns)) }

  /// Grid steps to a HICANN's neighbours: east, south, west, north (step l and step l + 2 opposite).
  public static let gridSteps: [(dx: Int, dy: Int)] = [(1, 0), (0, 1), (-1, 0), (0, -1)]

  /// The working neighbours of every working HICANN along `gridSteps`, 4 per HICANN (global
  /// indices); −1 at the wafer's edge, next to a defect, and for a defect HICANN. Wafers do not touch.
  public func gridNeighbours() -> [Int] {
    var neighbours = [Int](repeating: -1, count: hicanns * Self.gridSteps.count)
    for h in 0..<hicanns where works(h) {
      let wafer = h / Wafer.hicanns, c = Wafer.coordinates[h % Wafer.hicanns]
      for (l, step) in Self.gridSteps.enumerated() {
        if let n = Wafer.hicann(x: c.x + step.dx, y: c.y + step.dy), works(wafer * Wafer.hicanns + n) {
          neighbours[h * Self.gridSteps.count + l] = wafer * Wafer.hicanns + n
        }
      }
    }
    return neighbours
  }

  /// Layer 1: one event at a time per bus (docs/hardware.md §1.9, unconfirmed figures as parameters).
  public struct Layer1: Sendable, Equatable, Codable {
    /// Hardware ns an event occupies its bus (a serial word of ~8 bits at ~1 Gbit/s [R]).
    public var wordTimeNanoseconds = 8.0
    /// Hardware ns per HICANN segment a bus crosses (repeater; "tens of ns" [R]).
    public var segmentLatencyNanoseconds = 20.0
    /// Events a merger holds while its bus is busy ("near-coincident events can be lost" [R]; 0: every overlap is lost).
    public var mergerBuffer = 1
  }

  /// Layer 2 through the reticle FPGAs (docs/hardware.md §1.9).
  public struct Layer2: Sendable, Equatable, Codable {
    /// External input per HICANN (marocco InputPlacement max_rate_HICANN) and per FPGA, events/s hardware.
    public var hicannInputRate = 1.78e7
    public var fpgaInputRate = 1.25e8
    /// Events/s hardware a HICANN sends to its FPGA (sthal gbitlink_max_throughput).
    public var hicannOutputRate = 2.5e7
    /// Wafer → FPGA → FPGA → wafer, hardware ns (unknown; a documented default).
    public var waferToWaferLatencyNanoseconds = 1000.0
    /// Hardware ns an FPGA holds an event for its link before dropping it as late.
    public var bufferNanoseconds = 1000.0
  }

  public var dt: Double { integrationStepNanoseconds * 1e-6 * speedup }
  public func hardwareTime(nanoseconds: Double) -> HardwareTime { HardwareTime((nanoseconds * 1000).rounded()) }
  public var stepTime: HardwareTime { hardwareTime(nanoseconds: integrationStepNanoseconds) }
  public func bioMilliseconds(_ t: HardwareTime) -> Double { HardwareClock.bioMilliseconds(t, speedup: speedup) }
  public func hardwareTime(bioMilliseconds ms: Double) -> HardwareTime { HardwareClock.hardwareTime(bioMilliseconds: ms, speedup: speedup) }
  /// Logical neurons per HICANN.
  public var neuronsPerHICANN: Int { HICANN.denmems / denmemsPerNeuron }
}

extension BrainScaleS1System {
  /// The effects a run can switch off (`--without`; docs/effects.md#brainscales-1).
  public static let effects: [HardwareEffect] = [
    HardwareEffect("synapse-loss",
                   on: "the mapper loses synapses where the FPGA input rates, free HLines, VLines and synapse drivers, the driver chain's rows or a quadrant's 4 V_gmax run out (counted per projection and cause)",
                   off: "every synapse is realised: those limits are ignored, a target no route reaches is fed directly after its grid distance in HICANN segments"),
    HardwareEffect("weights", on: "4-bit weights with one gain per projection (a weight that rounds to 0 is lost)",
                   off: "exact weights"),
    HardwareEffect("collisions", on: "a merger loses events beyond its buffer while its bus is busy; the FPGA links drop events that would wait longer than their buffer",
                   off: "no event is dropped: events wait for their bus and link slots as long as they must"),
    HardwareEffect("mismatch", on: "fixed-pattern noise of the denmems ([mismatch])",
                   off: "nominal parameters, as [mismatch] enabled = false"),
  ]

  /// Whether the mapper loses synapses where resources run out (`synapse-loss` on).
  public var losesSynapses: Bool { !without.contains("synapse-loss") }
  /// Whether weights become 4 bit (`weights` on).
  public var quantisesWeights: Bool { !without.contains("weights") }
  /// Whether mergers and FPGA links drop events (`collisions` on).
  public var dropsEvents: Bool { !without.contains("collisions") }
  /// Whether the denmems vary: `[mismatch] enabled` and `mismatch` on.
  public var mismatchModelled: Bool { mismatchEnabled && !without.contains("mismatch") }
}

/// A HICANN of a system: wafer and enum on the wafer.
public struct HICANNAddress: Sendable, Hashable, Comparable, Codable {
  public var wafer: Int
  public var hicann: Int
  public init(wafer: Int, hicann: Int) { self.wafer = wafer; self.hicann = hicann }
  public var global: Int { wafer * Wafer.hicanns + hicann }
  public static func < (a: HICANNAddress, b: HICANNAddress) -> Bool { a.global < b.global }
}

/// An L1 line (HLine or VLine index) on a HICANN.
public struct LineAddress: Sendable, Hashable, Codable {
  public var hicann: HICANNAddress
  public var line: Int
  public init(hicann: HICANNAddress, line: Int) { self.hicann = hicann; self.line = line }
}

extension FixedPatternNoise.Spreads {
  /// BrainScaleS-1: 10–20 % residual spread after calibration (docs/hardware.md §1.3 [R]); uncalibrated larger.
  public static var brainScaleS1: Self {
    var s = Self()
    s.uncalibrated = FixedPatternNoise.Spread(leak: 10, reset: 10, threshold: 10, tauM: 0.4, tauSyn: 0.4, synapticGain: 0.4)
    s.calibrated = FixedPatternNoise.Spread(leak: 1.5, reset: 1.5, threshold: 1.5, tauM: 0.15, tauSyn: 0.15, synapticGain: 0.15)
    return s
  }
}
