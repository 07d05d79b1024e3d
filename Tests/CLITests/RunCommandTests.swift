import Engine
import Foundation
import TestSupport
import Testing
import Traces

/// `neurofabric run` as users start it: under mpiexec with 1–4 ranks, killed, and with outputs
/// that cannot be written.
@Suite(.serialized) struct RunCommandTests {
  let congested = packageRoot.appendingPathComponent("Topologies/ideal-congested.toml").path
  let crossbar = packageRoot.appendingPathComponent("Topologies/ideal-crossbar.toml").path
  let fixtures = fixturesDirectory.appendingPathComponent("networks").path

  /// Every dataset of a trace except provenance, as bytes: spikes, reports, fabric counters.
  func datasets(_ path: String) throws -> [String: [UInt8]] {
    let root = try HDF5File.open(path).root()
    var out: [String: [UInt8]] = [:]
    func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
    for name in try root.openGroup("spikes").memberNames {
      let g = try root.openGroup("spikes/\(name)")
      out["spikes/\(name)/timestamps"] = bytes(try g.openDataset("timestamps", as: Double.self).read())
      out["spikes/\(name)/node_ids"] = bytes(try g.openDataset("node_ids", as: UInt64.self).read())
    }
    for group in ["fabric/links", "fabric/routers"] {
      let g = try root.openGroup(group)
      for name in g.memberNames where name != "latency_histogram" {
        out["\(group)/\(name)"] = bytes(try g.openDataset(name, as: UInt64.self).read())
      }
    }
    out["latency_histogram"] = bytes(try root.openGroup("fabric/links").openMatrix("latency_histogram", as: UInt64.self).read())
    for name in ["packets", "drops"] {
      out["series/\(name)"] = bytes(try root.openGroup("fabric/series").openMatrix(name, as: UInt64.self).read())
    }
    return out
  }

  /// The acceptance test of determinism: the same model and seed on 1, 2, 3 and 4 ranks give
  /// byte-identical spikes and fabric counters, on a system with drops and a dead link.
  @Test func tracesAreIdenticalOnOneToFourRanks() throws {
    let dir = try TemporaryDirectory("ranks")
    defer { dir.remove() }
    var reference: [String: [UInt8]]?
    for ranks in 1...4 {
      let out = dir.path("r\(ranks)")
      let result = try run(ranks: ranks, ["--system", congested, "--network", "brunel:N=800,indegree=80", "--duration", "40ms",
                                          "--seed", "7", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      let traces = try datasets(out + "/trace.h5")
      #expect((traces["spikes/exc/timestamps"]?.count ?? 0) > 800, "the network must spike")
      #expect(traces["fabric/links/drops_buffer_full"].map { $0.contains { $0 != 0 } } == true, "some drops expected")
      if let reference {
        for (name, bytes) in reference { #expect(traces[name] == bytes, "\(name) differs on \(ranks) ranks") }
      } else {
        reference = traces
      }
    }
  }

  /// libsonata reads trace.h5 (spikes and the membrane report) and agrees with h5py.
  @Test(.enabled(if: pythonChecksRun, "libsonata and h5py run in the venv"))
  func libsonataReadsTheTrace() throws {
    let dir = try TemporaryDirectory("sonata")
    defer { dir.remove() }
    let out = dir.path("run")
    let result = try run(ranks: 2, ["--system", crossbar, "--network", "chain:n=12", "--duration", "80ms", "--out", out])
    #expect(result.status == 0, "\(result.output)")
    let check = try #require(try runPythonCheck("check_trace.py", [out + "/trace.h5"]))
    #expect(check.status == 0, "\(check.output)")
  }

  /// SIGKILL halfway: the rank file opens with h5py and holds a prefix of the spikes a full run writes.
  @Test(.enabled(if: pythonChecksRun, "h5py runs in the venv"))
  func killedRunLeavesReadableRankFiles() throws {
    let dir = try TemporaryDirectory("kill")
    defer { dir.remove() }
    let arguments = ["run", "--no-progress", "--system", crossbar, "--network", fixtures + "/pacemakers.toml",
                     "--duration", "60000ms", "--flush-interval", "0.2"]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neurofabric)
    process.arguments = arguments + ["--out", dir.path("killed")]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let rankFile = dir.path("killed/rank-00000.h5")
    let deadline = Date().addingTimeInterval(60)
    // Wait until spikes have been flushed at least twice, then kill.
    while Date() < deadline && (try? FileManager.default.attributesOfItem(atPath: rankFile)[.size] as? Int ?? 0) ?? 0 < 200_000 {
      Thread.sleep(forTimeInterval: 0.1)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the run must still be going when killed")
    #expect(!FileManager.default.fileExists(atPath: dir.path("killed/trace.h5")))
    let full = try runProcess(neurofabric, arguments + ["--duration", "3000ms", "--out", dir.path("full")])
    #expect(full.status == 0, "\(full.output)")
    let check = try #require(try runPythonCheck("check_killed_run.py", [rankFile, dir.path("full/rank-00000.h5")]))
    #expect(check.status == 0, "\(check.output)")
  }

  /// A file-size limit hit mid-run: every rank stops with a message and the exit status is non-zero,
  /// and every rank file stays readable up to its last flush.
  @Test func fullDiskStopsEveryRank() throws {
    let dir = try TemporaryDirectory("full")
    defer { dir.remove() }
    // 16 MiB: enough for MPI's shared-memory segments, less than the 20 MB each rank's report reaches.
    let command = "ulimit -f 16384; exec \(mpiexec) -n 2 \(neurofabric) run --no-progress --system \(crossbar) "
      + "--network \(fixtures)/membranes.toml --duration 1000ms --flush-interval 0.1 --out \(dir.path("out"))"
    let result = try runProcess("/bin/bash", ["-c", command])
    #expect(result.status != 0)
    #expect(result.output.contains("rank 0:") && result.output.contains("rank 1:"), "\(result.output)")
    #expect(result.output.contains("File too large") || result.output.contains("rank-0000"), "\(result.output)")
    // Both rank files open and hold their spikes up to their last flush; recover makes a trace of them.
    for rank in 0..<2 {
      let root = try HDF5File.open(dir.path("out/\(RunFiles.rankFileName(rank))")).root()
      let flushed = try root.attribute("flushed_ms", as: Double.self).first ?? 0
      let times = try root.openDataset("spikes/cells/timestamps", as: Double.self).read()
      #expect(flushed > 0 && !times.isEmpty && times.allSatisfy { $0 > 0 && $0 <= flushed + 1e-9 }, "rank \(rank): \(times.count) spikes, flushed \(flushed) ms")
      // and h5py, which users read traces with, opens them too
      if let check = try runPythonCheck("check_rank_file.py", [dir.path("out/\(RunFiles.rankFileName(rank))"), "cells"]) {
        #expect(check.status == 0, "\(check.output)")
      }
    }
    let recovered = try runProcess(neurofabric, ["recover", dir.path("out")])
    #expect(recovered.status == 0, "\(recovered.output)")
  }

  /// An output directory that cannot be created: a clear error naming it, exit status 1, on 2 ranks.
  @Test func unwritableOutputIsAnError() throws {
    let result = try run(ranks: 2, ["--system", crossbar, "--network", "single", "--duration", "10ms", "--out", "/proc/neurofabric/out"])
    #expect(result.status != 0)
    #expect(result.output.contains("/proc/neurofabric/out"), "\(result.output)")
  }

  /// Bad topology and duration arguments name what is wrong.
  @Test func badArgumentsAreNamed() throws {
    let dir = try TemporaryDirectory("badtopology")
    defer { dir.remove() }
    let topology = dir.path("bad.toml")
    try "[system]\nfamily = \"ideal\"\nchips = 0\n[links]\nlatency = -1\n".write(toFile: topology, atomically: true, encoding: .utf8)
    let bad = try runProcess(neurofabric, ["run", "--system", topology, "--network", "single", "--duration", "10ms", "--out", dir.path("o")])
    #expect(bad.status != 0)
    #expect(bad.output.contains("bad.toml:3: system.chips: must be in 1...65536"), "\(bad.output)")
    #expect(bad.output.contains("bad.toml:5: links.latency: must be in [1e-6, 1e6] ms"), "\(bad.output)")
    for value in ["soon", "inf", "-1", "0ms", "nan", "1e12", "1e18s"] {
      let duration = try runProcess(neurofabric, ["run", "--system", crossbar, "--network", "single", "--duration", value, "--out", dir.path("o")])
      #expect(duration.status != 0 && duration.output.contains("The value '\(value)' is invalid for '--duration"), "\(value): \(duration.output)")
      #expect(!FileManager.default.fileExists(atPath: dir.path("o")), "\(value): nothing is created")
    }
  }

  /// A delay shorter than the step: refused on ideal as NEST refuses it, before anything is
  /// created; SpiNNaker rounds it up to a tick as its PEs do, and the mapping report says so.
  @Test func delaysBelowTheStepAreNamed() throws {
    let dir = try TemporaryDirectory("short-delay")
    defer { dir.remove() }
    let network = try write("[[population]]\nlabel = \"a\"\nsize = 10\ncell = \"IF_curr_exp\"\n\n[[projection]]\nlabel = \"fast\"\npre = \"a\"\n"
                            + "post = \"a\"\nreceptor = \"excitatory\"\nconnector = \"all_to_all\"\nweight = 0.1\n"
                            + "delay = { distribution = \"uniform\", low = 0.04, high = 1.0 }\n", dir, "short.toml")
    let ideal = try run(ranks: 1, ["--system", crossbar, "--network", network, "--duration", "10ms", "--out", dir.path("ideal")])
    #expect(ideal.status != 0 && ideal.output.contains("projection 'fast': delays down to 0.04 ms are shorter than the step"), "\(ideal.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("ideal")))
    let spinnaker = try runProcess(neurofabric, ["validate", network, "--system", topology("spinnaker2-chip.toml")])
    #expect(spinnaker.status == 0 && spinnaker.output.contains("short delays 1 projection ('fast') have delays below one tick (down to 0.04 ms)"),
            "\(spinnaker.output)")
  }

  /// A network the ideal chips cannot hold (a delay beyond the 2047 steps a synapse stores) is
  /// refused on every rank, naming the projection and the limit.
  @Test func impossibleMappingIsNamed() throws {
    let dir = try TemporaryDirectory("impossible")
    defer { dir.remove() }
    let result = try run(ranks: 2, ["--system", crossbar, "--network", "brunel:N=100,indegree=10,delay=300", "--duration", "10ms",
                                    "--out", dir.path("o")])
    #expect(result.status != 0)
    #expect(result.output.contains("projection 'exc->exc': delay 300.0 ms exceeds the 204.7"), "\(result.output)")
    // The family's checks refuse it before mapping: no mapping report, no run directory.
    #expect(!result.output.contains("mapping: brunel"), "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("o")), "\(result.output)")
  }

  /// inspect prints populations, busiest links, drops and timers.
  @Test func inspectSummarisesATrace() throws {
    let dir = try TemporaryDirectory("inspect")
    defer { dir.remove() }
    let out = dir.path("run")
    #expect(try run(ranks: 1, ["--system", congested, "--network", "brunel:N=400,indegree=40", "--duration", "20ms", "--out", out]).status == 0)
    let result = try runProcess(neurofabric, ["inspect", out + "/trace.h5"])
    #expect(result.status == 0, "\(result.output)")
    for expected in ["exc", "busiest links", "dead_link", "buffer_full", "run"] {
      #expect(result.output.contains(expected), "\(expected) missing in:\n\(result.output)")
    }
    let missing = try runProcess(neurofabric, ["inspect", dir.path("nothing.h5")])
    #expect(missing.status != 0)
    #expect(missing.output.contains("nothing.h5"))
  }
}
