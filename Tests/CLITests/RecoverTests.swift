import Foundation
import TestSupport
import Testing
import Traces

/// `neurofabric recover`: trace.h5 for a run that never wrote it, from its rank files alone, holding
/// what they flushed; refused for a directory whose rank files are not one whole run.
@Suite struct RecoverTests {
  static let membranes = fixturesDirectory.appendingPathComponent("networks/membranes.toml").path

  /// A finished run with its trace.h5 removed: the recovered trace holds the same spikes (as a
  /// multiset: concatenated by rank) and the same membrane samples, on 1 and 2 ranks and 3 families.
  @Test(arguments: [("ideal-crossbar.toml", membranes, 2), ("spinnaker2-chip.toml", "synfire:groups=3", 1),
                    ("bss2-4chips.toml", "brunel:N=600,indegree=30,J=2", 2)])
  func recoveredTraceHoldsTheRecords(system: String, network: String, ranks: Int) throws {
    let dir = try TemporaryDirectory("recover")
    defer { dir.remove() }
    let out = dir.path("run")
    let result = try run(ranks: ranks, ["--system", topology(system), "--network", network, "--duration", "30ms", "--seed", "4", "--out", out])
    #expect(result.status == 0, "\(result.output)")
    let trace = out + "/trace.h5"
    func records() throws -> (spikes: [String: [String]], samples: [String: [Float]]) {
      let root = try HDF5File.open(trace).root()
      var spikes: [String: [String]] = [:], samples: [String: [Float]] = [:]
      for name in try root.openGroup("spikes").memberNames {
        let (times, nodes) = try TestSupport.spikes(trace, name)
        spikes[name] = zip(nodes, times).map { "\($0) \($1)" }.sorted()
      }
      if root.contains("report") {
        for name in try root.openGroup("report").memberNames { samples[name] = try root.openMatrix("report/\(name)/data", as: Float.self).read() }
      }
      return (spikes, samples)
    }
    let finished = try records()
    #expect(finished.spikes.values.contains { !$0.isEmpty })
    #expect(network != Self.membranes || finished.samples.values.contains { !$0.isEmpty }, "membranes.toml samples membranes")
    try FileManager.default.removeItem(atPath: trace)
    let recovered = try runProcess(neurofabric, ["recover", out])
    #expect(recovered.status == 0 && recovered.output.contains("recovered \(trace)"), "\(recovered.output)")
    let again = try records()
    #expect(again.spikes == finished.spikes)
    #expect(again.samples == finished.samples)
    let provenance = try HDF5File.open(trace).root().openGroup("provenance")
    #expect(try provenance.attribute("recovered", as: Int64.self) == [1] && provenance.attribute("complete", as: Int64.self) == [0])
    let inspect = try runProcess(neurofabric, ["inspect", trace])
    #expect(inspect.status == 0 && inspect.output.contains("RECOVERED"), "\(inspect.output)")
    let twice = try runProcess(neurofabric, ["recover", out])
    #expect(twice.status != 0 && twice.output.contains("trace.h5 exists"), "\(twice.output)")
  }

  /// SIGKILL in the middle of a long run: recover writes a trace that holds the flushed spikes.
  @Test func killedRunIsRecovered() throws {
    let dir = try TemporaryDirectory("recover-killed")
    defer { dir.remove() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neurofabric)
    process.arguments = ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=1000",
                         "--duration", "60s", "--flush-interval", "0.2", "--out", dir.path("killed")]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let rankFile = dir.path("killed/rank-00000.h5")
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline && (try? FileManager.default.attributesOfItem(atPath: rankFile)[.size] as? Int ?? 0) ?? 0 < 400_000 {
      Thread.sleep(forTimeInterval: 0.1)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the run must still be going when killed")
    let recovered = try runProcess(neurofabric, ["recover", dir.path("killed")])
    #expect(recovered.status == 0, "\(recovered.output)")
    let (times, nodes) = try spikes(dir.path("killed/trace.h5"), "exc")
    #expect(!times.isEmpty && times.allSatisfy { !$0.isNaN && $0 > 0 } && nodes.allSatisfy { $0 < 800 })
    let reached = try HDF5File.open(dir.path("killed/trace.h5")).root().openGroup("provenance").attribute("bio_time_ms", as: Double.self)
    #expect(reached.count == 1 && reached[0] > 0 && reached[0] < 60_000 && times.max()! <= reached[0] + 0.1 + 1e-9, "\(reached)")
  }

  /// Rank files that are not one whole run are named and refused: one of another run, one missing.
  @Test func partialOrMixedRunsAreRefused() throws {
    let dir = try TemporaryDirectory("recover-mixed")
    defer { dir.remove() }
    for (name, seed) in [("a", "2"), ("b", "9")] {
      let result = try run(ranks: 2, ["--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=300", "--duration", "10ms",
                                      "--seed", seed, "--out", dir.path(name)])
      #expect(result.status == 0, "\(result.output)")
      try FileManager.default.removeItem(atPath: dir.path("\(name)/trace.h5"))
    }
    try FileManager.default.removeItem(atPath: dir.path("a/rank-00001.h5"))
    var result = try runProcess(neurofabric, ["recover", dir.path("a")])
    #expect(result.status != 0 && result.output.contains("the rank files of rank 1 are missing"), "\(result.output)")
    try FileManager.default.copyItem(atPath: dir.path("b/rank-00001.h5"), toPath: dir.path("a/rank-00001.h5"))
    result = try runProcess(neurofabric, ["recover", dir.path("a")])
    #expect(result.status != 0 && result.output.contains("rank-00001.h5 belongs to another run"), "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("a/trace.h5")))
  }
}
