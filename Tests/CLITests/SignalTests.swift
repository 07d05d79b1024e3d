import Engine
import Foundation
import TestSupport
import Testing
import Traces

/// SIGTERM and SIGINT (what `timeout`, Slurm and Ctrl-C send) stop a run at the next window: the
/// traces are written up to there and marked incomplete, and the exit status is 128 + signal.
@Suite struct SignalTests {
  /// `ranks` 0: the binary alone (MPI singleton). Under `mpiexec -n 1`, MPICH's launcher reports 0
  /// after forwarding a signal whatever the rank returns, so one rank is tested alone.
  /// `sender` "group": one signal to the whole process group, as Ctrl-C in a terminal or Slurm's
  /// `scancel` delivers it. "timeout": GNU `timeout`, which signals its child and then the group, so
  /// `mpiexec` receives it twice; with SIGINT, MPICH's launcher takes the second as "force abort", so
  /// only its default SIGTERM is tested that way.
  @Test(arguments: [("TERM", 2, "group", Int32(143)), ("INT", 2, "group", Int32(130)), ("TERM", 2, "timeout", Int32(143)),
                    ("TERM", 0, "group", Int32(143)), ("INT", 0, "group", Int32(130))])
  func aSignalStopsTheRunAndKeepsItsTraces(signal: String, ranks: Int, sender: String, status expected: Int32) throws {
    let dir = try TemporaryDirectory("signal")
    defer { dir.remove() }
    let out = dir.path("run")
    let (status, output) = try Self.signalled(signal, after: 4, sender: sender, ranks: ranks,
                                              ["run", "--no-progress", "--system", topology("ideal-crossbar.toml"),
                                               "--network", "brunel:N=2000", "--duration", "60s", "--out", out])
    #expect(status == expected, "\(output)")
    #expect(output.contains("stopped by SIG\(signal) at"), "\(output)")
    let root = try HDF5File.open(out + "/trace.h5").root()
    let provenance = try root.openGroup("provenance")
    #expect(try provenance.attribute("complete", as: Int64.self) == [0])
    #expect(try provenance.stringAttribute("stopped_by") == ["SIG\(signal)"])
    let reached = try #require(try provenance.attribute("bio_time_ms", as: Double.self).first)
    #expect(reached < 60_000)
    let times = try root.openGroup("spikes/exc").openDataset("timestamps", as: Double.self).read()
    #expect(times.allSatisfy { $0.isFinite && $0 <= reached + 1e-9 }, "every spike is from before the stop, none missing (NaN)")
  }

  /// Runs `neurofabric arguments` (under `mpiexec -n ranks` unless 0) and sends `signal` after
  /// `seconds`, as `sender` does (see above).
  static func signalled(_ signal: String, after seconds: Double, sender: String = "group", ranks: Int,
                        _ arguments: [String]) throws -> (status: Int32, output: String) {
    // The test runner starts processes with SIGINT and SIGTERM blocked, which `mpiexec` would
    // inherit: perl unblocks them first, as a shell or Slurm would start the job.
    let unblock = "use POSIX; use Time::HiRes qw(sleep); sigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGINT, SIGTERM));"
    let script = sender == "timeout"
      ? unblock + " exec '/usr/bin/timeout', '--preserve-status', '-s', '\(signal)', '\(seconds)', @ARGV or die"
      : unblock + """
         my $pid = fork // die; if ($pid == 0) { setpgid(0, 0); exec @ARGV or die }
         setpgid($pid, $pid); sleep \(seconds); kill '\(signal)', -$pid; waitpid($pid, 0);
         exit(($? & 127) ? 128 + ($? & 127) : $? >> 8)
        """
    let launcher = ranks > 0 ? [mpiexec, "-n", "\(ranks)"] : []
    return try runProcess("/usr/bin/perl", ["-e", script] + launcher + [neurofabric] + arguments, timeout: 120)
  }

  /// `map` stops too, also inside METIS (which traps SIGTERM itself): 128 + signal, no file, no lock.
  @Test(arguments: [("TERM", 2, Int32(143)), ("INT", 0, Int32(130))])
  func aSignalStopsMap(signal: String, ranks: Int, status expected: Int32) throws {
    let dir = try TemporaryDirectory("signal-map")
    defer { dir.remove() }
    let (status, output) = try Self.signalled(signal, after: 2.5, ranks: ranks, [
      "map", "--system", topology("spinnaker2-24boards.toml"), "--network", "microcircuit:N_scaling=0.5", "--placer", "graph",
      "--ranks", "4", "--out", dir.path("m.h5")])
    #expect(status == expected, "\(output)")
    #expect(output.contains("map: stopped by SIG\(signal); '\(dir.path("m.h5"))' not written"), "\(output)")
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? ["?"]).isEmpty, "no file, no lock, no partial file")
  }

  /// `validate` writes nothing: it ends at once, saying so, with 128 + signal.
  @Test(arguments: [("TERM", Int32(143)), ("INT", Int32(130))])
  func aSignalEndsValidate(signal: String, status expected: Int32) throws {
    let (status, output) = try Self.signalled(signal, after: 2, ranks: 0, [
      "validate", "--system", topology("spinnaker2-24boards.toml"), "microcircuit:N_scaling=1"])
    #expect(status == expected, "\(output)")
    #expect(output.contains("neurofabric: validate: stopped by SIG\(signal)"), "\(output)")
  }

  @Test func aCompleteRunSaysSo() throws {
    let dir = try TemporaryDirectory("complete")
    defer { dir.remove() }
    let (status, output) = try run(ranks: 1, ["--system", topology("ideal-crossbar.toml"), "--network", "single",
                                              "--duration", "20ms", "--out", dir.path("run")])
    #expect(status == 0, "\(output)")
    let provenance = try HDF5File.open(dir.path("run/trace.h5")).root().openGroup("provenance")
    #expect(try provenance.attribute("complete", as: Int64.self) == [1])
    #expect(try provenance.attribute("bio_time_ms", as: Double.self) == [20])
    #expect(throws: (any Error).self) { try provenance.stringAttribute("stopped_by") }
  }
}
