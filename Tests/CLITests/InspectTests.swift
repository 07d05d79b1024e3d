import Foundation
import TestSupport
import Testing

/// `inspect` on a damaged run directory: a missing, truncated or misplaced rank file is named,
/// its rows show as missing, the summary is still printed and the exit status says so. No crash.
@Suite struct InspectTests {
  /// Each family's own summary (`Family.inspect`): links for ideal, links and PEs for SpiNNaker,
  /// counters for BrainScaleS.
  @Test(arguments: [("ideal-crossbar.toml", "brunel:N=400", "busiest links"), ("bss2-4chips.toml", "brunel:N=600,indegree=30,J=2", "fabric counters"),
                    ("spinnaker2-board.toml", "brunel:N=400", "processing elements")])
  func damagedRankFilesAreNamed(system: String, network: String, section: String) throws {
    let dir = try TemporaryDirectory("inspect-damaged")
    defer { dir.remove() }
    let out = dir.path("run"), rank1 = dir.path("run/rank-00001.h5"), kept = dir.path("rank1.h5")
    let result = try run(ranks: 2, ["--system", topology(system), "--network", network, "--duration", "20ms", "--out", out])
    #expect(result.status == 0, "\(result.output)")
    var (status, output) = try runProcess(neurofabric, ["inspect", out + "/trace.h5"])
    #expect(status == 0 && !output.contains("WARNING"), "\(output)")
    try FileManager.default.moveItem(atPath: rank1, toPath: kept)
    let damages: [(String, () throws -> Void)] = [
      ("is missing", {}),
      ("does not open", {
        try FileManager.default.copyItem(atPath: kept, toPath: rank1)
        try FileHandle(forWritingAtPath: rank1)!.truncate(atOffset: 4000)
      }),
      ("says it is rank 0", {
        try FileManager.default.removeItem(atPath: rank1)
        try FileManager.default.copyItem(atPath: dir.path("run/rank-00000.h5"), toPath: rank1)
      }),
    ]
    for (says, damage) in damages {
      try damage()
      (status, output) = try runProcess(neurofabric, ["inspect", out + "/trace.h5"])
      #expect(status == 1 && output.contains("WARNING: \(rank1) \(says)") && output.contains(section) && output.contains("timers"),
              "\(says): \(output)")
      #expect(!output.contains("Caught signal"), "\(output)")
    }
  }
}
