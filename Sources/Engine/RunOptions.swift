/// How to run: duration, seed, where the traces go, and what the provenance records.
public struct RunOptions: Sendable {
  /// Bio time to simulate (ms).
  public var duration: Double
  public var seed: UInt64
  /// The run directory: rank files and `trace.h5`.
  public var output: String
  /// Replace a run that `output` already holds (otherwise the run refuses to start).
  public var overwrite: Bool
  /// Wall-clock seconds between flushes of the rank files (what a killed run keeps).
  public var flushInterval: Double
  /// Print progress on rank 0.
  public var progress: Bool
  /// Provenance strings: command line, network and system names.
  public var commandLine: String
  public var networkName: String
  public var systemName: String
  /// The hardware effects the system runs without (`SystemDescription.without`), for the provenance.
  public var without: [String] = []

  public init(duration: Double, seed: UInt64, output: String, overwrite: Bool = false, flushInterval: Double = 5, progress: Bool = true,
              commandLine: String = "", networkName: String = "", systemName: String = "") {
    self.duration = duration
    self.seed = seed
    self.output = output
    self.overwrite = overwrite
    self.flushInterval = flushInterval
    self.progress = progress
    self.commandLine = commandLine
    self.networkName = networkName
    self.systemName = systemName
  }
}

/// What a finished run reports (identical on every rank).
public struct RunSummary: Sendable {
  public var windows: Int
  public var steps: Int64
  public var lookahead: Double
  public var spikes: Int
  /// Synapses built on all ranks (on SpiNNaker: synaptic words and PE-local Poisson inputs).
  public var synapses: Int64
  public var synapticEvents: UInt64
  /// Packets over links (link traversals, the packet-hops).
  public var packets: UInt64
  public var drops: UInt64
  /// Seconds per phase, the slowest rank's.
  public var phaseSeconds: [(phase: String, seconds: Double)]
  public var peakMemoryBytes: Int64
  public var tracePath: String
  /// Family-specific report lines (router and PE counters, energy).
  public var notes: [String] = []
  /// The family's energy estimate (J), where it models energy.
  public var energyJoules: Double?
  /// The signal that stopped the run early (0: it ran to the end), and the bio time it reached (ms).
  public var stoppedBy: Int32 = 0
  public var bioTimeReached: Double = 0
}
