#if canImport(Glibc)
import Glibc
#endif
import Distributed
import Fabric
import Model
import Traces

/// The distributed run of any family (docs/design-notes.md §4): load the owned chips, open the trace
/// sinks, then the window loop — agree that every rank is fine, advance the family through the
/// window, exchange the packets for other ranks, hand the window's records to the sink, flush at
/// intervals, report progress — and finally the rank files and, on rank 0, the master file with
/// its provenance. Window boundaries depend on the rank count, never the results: families step on
/// the absolute grid of their step.
public final class Simulation {
  public let family: any FamilyRun
  let options: RunOptions
  let ranks: RankGroup
  let output: TraceOutput
  /// The recording books, made after `load`.
  var recording: RecordingPlan!
  var phaseSeconds: [(phase: String, seconds: Double)] = []
  var windows = 0
  /// Steps run, and the signal that stopped the run before its end (0 if none).
  var stepsRun: Int64 = 0
  var stoppedBy: Int32 = 0
  /// The identity every file of this run carries (`run_id`).
  var runID: UInt64 = 0

  public init(_ family: any FamilyRun, options: RunOptions, communicator: Communicator, output: TraceOutput? = nil) {
    self.family = family
    self.options = options
    ranks = RankGroup(communicator)
    self.output = output ?? RunDirectory(options.output)
  }

  /// Runs load, window loop and write. Throws on this rank's own failure, or `stoppedByOtherRank`
  /// when another rank failed; every rank returns or throws, none hangs.
  public func run() throws(RunError) -> RunSummary {
    let budget: RunError?
    do {
      budget = MemoryBudget.problem(family.memoryEstimate, available: try MemoryBudget.availablePerRank()).map(RunError.memory)
    } catch {
      budget = error
    }
    try ranks.agree(budget, phase: "checking the memory the run needs")
    try prepareOutput()
    try phase("load") { () throws(RunError) in try load() }
    let sink = try phase("open traces") { () throws(RunError) in try openSink() }
    let totals = try phase("run") { () throws(RunError) in
      try loop(sink)
      return try finish()
    }
    try phase("write") { () throws(RunError) in try write(sink, fabric: totals.fabric) }
    let peak = try ranks.collective("summary") { try ranks.communicator.allreduce(peakMemoryBytes(), .max) }
    return RunSummary(windows: windows, steps: stepsRun, lookahead: family.lookahead, spikes: Int(recording.spikeTotal),
                      synapses: totals.synapses, synapticEvents: totals.synapticEvents, packets: totals.packets,
                      drops: totals.drops, phaseSeconds: phaseSeconds, peakMemoryBytes: peak, tracePath: output.masterPath,
                      notes: totals.notes, energyJoules: totals.energyJoules, stoppedBy: stoppedBy, bioTimeReached: bioTimeReached)
  }

  private func phase<T>(_ name: String, _ body: () throws(RunError) -> T) throws(RunError) -> T {
    let start = ContinuousClock.now
    let result = try body()
    phaseSeconds.append((name, try ranks.maximum((ContinuousClock.now - start).seconds)))
    return result
  }

  /// Loads the owned chips (every rank learns of a failure), exchanges their set-up records, and
  /// opens the recording books.
  private func load() throws(RunError) {
    var failure: RunError?
    var requests = Array(repeating: [PacketRecord](), count: ranks.size)
    do throws(RunError) {
      let made = try family.load()
      if !made.isEmpty { requests = made }
    } catch {
      failure = error
    }
    try ranks.agree(failure, phase: "loading the chips")
    family.connect(try ranks.exchange(&requests).sorted(by: PacketRecord.precedes))
    recording = RecordingPlan(network: family.network, units: family.recordingUnits, sampleSteps: family.sampleSteps, dt: family.dt)
  }

  /// The family's counters and the spikes per unit, reduced over all ranks.
  private func finish() throws(RunError) -> FamilyTotals {
    let local = family.counters()
    let sums = try ranks.sum(local.sums + recording.spikes)
    recording.gathered(Array(sums[local.sums.count...]))
    return family.totals(local.reduced(sums: Array(sums[..<local.sums.count]), realSums: try ranks.sum(local.realSums),
                                       maxima: try ranks.maximum(local.maxima)))
  }

  /// Prepares the output on rank 0 before anything loads (a run the directory holds is refused,
  /// or removed with `overwrite`), and agrees on the run's identity: rank 0's clock and process.
  private func prepareOutput() throws(RunError) {
    var failure: RunError?
    if ranks.rank == 0, let reason = output.prepare(overwrite: options.overwrite) { failure = .output(path: options.output, reason: reason) }
    try ranks.agree(failure, phase: "creating the output directory")
    let own = ranks.rank == 0 ? Int64(bitPattern: Self.newRunID()) : .min
    runID = UInt64(bitPattern: try ranks.collective("run identity") { try ranks.communicator.allreduce(own, .max) })
  }

  /// A run identity: wall-clock nanoseconds mixed with the process id.
  static func newRunID() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return (UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)) ^ (UInt64(getpid()) << 48)
  }

  /// Creates this rank's sink; every rank learns of a failure.
  private func openSink() throws(RunError) -> TraceSink {
    var failure: RunError?
    var sink: TraceSink?
    do {
      let header = RunHeader(runID: runID, seriesInterval: family.seriesInterval, provenance: writeProvenance)
      sink = try output.makeSink(rank: ranks.rank, populations: recording.recordedPopulations(rank: ranks.rank), seriesColumns: family.seriesColumns,
                                 header: header)
    } catch {
      failure = .output(path: RunFiles.rankFilePath(options.output, ranks.rank), reason: "\(error)")
    }
    try ranks.agree(failure, phase: "creating the trace files")
    return sink!
  }

  private func loop(_ sink: TraceSink) throws(RunError) {
    let steps = family.steps, window = family.windowSteps
    var records = TraceRecords(schedule: recording.units.schedule(rank: ranks.rank, steps: recording.sampleSteps))
    var outbox = Array(repeating: [PacketRecord](), count: ranks.size)
    var progress = ProgressReporter(enabled: options.progress && ranks.rank == 0, duration: options.duration)
    var lastFlush = ContinuousClock.now
    var failure: RunError?
    var k0: Int64 = 0
    while k0 < steps {
      // One agreement per window: has any rank failed, has any rank been asked to stop?
      let status = try ranks.collective("the run") {
        try ranks.communicator.allreduce([failure == nil ? .max : Int64(ranks.rank), -Int64(StopRequest.received)], .min)
      }
      if status[0] != .max {
        if let failure { throw failure }
        throw .stoppedByOtherRank(rank: Int(status[0]), phase: "the run")
      }
      if status[1] != 0 {
        stoppedBy = Int32(-status[1])
        break
      }
      let k1 = min(steps, k0 + window)
      windows += 1
      records.start(k0..<k1)
      family.advance(k0..<k1, records: &records, outbox: &outbox)
      // The one order every family receives its packets in, whatever rank sent them.
      var received = try ranks.exchange(&outbox)
      received.sort(by: PacketRecord.precedes)
      family.receive(received, window: k0..<k1, records: &records)
      recording.count(records)
      if failure == nil {
        do {
          try sink.append(records)
          if (ContinuousClock.now - lastFlush).seconds >= options.flushInterval {
            try sink.flush(reached: Double(k1) * family.dt)
            lastFlush = ContinuousClock.now
          }
        } catch {
          failure = .output(path: sink.path, reason: "\(error)")
        }
      }
      records.removeAll()
      progress.update(bioTime: Double(k1) * family.dt)
      k0 = k1
    }
    stepsRun = k0
    try ranks.agree(failure, phase: "the run")  // every rank, so a failure in the last window cannot leave the others in another collective
    progress.update(bioTime: bioTimeReached, force: true)
  }

  /// Ends the rank files, then rank 0 writes the master file; every rank learns of a failure.
  private func write(_ sink: TraceSink, fabric: FabricTotals) throws(RunError) {
    var failure: RunError?
    do {
      try sink.finish(fabric: fabric, attributes: ["rank": Int64(ranks.rank), "ranks": Int64(ranks.size)])
    } catch {
      failure = .output(path: sink.path, reason: "\(error)")
    }
    try ranks.agree(failure, phase: "writing the rank files")
    if ranks.rank == 0 {
      do {
        let layout = recording.layout(rankFiles: (0..<ranks.size).map(RunFiles.rankFileName), sampleRows: sink.sampleRows,
                                      seriesRows: sink.seriesRows, seriesInterval: family.seriesInterval, fabric: fabric,
                                      rows: family.fabricRows)
        try output.writeMaster(layout: layout, provenance: writeProvenance, extra: family.writeGroups)
      } catch {
        failure = .output(path: output.masterPath, reason: "\(error)")
      }
    }
    try ranks.agree(failure, phase: "writing trace.h5")
  }

  /// Bio time the run reached (ms): the duration, or less when a signal stopped it.
  var bioTimeReached: Double { stoppedBy == 0 ? options.duration : Double(stepsRun) * family.dt }

  /// The `/provenance` attributes of every run; `phases` are the timers so far. `complete` is 0 when
  /// a signal stopped the run early (then `stopped_by` names it); `bio_time_ms` is the time reached.
  private func writeProvenance(_ group: HDF5Group) throws {
    try group.setAttribute("command", options.commandLine)
    try group.setAttribute("version", neuroFabricVersion)
    try group.setAttribute("network", options.networkName)
    try group.setAttribute("system", options.systemName)
    if !options.without.isEmpty { try group.setAttribute("without", strings: options.without) }
    try group.setAttribute("family", family.family)
    try group.setAttribute("seed", options.seed)
    try group.setAttribute("run_id", runID)
    try group.setAttribute("ranks", Int64(ranks.size))
    try group.setAttribute("windows", Int64(windows))
    try group.setAttribute("lookahead_ms", family.lookahead)
    try group.setAttribute("duration_ms", options.duration)
    try group.setAttribute("dt_ms", family.dt)
    try group.setAttribute("speedup", family.speedup)
    if let mismatch = family.mismatch { try group.setAttribute("mismatch", mismatch) }
    try group.setAttribute("phases", strings: phaseSeconds.map(\.phase))
    try group.setAttribute("phase_seconds", phaseSeconds.map(\.seconds))
    try group.setAttribute("peak_memory_bytes", peakMemoryBytes())
    try group.setAttribute("complete", Int64(stoppedBy == 0 ? 1 : 0))
    try group.setAttribute("bio_time_ms", bioTimeReached)
    if stoppedBy != 0 { try group.setAttribute("stopped_by", StopRequest.name(stoppedBy)) }
  }
}

/// The release of NeuroFabric, printed by `--version` and `info` and written into trace provenance.
public let neuroFabricVersion = "0.2.0"
