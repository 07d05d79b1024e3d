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
