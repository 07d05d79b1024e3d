#if canImport(Glibc)
import Glibc
#endif
import Distributed
import Fabric
import Model
import Traces

/// What every distributed run shares: collectives that turn any rank's failure into an orderly
/// stop on all ranks, and phase timers (the slowest rank's).
protocol CollectiveRun: AnyObject {
  var communicator: Communicator { get }
  var phaseSeconds: [(phase: String, seconds: Double)] { get set }
}

extension CollectiveRun {
  /// Every rank learns whether any rank failed; the failing rank throws its own error, the others
  /// `stoppedByOtherRank`, so all stop at the same point.
  func agree(_ failure: RunError?, phase: String) throws(RunError) {
    let worst = try collective(phase) { try communicator.allreduce(failure == nil ? Int64.max : Int64(communicator.rank), .min) }
    if let failure { throw failure }
    if worst != .max { throw .stoppedByOtherRank(rank: Int(worst), phase: phase) }
  }

  func collective<T>(_ what: String, _ body: () throws -> T) throws(RunError) -> T {
    do { return try body() } catch { throw .communication("\(what): \(error)") }
  }

  func phase<T>(_ name: String, _ body: () throws(RunError) -> T) throws(RunError) -> T {
    let start = WallClock.now()
    let result = try body()
    let seconds = try collective("timers") { try communicator.allreduce(WallClock.now() - start, .max) }
    phaseSeconds.append((name, seconds))
    return result
  }

  /// Writes the `/provenance` attributes every run records (rank 0, into trace.h5); `timers` are
  /// the phases so far. `mismatch` is set for analog families.
  func writeProvenance(_ group: HDF5Group, options: RunOptions, family: String, windows: Int, lookahead: Double, dt: Double,
                       speedup: Double, mismatch: String? = nil) throws {
    try group.setAttribute("command", options.commandLine)
    try group.setAttribute("version", neuroFabricVersion)
    try group.setAttribute("network", options.networkName)
    try group.setAttribute("system", options.systemName)
    try group.setAttribute("family", family)
    try group.setAttribute("seed", options.seed)
    try group.setAttribute("ranks", Int64(communicator.size))
    try group.setAttribute("windows", Int64(windows))
    try group.setAttribute("lookahead_ms", lookahead)
    try group.setAttribute("duration_ms", options.duration)
    try group.setAttribute("dt_ms", dt)
    try group.setAttribute("speedup", speedup)
    if let mismatch { try group.setAttribute("mismatch", mismatch) }
    try group.setAttribute("phases", strings: phaseSeconds.map(\.phase))
    try group.setAttribute("phase_seconds", phaseSeconds.map(\.seconds))
    try group.setAttribute("peak_memory_bytes", peakMemoryBytes())
  }

  /// Sends every rank its packets (one alltoallv) and empties the outbox.
  func exchange(_ outbox: inout [[PacketRecord]]) throws(RunError) -> [PacketRecord] {
    let received = try collective("exchange") {
      try communicator.alltoallv(records: Array(outbox.joined()), counts: outbox.map(\.count)).records
    }
    for r in outbox.indices { outbox[r].removeAll(keepingCapacity: true) }
    return received
  }

  /// After step k: a `/fabric/series` row every `seriesSteps` steps, spikes spilled to the file when
  /// many are pending; a write error is kept in `failure` for the next agreement.
  func endOfStep(_ writer: RankTraceWriter, step k: Int64, seriesSteps: Int64, failure: inout RunError?,
                 row: () -> (packets: [UInt64], drops: [UInt64])) {
    do {
      if (k + 1) % seriesSteps == 0 {
        let r = row()
        try writer.recordSeries(packets: r.packets, drops: r.drops)
      }
      if writer.pendingSpikeCount >= 1 << 16 { try writer.write(toDisk: false) }
    } catch {
      failure = failure ?? .output(path: writer.path, reason: "\(error)")
    }
  }

  /// Flushes the rank file to disk when `interval` seconds have passed since `last`.
  func flushIfDue(_ writer: RankTraceWriter, interval: Double, last: inout Double, failure: inout RunError?) {
    guard failure == nil && WallClock.now() - last >= interval else { return }
    do { try writer.write(toDisk: true) } catch { failure = .output(path: writer.path, reason: "\(error)") }
    last = WallClock.now()
  }

  /// Ends this rank's trace file with its fabric totals; every rank learns of a failure.
  func finishRankFile(_ writer: RankTraceWriter, fabric: FabricTotals) throws(RunError) {
    var failure: RunError?
    do {
      try writer.finish(fabric: fabric, attributes: ["rank": Int64(communicator.rank), "ranks": Int64(communicator.size)])
    } catch {
      failure = .output(path: writer.path, reason: "\(error)")
    }
    try agree(failure, phase: "writing the rank files")
  }

  /// Rank 0 writes trace.h5 with `write`; every rank learns of a failure.
  func writeMasterFile(_ output: String, _ write: () throws -> Void) throws(RunError) {
    var failure: RunError?
    if communicator.rank == 0 {
      do { try write() } catch { failure = .output(path: output + "/trace.h5", reason: "\(error)") }
    }
    try agree(failure, phase: "writing trace.h5")
  }

  /// Creates the run directory (on rank 0) and this rank's trace file; every rank learns of a failure.
  func createRankFile(_ output: String, populations: [RecordedPopulation], links: Int) throws(RunError) -> RankTraceWriter {
    var failure: RunError?
    if communicator.rank == 0 { failure = RunFiles.makeDirectory(output) }
    try agree(failure, phase: "creating the output directory")
    let path = RunFiles.rankFilePath(output, communicator.rank)
    var writer: RankTraceWriter?
    do {
      writer = try RankTraceWriter(path: path, populations: populations, links: links)
    } catch {
      failure = .output(path: path, reason: "\(error)")
    }
    try agree(failure, phase: "creating the trace files")
    return writer!
  }
}

/// The files of a run directory and what they record.
enum RunFiles {
  /// Steps between membrane samples of each population (its recording interval, at least one step).
  static func sampleSteps(_ network: Network, step: Double) -> [Int64] {
    network.populations.map { population in
      let interval = network.recordings.first { $0.population == population.label && $0.variables.contains(.v) }?.interval ?? step
      return max(1, Int64((interval / step).rounded()))
    }
  }

  static func rankFileName(_ rank: Int) -> String {
    let digits = String(rank)
    return "rank-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".h5"
  }

  static func rankFilePath(_ directory: String, _ rank: Int) -> String { directory + "/" + rankFileName(rank) }

  /// Creates `path` and its parents; nil on success.
  static func makeDirectory(_ path: String) -> RunError? {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component + "/"
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        return .output(path: path, reason: String(cString: strerror(errno)))
      }
    }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
      return .output(path: path, reason: "not a directory")
    }
    guard access(path, W_OK) == 0 else { return .output(path: path, reason: "directory is not writable") }
    return nil
  }
}
