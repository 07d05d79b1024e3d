import Foundation
import TestSupport
import Testing

/// `map --out m.h5` then `run --mapping m.h5`: the same traces as `run` alone, and a mapping made
/// for something else is refused with what differs.
@Suite struct MappingFileTests {
  @Test(.enabled(if: pythonChecksRun, "compares traces with Scripts/checks/compare_traces.py in the venv"),
        arguments: [("spinnaker2-board.toml", "brunel:N=500,indegree=50", "graph", 2),
                    ("bss2-4chips.toml", "brunel:N=600,indegree=30,J=2", "sequential", 2),
                    ("bss1-wafer.toml", "synfire:groups=4", "random", 3),
                    ("ideal-crossbar.toml", "brunel:N=300", "sequential", 1)])
  func aLoadedMappingRunsAsTheMappingItWasMadeFrom(system: String, network: String, placer: String, ranks: Int) throws {
    let dir = try TemporaryDirectory("mapping-file")
    defer { dir.remove() }
    let common = ["--system", topology(system), "--network", network, "--seed", "5"]
    var (status, output) = try runProcess(neurofabric, ["map", "--placer", placer, "--ranks", "\(ranks)", "--out", dir.path("m.h5")] + common)
    #expect(status == 0, "\(output)")
    for (name, extra) in [("direct", ["--placer", placer]), ("loaded", ["--mapping", dir.path("m.h5")])] {
      (status, output) = try runProcess(mpiexec, ["-n", "\(ranks)", neurofabric, "run", "--no-progress", "--duration", "20ms",
                                                  "--out", dir.path(name)] + common + extra, timeout: 300)
      #expect(status == 0, "\(name): \(output)")
    }
    #expect(output.contains("loaded from \(dir.path("m.h5")) (placer \(placer), mapping seed 5)"), "\(output)")
    let check = try #require(try runPythonCheck("compare_traces.py", [dir.path("direct"), dir.path("loaded")]))
    #expect(check.status == 0 && check.output.contains(" 0 differ"), "\(check.output)")
  }

  @Test func aMappingForAnotherRunIsRefusedWithWhatDiffers() throws {
    let dir = try TemporaryDirectory("mapping-mismatch")
    defer { dir.remove() }
    let system = topology("bss2-4chips.toml"), file = dir.path("m.h5")
    var (status, output) = try runProcess(neurofabric, ["map", "--system", system, "--network", "brunel:N=200", "--ranks", "2", "--out", file])
    #expect(status == 0, "\(output)")
    let cases: [(ranks: Int, system: String, network: String, mapping: String, says: String)] = [
      (1, system, "brunel:N=200", file, "it was made for 2 rank(s), the run has 1"),
      (2, system, "brunel:N=300", file, "made for the network brunel:N=200"),
      (2, topology("bss2-chip.toml"), "brunel:N=200", file, "made for the system \(system)"),
      (2, topology("ideal-crossbar.toml"), "brunel:N=200", file, "maps onto the family brainscales2"),
      (1, system, "brunel:N=200", dir.path("missing.h5"), "cannot read it"),
    ]
    for c in cases {
      (status, output) = try runProcess(mpiexec, ["-n", "\(c.ranks)", neurofabric, "run", "--system", c.system, "--network", c.network,
                                                  "--mapping", c.mapping, "--duration", "5ms", "--out", dir.path("run")], timeout: 120)
      #expect(status != 0 && output.contains("--mapping \(c.mapping): ") && output.contains(c.says), "\(output)")
      #expect(!FileManager.default.fileExists(atPath: dir.path("run/trace.h5")))
    }
    // A trace of a run is not a mapping.
    (status, output) = try runProcess(neurofabric, ["run", "--system", system, "--network", "single", "--duration", "5ms", "--out", dir.path("t")])
    #expect(status == 0, "\(output)")
    (status, output) = try runProcess(neurofabric, ["run", "--system", system, "--network", "single", "--mapping", dir.path("t/trace.h5"),
                                                    "--duration", "5ms", "--out", dir.path("u")])
    #expect(status != 0 && output.contains("no /mapping_state group"), "\(output)")
  }
}
