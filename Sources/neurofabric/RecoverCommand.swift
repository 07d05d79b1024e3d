import ArgumentParser
import Engine

/// `neurofabric recover`: the master file of a run that was killed or failed before writing it.
struct Recover: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write trace.h5 for a killed or failed run from its rank files.",
    discussion: """
      A run killed before its end (SIGKILL, a node failure, a job's time limit without a signal) \
      leaves its rank files, flushed every --flush-interval seconds, but no trace.h5. recover checks \
      that the rank files are one run's (the same run_id, every rank present) and writes trace.h5 \
      over what they hold: spikes as flushed (concatenated by rank, sorting = none), membrane \
      samples and link series up to the rows every rank reached, and /provenance with \
      complete = 0, recovered = 1 and bio_time_ms, the bio time every rank had flushed. Run totals \
      (/fabric/links, /fabric/routers) are written only at a run's end and are absent.

      Example:
        neurofabric recover runs/brunel && neurofabric inspect runs/brunel/trace.h5
      """
  )

  @Argument(help: "A run directory with rank-NNNNN.h5 files and no trace.h5.")
  var directory: String

  func run() throws {
    StopRequest.install()
    do {
      // A run still writing holds its directory: recover refuses it, and the run refuses a second recover.
      let claim = try OutputClaim.claim(directory: directory, command: CommandLine.arguments.joined(separator: " "))
      defer { claim.release() }
      let summary = try RunRecovery.recover(directory)
      print("recovered \(summary.path): \(summary.ranks) rank file\(summary.ranks == 1 ? "" : "s"), \(summary.spikes.grouped) spikes, "
        + "whole up to \(summary.reached) ms bio (complete = 0, recovered = 1)")
    } catch {
      printError("neurofabric recover: \(error)")
      throw ExitCode.failure
    }
    try stopIfAsked("recover", "; trace.h5 was written in full before it stopped")
  }
}
