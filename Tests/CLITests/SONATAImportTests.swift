import Foundation
import TestSupport
import Testing

/// SONATA circuits through `neurofabric run` and `map`: PyNN's export runs as its network file,
/// a stored mapping knows the circuit's files, and a PointNet circuit runs alike on 1 and 2 ranks.
@Suite struct SONATAImportTests {
  static func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent("sonata/\(name)").path }

  /// Tests/Fixtures/sonata/pynn was written by PyNN 0.13's export_to_sonata, pynn.toml from the same
  /// PyNN objects (make_fixtures.py): both must give the same spikes, on one rank and on two.
  @Test(arguments: [(1, 3), (2, 3), (2, 11)])
  func aPyNNExportRunsAsItsNetworkFile(ranks: Int, seed: Int) throws {
    let dir = try TemporaryDirectory("sonata-pynn")
    defer { dir.remove() }
    var traces: [String: (times: [Double], nodes: [UInt64])] = [:]
    for (name, network) in [("sonata", Self.fixture("pynn/circuit_config.json")), ("toml", Self.fixture("pynn.toml"))] {
      let out = dir.path(name)
      let result = try run(ranks: ranks, ["--system", topology("ideal-crossbar.toml"), "--network", network, "--duration", "350ms",
                                          "--seed", String(seed), "--out", out])
      #expect(result.status == 0, "\(result.output)")
      for population in ["exc", "inh"] { traces["\(name) \(population)"] = try spikes(out + "/trace.h5", population) }
    }
    for population in ["exc", "inh"] {
      let imported = try #require(traces["sonata \(population)"]), written = try #require(traces["toml \(population)"])
      #expect(imported.times.count > 20, "\(population) fired \(imported.times.count) spikes: too few to compare")
      #expect(imported.times == written.times && imported.nodes == written.nodes, "\(population)")
    }
  }

  /// PyNN's exporter from pip, now: a fresh export (its populations in another order each time, as
  /// PyNN takes them from a set) runs as the network file written from the same PyNN objects.
  @Test(.enabled(if: pythonChecksRun)) func aFreshPyNNExportRunsAsItsNetworkFile() throws {
    let dir = try TemporaryDirectory("sonata-fresh")
    defer { dir.remove() }
    let made = try #require(try runPythonScript("Tests/Fixtures/sonata/make_fixtures.py", [dir.url.path]))
    #expect(made.status == 0, "\(made.output)")
    var traces: [[Double]] = []
    for network in [dir.path("pynn/circuit_config.json"), dir.path("pynn.toml")] {
      let out = network + ".run"
      let result = try run(ranks: 2, ["--system", topology("ideal-crossbar.toml"), "--network", network, "--duration", "200ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      traces.append(try spikes(out + "/trace.h5", "exc").times + spikes(out + "/trace.h5", "inh").times)
    }
    #expect(traces[0].count > 20 && traces[0] == traces[1])
  }

  /// A mapping made for a SONATA circuit is refused once a file the config names has changed (the
  /// identity digests the imported network, not only the config's bytes).
  @Test func aStoredMappingKnowsTheCircuitsFiles() throws {
    let dir = try TemporaryDirectory("sonata-mapping")
    defer { dir.remove() }
    let config = try PointNetCircuit().write(in: dir)
    let map = try runProcess(neurofabric, ["map", "--system", topology("ideal-crossbar.toml"), "--network", config, "--out", dir.path("m.h5")])
    #expect(map.status == 0, "\(map.output)")
    let same = try run(ranks: 1, ["--system", topology("ideal-crossbar.toml"), "--network", config, "--mapping", dir.path("m.h5"),
                                  "--duration", "10ms", "--out", dir.path("a")])
    #expect(same.status == 0, "\(same.output)")
    var changed = PointNetCircuit()
    changed.cellParameters = #"{"C_m": 200.0, "tau_m": 16.0}"#
    _ = try changed.write(in: dir)
    let refused = try run(ranks: 1, ["--system", topology("ideal-crossbar.toml"), "--network", config, "--mapping", dir.path("m.h5"),
                                     "--duration", "10ms", "--out", dir.path("b")])
    #expect(refused.status != 0 && refused.output.contains("it was made for the network"), "\(refused.output)")
  }

  @Test func aPointNetCircuitRunsAlikeOnOneAndTwoRanks() throws {
    let dir = try TemporaryDirectory("sonata-pointnet-run")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    circuit.inputWeights = [900, 900, 900, 900]
    let config = try circuit.write(in: dir)
    var traces: [[Double]] = []
    for ranks in [1, 2] {
      let out = dir.path("r\(ranks)")
      let result = try run(ranks: ranks, ["--system", topology("ideal-crossbar.toml"), "--network", config, "--duration", "100ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      #expect(result.output.contains("SONATA import of"), "\(result.output)")
      traces.append(try spikes(out + "/trace.h5", "cells").times)
    }
    #expect(!traces[0].isEmpty && traces[0] == traces[1], "\(traces)")
  }
}
