import ArgumentParser
import Engine
import Foundation
import Traces

/// `neurofabric inspect`: a summary of a run's `trace.h5`.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Summarise a trace: spikes and rates per population, busiest links, drops, timers.",
    discussion: """
      Reads the master file of a run (its virtual datasets pull from the rank files beside it) and \
      prints the populations with spike counts and mean rates, the ten busiest links and drops by \
      cause (SpiNNaker, ideal) or every fabric counter's total and the chips or HICANNs with the \
      most drops (BrainScaleS), and the provenance with phase timers. A run stopped by a signal \
      says so. A rank file that is missing, does not open or holds another rank is named; its \
      rows show as missing, and inspect exits with 1 after the summary.

      Example:
        neurofabric inspect runs/brunel/trace.h5
      """
  )

  @Argument(help: "A trace.h5 written by `neurofabric run`.")
  var trace: String

  func run() throws {
    let text: String, problems: Int
    do {
      (text, problems) = try summary()
    } catch {
      printError("neurofabric inspect: \(error)")
      throw ExitCode.failure
    }
    print(text)
    if problems > 0 {
      printError("neurofabric inspect: \(problems) rank file\(problems == 1 ? "" : "s") of \(trace) could not be read in full (see the warnings)")
      throw ExitCode.failure
    }
  }

  /// The summary, and how many rank files are missing, unreadable or not this run's; the fabric as
  /// the trace's family in `registry` summarises it.
  func summary(registry: FamilyRegistry = .standard) throws -> (String, Int) {
    let file = try HDF5File.open(trace)
    let root = try file.root()
    let provenance = try root.openGroup("provenance")
    let duration = try provenance.attribute("duration_ms", as: Double.self).first ?? 0
    var out: [String] = []
    out.append("trace \(trace)")
    for name in ["command", "version", "network", "system"] {
      out.append("  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(try provenance.stringAttribute(name).first ?? "")")
    }
    let seed = try provenance.attribute("seed", as: UInt64.self).first ?? 0
    let ranks = try StoredCount.ranks(try provenance.attribute("ranks", as: Double.self).first, file: trace)
    let windows = try provenance.attribute("windows", as: Int64.self).first ?? 0
    out.append("  seed \(seed), \(ranks) ranks, \(Int(windows).grouped) windows, \(duration) ms bio")
    if provenance.hasAttribute("complete"), try provenance.attribute("complete", as: Int64.self).first == 0 {
      let reached = try provenance.attribute("bio_time_ms", as: Double.self).first ?? 0
      let by = provenance.hasAttribute("stopped_by") ? try provenance.stringAttribute("stopped_by").first ?? "" : "a signal"
      out.append("  INCOMPLETE: stopped by \(by) at \(reached) ms bio")
    }
    let runID = provenance.hasAttribute("run_id") ? try provenance.attribute("run_id", as: UInt64.self).first : nil
    let recovered = try provenance.hasAttribute("recovered") && provenance.attribute("recovered", as: Int64.self).first == 1
    if recovered { out.append("  RECOVERED by `neurofabric recover` from the rank files as flushed: no run totals, spikes unsorted") }
    let problems = rankFileProblems(ranks: ranks, runID: runID, recovered: recovered)
    // Rates over the bio time the run reached: all of it, or up to where a signal or a kill stopped it.
    let complete = try !provenance.hasAttribute("complete") || provenance.attribute("complete", as: Int64.self).first != 0
    let simulated = complete ? duration : try provenance.attribute("bio_time_ms", as: Double.self).first ?? duration
    out += problems

    out.append("\npopulations")
    var rows: [[String]] = []
    var missing = 0
    if root.contains("spikes") {
      let spikes = try root.openGroup("spikes")
      for name in spikes.memberNames {
        let group = try spikes.openGroup(name)
        let times = try group.openDataset("timestamps", as: Double.self).read()
        missing += times.filter(\.isNaN).count
        let size = try StoredCount.nodes(try group.attribute("n_nodes", as: Double.self).first, file: trace, attribute: "/spikes/\(name) n_nodes")
        let rate = size > 0 && simulated > 0 ? Double(times.count) / Double(size) / (simulated / 1000) : 0
        rows.append([name, Int(size).grouped, times.count.grouped, String(format: "%.2f", rate)])
      }
    }
    out.append(table(["population", "neurons", "spikes", "mean rate (Hz)"], rows))
    if missing > 0 { out.append("  WARNING: \(missing) spikes read as NaN: a rank file is missing") }

    let family = try provenance.hasAttribute("family") ? provenance.stringAttribute("family").first ?? "" : ""
    out += try (registry.family(named: family)?.inspect(root) ?? TraceSummary.counters(root, labels: ["chip"]))

    if provenance.hasAttribute("phases") {
      let phases = try provenance.stringAttribute("phases")
      let seconds = try provenance.attribute("phase_seconds", as: Double.self)
      let memory = try provenance.attribute("peak_memory_bytes", as: Int64.self).first ?? 0
      out.append("\ntimers")
      out.append(table(["phase", "seconds"], zip(phases, seconds).map { [$0, String(format: "%.3f", $1)] }))
      out.append("  peak memory \(String(format: "%.1f", Double(memory) / 1_048_576)) MiB per rank (largest)")
    }
    return (out.joined(separator: "\n"), problems.count)
  }

  /// Rank files of the run that do not open (missing, truncated, not HDF5): their rows read as
  /// missing values, which the tables show as "missing"; and rank files of another run (their
  /// `run_id` is not the one of `trace.h5`), whose rows are not this run's.
  private func rankFileProblems(ranks: Int, runID: UInt64?, recovered: Bool) -> [String] {
    let directory = (trace as NSString).deletingLastPathComponent
    return (0..<max(0, ranks)).compactMap { rank in
      let path = (directory.isEmpty ? "." : directory) + "/" + RunFiles.rankFileName(rank)
      guard FileManager.default.fileExists(atPath: path) else { return "  WARNING: \(path) is missing: its rows read as missing" }
      do {
        let root = try HDF5File.open(path).root()
        if !recovered {
          guard root.hasAttribute("rank") else { return "  WARNING: \(path) was not finished (a killed run?): its totals may be missing" }
          let stored = try root.attribute("rank", as: Int64.self).first
          if stored != Int64(rank) { return "  WARNING: \(path) says it is rank \(stored.map(String.init) ?? "?") (a file of another run?)" }
        }
        if let runID {
          let own = root.hasAttribute("run_id") ? try root.attribute("run_id", as: UInt64.self).first : nil
          if own != runID {
            return "  WARNING: \(path) belongs to another run (run_id \(own.map { String($0, radix: 16) } ?? "none"), trace.h5 has \(String(runID, radix: 16))): its rows are not this run's"
          }
        }
        return nil
      } catch {
        return "  WARNING: \(path) does not open (\(error)): its rows read as missing"
      }
    }
  }
}
