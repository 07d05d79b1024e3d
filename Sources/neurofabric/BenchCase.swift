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

  var buildSeconds: Double { seconds("load") }
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

  /// The JSON line `Scripts/bench` collects.
  var json: String { jsonLine(Record(result: self)) }

  private struct Record: Encodable {
    var `case`: String, network: String, system: String, ranks: Int, bio_seconds: Double
    var map_s: Double, build_s: Double, run_s: Double, write_s: Double, real_time_factor: Double
    var spikes: Int, synapses: Int64, synaptic_events: UInt64, synaptic_events_per_s: Double
    var packet_hops: UInt64, packet_hops_per_s: Double, drops: UInt64
    var peak_memory_bytes_per_rank: Int64, memory_bytes_all_ranks: Int64, bytes_per_synapse: Double, version: String

    init(result r: BenchResult) {
      (`case`, network, system, ranks, bio_seconds) = (r.case.name, r.case.network, r.system, r.ranks, r.bioSeconds)
      (map_s, build_s, run_s, write_s, real_time_factor) = (r.mapSeconds, r.buildSeconds, r.runSeconds, r.writeSeconds, r.realTimeFactor)
      (spikes, synapses, synaptic_events, synaptic_events_per_s) = (r.summary.spikes, r.summary.synapses, r.summary.synapticEvents, r.eventsPerSecond)
      (packet_hops, packet_hops_per_s, drops) = (r.summary.packets, r.hopsPerSecond, r.summary.drops)
      (peak_memory_bytes_per_rank, memory_bytes_all_ranks) = (r.summary.peakMemoryBytes, r.memoryBytes)
      (bytes_per_synapse, version) = (r.bytesPerSynapse, neuroFabricVersion)
    }
  }

  private func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// One JSON object on one line, keys sorted.
func jsonLine<T: Encodable>(_ value: T) -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}
