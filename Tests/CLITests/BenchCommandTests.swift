import Foundation
import TestSupport
import Testing

/// `neurofabric bench` as Scripts/bench calls it: one JSON line on rank 0 with figures that agree
/// with the network and do not depend on the rank count.
@Suite(.serialized) struct BenchCommandTests {
  func bench(ranks: Int, system: String, out: String) throws -> [String: Any] {
    let result = try runProcess(mpiexec, ["-n", String(ranks), neurofabric, "bench", "--network", "brunel:N=200,indegree=20",
                                          "--system", system, "--duration", "30ms", "--out", out], directory: packageRoot.path)
    #expect(result.status == 0, "\(result.output)")
    let lines = result.output.split(separator: "\n").filter { $0.hasPrefix("{") }
    #expect(lines.count == 1, "one JSON line from rank 0 only: \(result.output)")
    let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "{}").utf8))
    return object as? [String: Any] ?? [:]
  }

  @Test func reportsTheSameWorkOnOneAndTwoRanks() throws {
    let dir = try TemporaryDirectory("bench")
    defer { dir.remove() }
    for system in ["ideal", "spinnaker2"] {
      let one = try bench(ranks: 1, system: system, out: dir.path("\(system)1"))
      let two = try bench(ranks: 2, system: system, out: dir.path("\(system)2"))
      // 200 × 20 recurrent synapses and one Poisson input per neuron.
      #expect(one["synapses"] as? Int == 4200, "\(system): \(one)")
      #expect(one["case"] as? String == "custom" && one["ranks"] as? Int == 1 && two["ranks"] as? Int == 2)
      #expect((one["spikes"] as? Int ?? 0) > 0, "the network must spike")
      for key in ["synapses", "spikes", "synaptic_events", "packet_hops"] {
        #expect(one[key] as? Int == two[key] as? Int, "\(system) \(key): 1 rank \(one[key] ?? "-"), 2 ranks \(two[key] ?? "-")")
      }
      #expect((one["real_time_factor"] as? Double ?? 0) > 0 && (one["bytes_per_synapse"] as? Double ?? 0) > 0)
    }
  }

  @Test func refusesAnUnknownCase() throws {
    let result = try runProcess(neurofabric, ["bench", "--case", "brunel-1m"])
    #expect(result.status != 0)
    #expect(result.output.contains("unknown case 'brunel-1m'") && result.output.contains("microcircuit-1.0"), "\(result.output)")
  }
}
