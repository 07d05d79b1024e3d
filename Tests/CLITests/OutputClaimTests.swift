import Engine
import Foundation
import TestSupport
import Testing
import Traces

/// One writer per output: a run, a mapping or a recovery claims its output (`OutputClaim`), so a
/// second writer is refused by name while the first runs, `--overwrite` never removes a running
/// run's files, and a lock left by a dead process is taken over.
@Suite struct OutputClaimTests {
  static let long = ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=2000", "--duration", "60s"]

  /// Starts a long run writing `out` and returns once it holds the claim.
  static func startLongRun(_ out: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neurofabric)
    process.arguments = long + ["--out", out]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: out + "/rank-00000.h5") && Date() < deadline { usleep(50_000) }
    return process
  }

  /// With HDF5's file locking on and off (many cluster file systems run without it).
  @Test(arguments: [false, true])
  func aSecondRunIsRefusedWhileTheFirstWrites(overwrite: Bool) throws {
    let dir = try TemporaryDirectory("claim")
    defer { dir.remove() }
    let out = dir.path("run")
    let first = try Self.startLongRun(out)
    defer { if first.isRunning { first.terminate() } }
    #expect(FileManager.default.fileExists(atPath: OutputClaim.lockPath(directory: out)))
    for locking in ["TRUE", "FALSE"] {
      let (status, output) = try runProcess(neurofabric, Self.long + ["--out", out] + (overwrite ? ["--overwrite"] : []),
                                            environment: ["HDF5_USE_FILE_LOCKING": locking], timeout: 60)
      #expect(status == 1, "\(output)")
      #expect(output.contains("'\(out)' is being written by process \(first.processIdentifier)"), "\(output)")
    }
    let recover = try runProcess(neurofabric, ["recover", out])
    #expect(recover.status == 1 && recover.output.contains("is being written by"), "recover refuses a running run: \(recover.output)")
    #expect(first.isRunning, "the first run goes on")
    #expect(FileManager.default.fileExists(atPath: out + "/rank-00000.h5"), "its file was not removed")
    first.terminate()
    first.waitUntilExit()
    #expect(first.terminationStatus == 143)
    #expect(try HDF5File.open(out + "/trace.h5").root().openGroup("provenance").attribute("complete", as: Int64.self) == [0])
    #expect(!FileManager.default.fileExists(atPath: OutputClaim.lockPath(directory: out)), "released at the end")
  }

  @Test func aLockOfADeadProcessIsTakenOver() throws {
    let dir = try TemporaryDirectory("claim-stale")
    defer { dir.remove() }
    let out = dir.path("run")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, 255)
    let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    try "run=1\nhost=\(hostName)\npid=\(dead.processIdentifier)\ncommand=killed\n"
      .write(toFile: OutputClaim.lockPath(directory: out), atomically: true, encoding: .utf8)
    let (status, output) = try runProcess(neurofabric, ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"),
                                                        "--network", "single", "--duration", "5ms", "--out", out])
    #expect(status == 0, "\(output)")
    #expect(!FileManager.default.fileExists(atPath: OutputClaim.lockPath(directory: out)))
    // A lock of another host is never taken over: its process may be alive there.
    try "run=2\nhost=elsewhere-\(hostName)\npid=1\ncommand=neurofabric run\n"
      .write(toFile: OutputClaim.lockPath(directory: out), atomically: true, encoding: .utf8)
    let refused = try runProcess(neurofabric, ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"),
                                               "--network", "single", "--duration", "5ms", "--out", out, "--overwrite"])
    #expect(refused.status == 1 && refused.output.contains("process 1 on elsewhere-\(hostName)"), "\(refused.output)")
    #expect(FileManager.default.fileExists(atPath: out + "/trace.h5"), "the finished run stays")
  }

  @Test func mapOutRefusesAnExistingFileUnlessOverwrite() throws {
    let dir = try TemporaryDirectory("claim-map")
    defer { dir.remove() }
    let out = dir.path("run")
    let done = try runProcess(neurofabric, ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"),
                                            "--network", "single", "--duration", "5ms", "--out", out])
    #expect(done.status == 0, "\(done.output)")
    let trace = out + "/trace.h5"
    let before = try Data(contentsOf: URL(fileURLWithPath: trace))
    let map = ["map", "--system", topology("spinnaker2-chip.toml"), "--network", "brunel:N=200", "--out", trace]
    let refused = try runProcess(neurofabric, map)
    #expect(refused.status == 1 && refused.output.contains("'\(trace)' exists: choose another --out or pass --overwrite"), "\(refused.output)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: trace)) == before, "the run's trace is untouched")
    let replaced = try runProcess(neurofabric, map + ["--overwrite"])
    #expect(replaced.status == 0, "\(replaced.output)")
    #expect(try HDF5File.open(trace).root().contains("mapping_state"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["rank-00000.h5", "trace.h5"], "no lock or partial file left")
  }
}
