import Foundation
import TestSupport
import Testing
import Traces

/// Inputs `Scripts/fuzz` found crashing, hanging or silently accepted, each now a named error with
/// its file, line and key (or the limit), and exit status 1, before anything is allocated.
@Suite struct FuzzFindingsTests {
  static func mutated(_ file: URL, _ old: String, _ new: String, in dir: TemporaryDirectory) throws -> String {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old), "the fixture changed: \(old)")
    return try write(text.replacingOccurrences(of: old, with: new), dir, "mutated-\(abs(new.hashValue)).toml")
  }

  @Test(arguments: [
    ("pacemakers.toml", "low = -65.0", "low = -inf", ":10: population[0].initial_v"),
    ("pacemakers.toml", "i_offset = 1.0", "i_offset = -1e309", ":11: population[0].parameters.i_offset"),
    ("pacemakers.toml", "i_offset = 1.0", "i_offset = nan", ":11: population[0].parameters.i_offset"),
    ("pacemakers.toml", "size = 2000", "size = 4294967295", ":8: population[0].size"),
    ("membranes.toml", "interval = 0.1", "interval = 9223372036854775807", ":16: record[0].interval"),
    ("two_populations.toml", "connector = { type = \"fixed_indegree\", k = 40 }", "connector = { type = \"fixed_indegree\", k = 0x7fffffffffffffff }", ":43: projection[1].connector.k"),
    ("two_populations.toml", "connector = { type = \"fixed_indegree\", k = 40 }", "connector = { type = \"fixed_indegree\", k = 2147483648 }", ":43: projection[1].connector.k"),
  ])
  func networkValuesAreRefused(fixture: String, old: String, new: String, says: String) throws {
    let dir = try TemporaryDirectory("fuzz-network")
    defer { dir.remove() }
    let path = try Self.mutated(fixturesDirectory.appendingPathComponent("networks/" + fixture), old, new, in: dir)
    for command in [["validate", path], ["map", "--system", topology("spinnaker2-chip.toml"), "--network", path]] {
      let result = try runProcess(neurofabric, command, timeout: 60)
      #expect(result.status == 1 && result.output.contains(path + says), "\(command[0]): \(result.output)")
    }
  }

  @Test(arguments: [
    ("ideal-crossbar.toml", "interval = 10.0", "interval = inf", ":13: counters.interval"),
    ("ideal-crossbar.toml", "latency = 0.1", "latency = 1e300", ":10: links.latency"),
    ("ideal-crossbar.toml", "dt = 0.1", "dt = 1e-320", ":7: system.dt"),
    ("ideal-crossbar.toml", "latency = 0.1", "latency = 1e-320", ":10: links.latency"),
    ("ideal-congested.toml", "bandwidth = 2.0", "bandwidth = 5e-324", ":11: links.bandwidth"),
  ])
  func topologyValuesAreRefused(file: String, old: String, new: String, says: String) throws {
    let dir = try TemporaryDirectory("fuzz-topology")
    defer { dir.remove() }
    let path = try Self.mutated(packageRoot.appendingPathComponent("Topologies/" + file), old, new, in: dir)
    let result = try runProcess(neurofabric, ["run", "--system", path, "--network", "single", "--duration", "5ms", "--out", dir.path("out")],
                                timeout: 60)
    #expect(result.status == 1 && result.output.contains(path + says), "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("out")))
  }

  /// A connection probability so small that 1 − p rounds to 1 (1e-320) made the geometric skip
  /// infinite: no synapse instead, on every family that generates them.
  @Test(arguments: ["ideal-crossbar.toml", "bss2-chip.toml", "spinnaker2-chip.toml"])
  func aVanishingProbabilityGivesNoSynapse(system: String) throws {
    let dir = try TemporaryDirectory("fuzz-probability")
    defer { dir.remove() }
    let path = try Self.mutated(fixturesDirectory.appendingPathComponent("networks/two_populations.toml"),
                                "connector = { type = \"fixed_probability\", p = 0.1 }", "connector = { type = \"fixed_probability\", p = 1e-320 }", in: dir)
    let result = try runProcess(neurofabric, ["run", "--no-progress", "--system", topology(system), "--network", path, "--duration", "5ms",
                                              "--out", dir.path("out")], timeout: 120)
    #expect(result.status == 0 || (result.status == 1 && result.output.contains("neurofabric")), "\(result.output)")
    #expect(!result.output.contains("Caught signal") && !result.output.contains("Fatal error"), "\(result.output)")
  }

  /// 10^9 neurons (the most a population may have) on systems far too small: refused from the
  /// counts, before any table over the neurons is built (a mapping that built them ran for minutes;
  /// the time limit of the process catches a regression).
  @Test(arguments: [("spinnaker2-chip.toml", "slices need"), ("bss2-chip.toml", "does not fit: 1 chip(s) of 512 circuits are full"),
                    ("bss1-wafer.toml", "working HICANNs are full"), ("ideal-crossbar.toml", "an ideal chip addresses at most")])
  func aNetworkTooLargeIsRefusedFromItsCounts(system: String, says: String) throws {
    let dir = try TemporaryDirectory("fuzz-large")
    defer { dir.remove() }
    let path = try write("[network]\nname = \"large\"\n[[population]]\nlabel = \"a\"\nsize = 1000000000\ncell = \"IF_curr_exp\"\n", dir, "large.toml")
    let result = try runProcess(neurofabric, ["map", "--system", topology(system), "--network", path], timeout: 60)
    #expect(result.status == 1 && result.output.contains(says), "\(result.output)")
  }

  /// The largest ideal crossbar (65,536 chips: 4.3 × 10^9 links, which every rank holds) would need
  /// terabytes: refused on both ranks with what it would take, before any state or file is made.
  @Test func aRunThatCannotFitInMemoryIsRefusedBeforeAllocating() throws {
    let dir = try TemporaryDirectory("fuzz-memory")
    defer { dir.remove() }
    let path = try Self.mutated(packageRoot.appendingPathComponent("Topologies/ideal-congested.toml"), "chips = 8", "chips = 65536", in: dir)
    let result = try run(ranks: 2, ["--system", path, "--network", "brunel:N=400", "--duration", "1ms", "--out", dir.path("out")], timeout: 300)
    #expect(result.status != 0)
    #expect(result.output.contains("the run needs about") && result.output.contains("crossbar of 4,294,901,760 links"), "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("out/rank-00000.h5")))
  }

  /// SpiNNaker2 with triads = [64, 64] (589,824 chips, whose routers every rank runs) for 400
  /// neurons: under a budget of 1 GiB per rank it is refused before the routers are built, naming them.
  @Test func aMachineTooLargeForTheBudgetIsRefused() throws {
    let dir = try TemporaryDirectory("fuzz-triads")
    defer { dir.remove() }
    let path = try Self.mutated(packageRoot.appendingPathComponent("Topologies/spinnaker2-3boards.toml"), "triads = [1, 1]", "triads = [64, 64]", in: dir)
    let result = try runProcess(neurofabric, ["run", "--system", path, "--network", "brunel:N=400", "--duration", "1ms", "--out", dir.path("out")],
                                environment: ["NEUROFABRIC_MEMORY_PER_RANK": "1G"], timeout: 300)
    #expect(result.status == 1 && result.output.contains("routers and links of 589,824 chips") && result.output.contains("a rank has 1 GiB"),
            "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("out/rank-00000.h5")))
  }

  /// The BrainScaleS families estimate their state too (circuits, placed neurons, configured
  /// synapses, the mapping every rank holds) and are refused under a budget they exceed.
  @Test(arguments: [("bss2-16chips.toml", "brunel:N=300,indegree=30,J=2", "100K", "analog circuits of 16 chips"),
                    ("bss1-wafer.toml", "synfire:groups=10", "1M", "denmems of 384 HICANNs")])
  func brainScaleSRunsBeyondTheBudgetAreRefused(system: String, network: String, budget: String, part: String) throws {
    let dir = try TemporaryDirectory("budget-bss")
    defer { dir.remove() }
    let result = try runProcess(neurofabric, ["run", "--system", topology(system), "--network", network, "--duration", "1ms", "--out", dir.path("out")],
                                environment: ["NEUROFABRIC_MEMORY_PER_RANK": budget])
    #expect(result.status == 1 && result.output.contains(part) && result.output.contains("a rank has \(budget.dropLast()) \(budget.last!)iB"),
            "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("out/rank-00000.h5")))
  }

  /// Recording a spike source on BrainScaleS-1 trapped when the trace was laid out (the FPGAs play
  /// sources in; no denmem fires them): now refused before the run.
  @Test func recordingASpikeSourceOnBrainScaleS1IsRefused() throws {
    let dir = try TemporaryDirectory("bss1-source")
    defer { dir.remove() }
    let network = try write("""
      [network]
      name = "src"
      [[population]]
      label = "in"
      size = 2
      cell = "SpikeSourceArray"
      spike_times = [1.0, 2.0]
      [[population]]
      label = "n"
      size = 2
      cell = "IF_curr_exp"
      [[projection]]
      pre = "in"
      post = "n"
      receptor = "excitatory"
      connector = "one_to_one"
      weight = 1.0
      delay = 1.0
      [[record]]
      population = "in"
      variables = ["spikes"]
      """, dir, "src.toml")
    let result = try run(ranks: 1, ["--system", topology("bss1-wafer.toml"), "--network", network, "--duration", "10ms", "--out", dir.path("run")])
    #expect(result.status == 1 && result.output.contains("population 'in': a spike source is played in by the FPGAs"), "\(result.output)")
  }

  /// Scripts/fuzz-surfaces: saved mappings edited with h5py that trapped (`Illegal instruction`) or
  /// ran: a SpiNNaker slice's planned load NaN, infinite, negative or huge (reported as UInt64), a
  /// metric no mapping gives (written as counts), a slice listed twice on its chip; a BrainScaleS-2
  /// chip's FPGA table sizes beyond the FPGA's (written as Int32), a spike source's circuits per neuron
  /// negative (seed 132), a synapse moved to the routing entry of another source (seed 141), a route
  /// with a fifth word (seed 151, ignored by the decoder), a neuron's column Int.max (seed 161: the
  /// message's range overflowed). Each is now named by the check or the decoder.
  @Test(.enabled(if: pythonChecksRun, "edits the mapping with h5py in the venv"), arguments: [
    ("spinnaker2-chip.toml", "s['mapping']['loads'][1]['cycles'] = float('nan')", "is planned at nan cycles per tick"),
    ("spinnaker2-chip.toml", "s['mapping']['loads'][1]['cycles'] = -1.0", "is planned at -1.0 cycles per tick"),
    ("spinnaker2-chip.toml", "s['mapping']['loads'][1]['cycles'] = 1e300", "is planned at 1e+300 cycles per tick"),
    ("spinnaker2-chip.toml", "s['mapping']['loads'][1]['synapticEvents'] = float('nan')", "is planned at nan synaptic events per tick"),
    ("spinnaker2-chip.toml", "s['mapping']['loads'][1]['packets'] = float('inf')", "is planned at inf packets per tick"),
    ("spinnaker2-chip.toml", "s['mapping']['metrics']['synapses'] = 1e300", "the metrics' synapses is 1e+300"),
    ("spinnaker2-chip.toml", "s['mapping']['metrics']['slices'] = -(2 ** 63)", "the metrics count -9223372036854775808 slices"),
    ("spinnaker2-chip.toml", "s['mapping']['metrics']['entriesAfter'][0] = 2 ** 63 - 1", "a table size after compression is not a count"),
    ("spinnaker2-chip.toml", "s['mapping']['metrics']['entriesBefore'][0] = 2 ** 31", "a table size before compression is not a count"),
    ("spinnaker2-chip.toml", "s['mapping']['graph']['offsets'][1] = 2 ** 40", "end before they start"),
    ("spinnaker2-chip.toml", "s['mapping']['placement']['slicesOfChip'][0].append(s['mapping']['placement']['slicesOfChip'][0][0])", "is listed twice on chip"),
    ("bss2-chip.toml", "s['chips'][0]['fpgaOutputEntries'] = 2 ** 40", "chip 0 uses 1099511627776 FPGA output"),
    ("bss2-chip.toml", "del s['chips'][0]['busDrivers'][4]", "chip 0's synapse drivers per bus has 7 element(s), the run needs 8"),
    ("spinnaker2-chip.toml", "del s['mapping']['traffic']['rates'][2]", "the population rates has 4 element(s), the run needs 5"),
    ("spinnaker2-chip.toml", "del s['mapping']['sliceLimits'][3]", "the slice limits has 4 element(s), the run needs 5"),
    ("spinnaker2-chip.toml", "s['mapping']['graph']['neuronOffset'][-1] = -1", "the neurons of population 5 start at -1, the network's at 350"),
    ("bss2-chip.toml", "s['quantisation'][1]['synapses'] = 2 ** 63 - 1", "quantisation record 1 keeps 9223372036854775807 synapses"),
    ("bss2-chip.toml", "s['circuitsPerNeuron'][0] = -1", "population 'stimulus' takes -1 circuits per neuron, a spike source none"),
    ("bss2-chip.toml", "t = s['chips'][0]['targetStart']; t[len(t) // 2] -= 1", "its synapses are not the network's (mapping seed 1)"),
    ("spinnaker2-chip.toml", "r = s['mapping']['tables'][0]['entries'][0]['route']; r.append(r[3])", "a route is 4 words"),
    ("bss2-chip.toml", "s['neurons'][3]['column'] = 2 ** 63 - 1", "takes 1 column(s) from column 9223372036854775807"),
  ])
  func anEditedMappingIsRefused(system: String, edit: String, says: String) throws {
    let dir = try TemporaryDirectory("fuzz-mapping")
    defer { dir.remove() }
    let common = ["--system", topology(system), "--network", "synfire:groups=2"]
    var (status, output) = try runProcess(neurofabric, ["map", "--out", dir.path("m.h5")] + common)
    #expect(status == 0, "\(output)")
    let script = """
      import h5py, plistlib, numpy as np, sys
      with h5py.File(sys.argv[1], 'r+') as f:
          s = plistlib.loads(bytes(f['mapping_state/state'][()]))
          \(edit)
          del f['mapping_state/state']
          f['mapping_state'].create_dataset('state', data=np.frombuffer(plistlib.dumps(s, fmt=plistlib.FMT_BINARY), dtype=np.uint8))
      """
    (status, output) = try runProcess(packageRoot.appendingPathComponent(".venv/bin/python").path, ["-c", script, dir.path("m.h5")])
    #expect(status == 0, "\(output)")
    (status, output) = try runProcess(neurofabric, ["run", "--no-progress", "--mapping", dir.path("m.h5"), "--duration", "2ms",
                                                    "--out", dir.path("r")] + common, timeout: 120)
    let named = output.contains("/mapping_state/state does not fit") || output.contains("/mapping_state/state does not decode")
    #expect(status == 1 && named && output.contains(says), "\(output)")
  }

  /// Scripts/fuzz-surfaces: `mpiexec -n 2 infer --out F` with F existing hung (rank 0 refused, rank 1
  /// waited in the trials' allreduce for ever); two `infer --out F` at once both wrote F and both
  /// exited 0. Rank 0 now claims --out as `run` and `map` do and every rank learns of a refusal.
  @Test func inferRefusesATakenOutputOnEveryRank() throws {
    let dir = try TemporaryDirectory("fuzz-infer-out")
    defer { dir.remove() }
    let out = dir.path("results.h5")
    let infer = [neurofabric, "infer", "--system", topology("ideal-crossbar.toml"), "--network", Self.digits + "/digits.nir",
                 "--input", Self.digits + "/test.h5", "--trials", "20", "--out", out]
    FileManager.default.createFile(atPath: out, contents: Data("a result".utf8))
    var (status, output) = try runProcess(mpiexec, ["-n", "2"] + infer, timeout: 60)
    #expect(status == 1 && output.contains("'\(out)' exists"), "\(output)")
    // A claim held by a live process of this host (this test's): refused by name, even with --overwrite.
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count)
    let lock = dir.path(".results.h5.neurofabric.lock")
    try "run=1\nhost=\(String(cString: host))\npid=\(getpid())\ncommand=a test\n".write(toFile: lock, atomically: true, encoding: .utf8)
    (status, output) = try runProcess(mpiexec, ["-n", "2"] + infer + ["--overwrite"], timeout: 60)
    #expect(status == 1 && output.contains("is being written by process \(getpid())"), "\(output)")
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "a result")
  }

  /// Scripts/fuzz-surfaces: SIGTERM or SIGINT to `infer` (or to `mpiexec -n 2 infer`) ended it with
  /// status 15 or 2 (the ranks killed), or 0 without its results file. It now stops after the
  /// current trial on every rank with 128 + signal, the trials done written to --out marked
  /// complete = 0, and its claim released.
  @Test(arguments: [("TERM", 0, Int32(143)), ("INT", 0, Int32(130)), ("TERM", 2, Int32(143)), ("INT", 2, Int32(130))])
  func aSignalStopsInfer(signal: String, ranks: Int, status expected: Int32) throws {
    let dir = try TemporaryDirectory("fuzz-infer-signal")
    defer { dir.remove() }
    let out = dir.path("results.h5")
    let unblock = "use POSIX; sigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGINT, SIGTERM));"
    let script = unblock + """
       my $pid = fork // die; if ($pid == 0) { setpgid(0, 0); exec @ARGV or die }
       setpgid($pid, $pid); select(undef, undef, undef, 0.6); kill '\(signal)', $pid; waitpid($pid, 0);
       exit(($? & 127) ? 128 + ($? & 127) : $? >> 8)
      """
    let launcher = ranks > 0 ? [mpiexec, "-n", "\(ranks)"] : []
    // 500 digits, each 10 times over (--trial): several seconds, so the signal comes during the trials
    let (status, output) = try runProcess("/usr/bin/perl", ["-e", script] + launcher + [
      neurofabric, "infer", "--no-progress", "--system", topology("spinnaker2-chip.toml"), "--network", Self.digits + "/digits.nir",
      "--input", Self.digits + "/test.h5", "--trial", "500ms", "--out", out], timeout: 120)
    #expect(status == expected, "\(output)")
    #expect(output.contains("infer: stopped by SIG\(signal); "), "\(output)")
    #expect(try HDF5File.open(out).root().attribute("complete", as: Int64.self) == [0])
    #expect(!FileManager.default.fileExists(atPath: dir.path(".results.h5.neurofabric.lock")))
  }

  /// Scripts/fuzz-surfaces: `recover` took rank files that disagree on the rank count (the last one
  /// read won), a file whose own `rank` is not its name's, and a `flushed_ms` that is NaN or negative
  /// (the least of them is the time the trace is whole to). Each is now named.
  @Test(.enabled(if: pythonChecksRun, "edits the rank files with h5py in the venv"), arguments: [
    ("f['provenance'].attrs['ranks'] = 3", "rank-00001.h5: /provenance ranks is 2, a run writes 3, as the other rank files say"),
    ("f.attrs['rank'] = 1", "rank-00000.h5: rank is 1, a run writes 0, as its name says"),
    ("f.attrs['flushed_ms'] = float('nan')", "rank-00000.h5: flushed_ms is nan, a run writes a time in 0…5.0 ms (its duration)"),
    ("f.attrs['flushed_ms'] = -1.0", "rank-00000.h5: flushed_ms is -1.0, a run writes a time in 0…5.0 ms (its duration)"),
    ("f.attrs['flushed_ms'] = 1e300", "rank-00000.h5: flushed_ms is 1e+300, a run writes a time in 0…5.0 ms (its duration)"),
  ])
  func recoverNamesRankFilesThatDisagree(edit: String, says: String) throws {
    let dir = try TemporaryDirectory("fuzz-recover")
    defer { dir.remove() }
    var (status, output) = try runProcess(mpiexec, ["-n", "2", neurofabric, "run", "--no-progress", "--system", topology("ideal-crossbar.toml"),
                                                    "--network", "brunel:N=200", "--duration", "5ms", "--out", dir.path("r")], timeout: 120)
    #expect(status == 0, "\(output)")
    try FileManager.default.removeItem(atPath: dir.path("r/trace.h5"))
    let script = "import h5py, numpy as np, sys\nwith h5py.File(sys.argv[1], 'r+') as f:\n    \(edit)\n"
    (status, output) = try runProcess(packageRoot.appendingPathComponent(".venv/bin/python").path, ["-c", script, dir.path("r/rank-00000.h5")])
    #expect(status == 0, "\(output)")
    (status, output) = try runProcess(neurofabric, ["recover", dir.path("r")], timeout: 60)
    #expect(status == 1 && output.contains(says), "\(output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("r/trace.h5")))
  }

  static let digits = packageRoot.appendingPathComponent("Examples/digits").path
}
