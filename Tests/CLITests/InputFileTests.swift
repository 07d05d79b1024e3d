import Foundation
import TestSupport
import Testing

/// Only regular files are read as inputs: a FIFO (which would block the read forever), a device
/// or a directory given where a file is expected is a named error, at once.
@Suite struct InputFileTests {
  @Test func aFIFOOrADirectoryIsRefusedWhereverAFileIsRead() throws {
    let dir = try TemporaryDirectory("input-fifo")
    defer { dir.remove() }
    for name in ["net.toml", "graph.nir", "config.json", "m.h5", "events.h5", "system.toml"] { #expect(mkfifo(dir.path(name), 0o644) == 0) }
    let nir = fixturesDirectory.appendingPathComponent("nir").path
    let ideal = topology("ideal-crossbar.toml")
    let cases: [[String]] = [
      ["validate", dir.path("net.toml")], ["validate", dir.path("graph.nir")], ["validate", dir.path("config.json")],
      ["validate", "--system", dir.path("system.toml"), "single"], ["inspect", dir.path("m.h5")], ["inspect", "/dev/zero"],
      ["validate", dir.url.path], ["validate", "/dev/null"],
      ["run", "--system", ideal, "--network", "single", "--mapping", dir.path("m.h5"), "--duration", "1ms", "--out", dir.path("r1")],
      ["run", "--system", ideal, "--network", nir + "/feedforward.nir", "--nir-input", dir.path("events.h5"), "--duration", "1ms",
       "--out", dir.path("r2")],
      ["infer", "--system", ideal, "--network", nir + "/feedforward.nir", "--input", dir.path("events.h5")],
    ]
    for arguments in cases {
      let (status, output) = try runProcess(neurofabric, arguments, timeout: 30)
      #expect(status == 1, "\(arguments): \(output)")
      #expect(["not a regular file", "a FIFO (named pipe)", "a directory, not a file", "a device"].contains { output.contains($0) },
              "\(arguments): \(output)")
    }
  }

  @Test(arguments: ["abc", "-5G", "0", "nan", "4Q"])
  func aBadMemoryPerRankIsRefusedByName(value: String) throws {
    let dir = try TemporaryDirectory("input-env")
    defer { dir.remove() }
    let (status, output) = try runProcess(neurofabric, ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"), "--network", "single",
                                                        "--duration", "1ms", "--out", dir.path("run")],
                                          environment: ["NEUROFABRIC_MEMORY_PER_RANK": value])
    #expect(status == 1, "\(output)")
    #expect(output.contains("NEUROFABRIC_MEMORY_PER_RANK=\(value): give a positive number of bytes"), "\(output)")
  }

  /// The room a flush needs is what it writes (a chunk per dataset it extends), so a small run fits
  /// a small file-size limit (it used to reserve a MiB per dataset and refuse a 1.7 MB run under 10 MB).
  @Test func aSmallRunFitsASmallFileSizeLimit() throws {
    let dir = try TemporaryDirectory("input-ulimit")
    defer { dir.remove() }
    let (status, output) = try runProcess("/bin/sh", ["-c", "ulimit -f 10240; exec \"$0\" \"$@\"", neurofabric, "run", "--no-progress",
                                                      "--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=2000",
                                                      "--duration", "200ms", "--out", dir.path("run")])
    #expect(status == 0, "\(output)")
    let size = (try FileManager.default.attributesOfItem(atPath: dir.path("run/rank-00000.h5"))[.size] as? Int) ?? 0
    #expect(size > 1_000_000 && size < 10 << 20, "\(size) bytes")
  }
}
