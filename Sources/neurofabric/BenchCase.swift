import Engine
import Foundation

/// A named benchmark network (issue #9's cases: Brunel at three sizes, the microcircuit at three scalings).
struct BenchCase {
  let name: String
  let network: String

  static let all = [
    BenchCase(name: "brunel-10k", network: "brunel:N=10000,indegree=1000"),
    BenchCase(name: "brunel-50k", network: "brunel:N=50000,indegree=1000"),
    BenchCase(name: "brunel-100k", network: "brunel:N=100000,indegree=1000"),
    BenchCase(name: "microcircuit-0.1", network: "microcircuit:N_scaling=0.1"),
    BenchCase(name: "microcircuit-0.5", network: "microcircuit:N_scaling=0.5"),
    BenchCase(name: "microcircuit-1.0", network: "microcircuit"),
  ]

  static func named(_ name: String) -> BenchCase? { all.first { $0.name == name } }

  /// The topology file of a system keyword, or the argument itself when it is a path.
  static func systemPath(_ system: String) -> String {
    switch system {
    case "ideal": "Topologies/ideal-crossbar.toml"
    case "spinnaker2": "Topologies/spinnaker2-24boards.toml"
    default: system
    }
  }
}

/// The figures of one benchmark run, as a table row and a JSON line.
struct BenchResult {
  let `case`: BenchCase
  let system: String
  let ranks: Int
  let bioSeconds: Double
  let mapSeconds: Double
  let summary: RunSummary
  /// Peak resident memory summed over ranks, and its growth from before the build.
  let memoryBytes: Int64
  let memoryGrowthBytes: Int64

  func seconds(_ phases: String...) -> Double {
    summary.phaseSeconds.filter { phases.contains($0.phase) }.reduce(0) { $0 + $1.seconds }
  }

  var buildSeconds: Double { seconds("map+build", "load") }
  var runSeconds: Double { seconds("run") }
  var writeSeconds: Double { seconds("open traces", "write") }
  var realTimeFactor: Double { runSeconds / bioSeconds }
  var eventsPerSecond: Double { runSeconds > 0 ? Double(summary.synapticEvents) / runSeconds : 0 }
  var hopsPerSecond: Double { runSeconds > 0 ? Double(summary.packets) / runSeconds : 0 }
  var bytesPerSynapse: Double { summary.synapses > 0 ? Double(memoryGrowthBytes) / Double(summary.synapses) : 0 }

  static let columns = ["case", "system", "ranks", "map s", "build s", "run s", "write s", "RTF", "syn events/s",
                        "packet-hops/s", "peak MiB/rank", "bytes/synapse"]

  var row: [String] {
    [self.case.name, system, "\(ranks)", f(mapSeconds, 2), f(buildSeconds, 2), f(runSeconds, 2), f(writeSeconds, 2),
     f(realTimeFactor, 2), String(format: "%.3g", eventsPerSecond), String(format: "%.3g", hopsPerSecond),
     f(Double(summary.peakMemoryBytes) / 1_048_576, 0), f(bytesPerSynapse, 1)]
  }

  var json: String {
    let fields: [(String, String)] = [
      ("case", quoted(self.case.name)), ("network", quoted(self.case.network)), ("system", quoted(system)),
      ("ranks", "\(ranks)"), ("bio_seconds", "\(bioSeconds)"), ("map_s", f(mapSeconds, 3)),
      ("build_s", f(buildSeconds, 3)), ("run_s", f(runSeconds, 3)), ("write_s", f(writeSeconds, 3)),
      ("real_time_factor", f(realTimeFactor, 3)), ("spikes", "\(summary.spikes)"), ("synapses", "\(summary.synapses)"),
      ("synaptic_events", "\(summary.synapticEvents)"), ("synaptic_events_per_s", f(eventsPerSecond, 0)),
      ("packet_hops", "\(summary.packets)"), ("packet_hops_per_s", f(hopsPerSecond, 0)), ("drops", "\(summary.drops)"),
      ("peak_memory_bytes_per_rank", "\(summary.peakMemoryBytes)"), ("memory_bytes_all_ranks", "\(memoryBytes)"),
      ("bytes_per_synapse", f(bytesPerSynapse, 2)), ("version", quoted(neuroFabricVersion)),
    ]
    return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
  }

  private func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
  private func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
}
