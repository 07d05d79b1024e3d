import Foundation
import TestSupport
import Testing

/// A run never destroys the last one: an output directory that holds a run is refused before
/// anything loads, `--overwrite` removes the whole earlier run (stale rank files of a run on more
/// ranks too), and every file carries the run's identity, so `inspect` names a rank file of
/// another run.
@Suite struct RunDirectoryTests {
  @Test(arguments: [("ideal-crossbar.toml", "brunel:N=400", UInt64(2)), ("spinnaker2-chip.toml", "synfire:groups=3", UInt64(5))])
  func aRunIsNeverOverwrittenSilently(system: String, network: String, seed: UInt64) throws {
    let dir = try TemporaryDirectory("run-directory")
    defer { dir.remove() }
    let out = dir.path("run")
    let arguments = ["--system", topology(system), "--network", network, "--duration", "20ms", "--seed", String(seed), "--out", out]
    var result = try run(ranks: 2, arguments)
    #expect(result.status == 0, "\(result.output)")
    let trace = try Data(contentsOf: URL(fileURLWithPath: out + "/trace.h5"))
    let rank1 = try Data(contentsOf: URL(fileURLWithPath: out + "/rank-00001.h5"))

    result = try run(ranks: 1, arguments)
    #expect(result.status != 0)
    #expect(result.output.contains("holds a run (trace.h5 and 2 rank files, made by: ") && result.output.contains("--overwrite"),
            "\(result.output)")
    #expect(!result.output.contains("mapping:"), "refused before mapping: \(result.output)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/trace.h5")) == trace)
    #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/rank-00001.h5")) == rank1)

    result = try run(ranks: 1, arguments + ["--overwrite"])
    #expect(result.status == 0, "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: out + "/rank-00001.h5"), "the rank file of the 2-rank run is left behind")
    let (status, output) = try runProcess(neurofabric, ["inspect", out + "/trace.h5"])
    #expect(status == 0 && !output.contains("WARNING"), "\(output)")
  }

  /// A re-run with --overwrite killed halfway leaves no trace.h5 over the earlier run's or its own
  /// rank files: the earlier trace.h5 went first, and recover makes one of the new run's files.
  @Test func aKilledOverwriteLeavesNoMixedRun() throws {
    let dir = try TemporaryDirectory("overwrite-killed")
    defer { dir.remove() }
    let out = dir.path("run")
    let first = try run(ranks: 2, ["--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=300", "--duration", "10ms", "--out", out])
    #expect(first.status == 0, "\(first.output)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neurofabric)
    process.arguments = ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=1000", "--seed", "6",
                         "--duration", "60s", "--flush-interval", "0.2", "--out", out, "--overwrite"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let rankFile = out + "/rank-00000.h5"
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline && (FileManager.default.fileExists(atPath: out + "/rank-00001.h5")
      || (try? FileManager.default.attributesOfItem(atPath: rankFile)[.size] as? Int ?? 0) ?? 0 < 300_000) {
      Thread.sleep(forTimeInterval: 0.1)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the re-run must still be going when killed")
    #expect(!FileManager.default.fileExists(atPath: out + "/trace.h5"), "a trace.h5 over mixed rank files")
    #expect(!FileManager.default.fileExists(atPath: out + "/rank-00001.h5"), "the earlier run's rank 1 is left behind")
    let recovered = try runProcess(neurofabric, ["recover", out])
    #expect(recovered.status == 0 && recovered.output.contains("1 rank file"), "\(recovered.output)")
  }

  @Test func aRankFileOfAnotherRunIsNamed() throws {
    let dir = try TemporaryDirectory("run-identity")
    defer { dir.remove() }
    for (name, seed) in [("a", "3"), ("b", "8")] {
      let result = try run(ranks: 2, ["--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=300", "--duration", "10ms",
                                      "--seed", seed, "--out", dir.path(name)])
      #expect(result.status == 0, "\(result.output)")
    }
    let stale = dir.path("a/rank-00001.h5")
    try FileManager.default.removeItem(atPath: stale)
    try FileManager.default.copyItem(atPath: dir.path("b/rank-00001.h5"), toPath: stale)
    let (status, output) = try runProcess(neurofabric, ["inspect", dir.path("a/trace.h5")])
    #expect(status == 1 && output.contains("WARNING: \(stale) belongs to another run"), "\(output)")
  }
}
