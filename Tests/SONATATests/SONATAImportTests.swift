import Foundation
import Model
import SONATA
import TestSupport
import Testing

/// SONATA circuits as PyNN's exporter and BMTK's PointNet write them: what the import builds, and
/// that it runs as the same network written by hand.
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

  @Test func thePyNNExportIsReadAsPyNNWroteIt() throws {
    let imported = try SONATAImporter.read(path: Self.fixture("pynn/circuit_config.json"))
    let network = imported.network
    let written = try NetworkFileReader.read(path: Self.fixture("pynn.toml"))
    #expect(network.populations.map(\.label) == written.populations.map(\.label))
    for population in written.populations {
      #expect(network.populations.first { $0.label == population.label } == population, "\(population.label)")
    }
    for projection in written.projections {
      let read = try #require(network.projections.first { $0.label == projection.label }, "\(projection.label)")
      #expect(read.pre == projection.pre && read.post == projection.post && read.receptor == projection.receptor)
      #expect(read.connector == projection.connector, "\(projection.label): connections differ")
    }
    // PyNN writes its global ids as node_id and names views in node_population: both matched by id.
    #expect(imported.notes.contains { $0.contains("node_id 62…85") }, "\(imported.notes)")
  }

  /// Per-node parameters (PyNN writes a parameter with several values into dynamics_params).
  @Test func nodesWithDifferentParametersSplitIntoPopulations() throws {
    let imported = try SONATAImporter.read(path: Self.fixture("split/circuit_config.json"))
    let populations = imported.network.populations
    #expect(populations.map(\.label) == ["noise", "cells.0", "cells.1"])
    #expect(populations.map(\.size) == [6, 4, 6])
    guard case let .ifCurrExp(low) = populations[1].cellType, case let .ifCurrExp(high) = populations[2].cellType else {
      Issue.record("expected IF_curr_exp, got \(populations.map(\.cellType.name))")
      return
    }
    #expect(low.iOffset == 0.1 && high.iOffset == 0.7 && low.tauM == 12 && high.tauM == 12)
    let projections = imported.network.projections
    #expect(projections.map(\.label) == ["drive.0", "drive.1"])
    #expect(projections.map(\.post) == ["cells.0", "cells.1"])
    #expect(projections.map { $0.connector.name } == ["from_list", "from_list"])
    if case let .fromList(list) = projections[1].connector {
      #expect(list.count == 36 && list.allSatisfy { $0.post < 6 && $0.pre < 6 && $0.weight == 0.5 && $0.delay == 1.5 })
    }
  }

  @Test func aPointNetCircuitTakesNESTsUnitsAndDefaults() throws {
    let dir = try TemporaryDirectory("sonata-pointnet")
    defer { dir.remove() }
    let imported = try SONATAImporter.read(path: try PointNetCircuit().write(in: dir))
    let network = imported.network
    #expect(imported.tstop == 100)
    #expect(network.populations.map(\.label) == ["cells", "input"])
    guard case let .ifCurrExp(p) = network.populations[0].cellType else {
      Issue.record("cells: \(network.populations[0].cellType.name)")
      return
    }
    // Given: C_m 200 pF, tau_m 15, V_th -52, I_e 150 pA, t_ref 1 (a JSON 1.0, which Linux's Foundation
    // also offers as a Bool); NEST's defaults for the rest.
    #expect(p.cm == 0.2 && p.tauM == 15 && p.vThresh == -52 && abs(p.iOffset - 0.15) < 1e-12 && p.tauRefrac == 1)
    #expect(p.vRest == -70 && p.vReset == -70 && p.tauSynE == 2 && p.tauSynI == 2)
    #expect(network.populations[0].initialVoltages == [-70, -65, -60, -55])
    #expect(network.stimuli == [CurrentStimulus(label: "clamp", target: "cells", neurons: [1, 3], waveform: .dc(amplitude: 0.25, start: 20, stop: 50))])
    #expect(network.populations[1].cellType == .spikeSourceArray(times: [[10, 40, 70], [12, 42], [14, 44]]))

    let drive = try #require(network.projections.first { $0.label == "input_to_cells" })
    #expect(drive.receptor == .excitatory)
    // syn_weight × nsyns, pA → nA; the type's delay.
    #expect(drive.connector == .fromList([
      ListConnection(pre: 0, post: 0, weight: 0.2, delay: 1.5), ListConnection(pre: 1, post: 1, weight: 0.5, delay: 1.5),
      ListConnection(pre: 2, post: 2, weight: 0.3, delay: 1.5), ListConnection(pre: 0, post: 3, weight: 0.22, delay: 1.5),
    ]))
    let recurrent = try #require(network.projections.first { $0.label == "cells_to_cells" })
    #expect(recurrent.receptor == .inhibitory)
    if case let .fromList(list) = recurrent.connector {
      #expect(list.map(\.weight) == [0.1, 0.2, 0.1, 0.1] && list.map(\.delay) == [2, 2, 2, 2])
    }
    #expect(network.recordings.contains(Recording(population: "cells", variables: [.spikes])))
    #expect(network.recordings.contains(Recording(population: "cells", variables: [.v], neurons: [1, 3], interval: 0.5)))
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

  /// NEST's alpha models (iaf_psc_alpha, iaf_cond_alpha) become PyNN's alpha cells with NEST's defaults.
  @Test func nestsAlphaModelsAreRead() throws {
    let dir = try TemporaryDirectory("sonata-alpha")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    circuit.nodeTypes = circuit.nodeTypes.replacingOccurrences(of: "iaf_psc_exp", with: "iaf_cond_alpha")
    circuit.cellParameters = #"{"C_m": 200.0}"#
    let network = try SONATAImporter.read(path: try circuit.write(in: dir)).network
    guard case let .ifCondAlpha(p) = network.populations[0].cellType else {
      Issue.record("cells: \(network.populations[0].cellType.name)")
      return
    }
    #expect(p.cm == 0.2 && abs(p.tauM - 200 / 16.6667) < 1e-9 && p.tauSynE == 0.2 && p.tauSynI == 2 && p.eRevI == -85 && p.vReset == -60)
  }

  @Test func aPointNetCircuitRunsAlikeOnOneAndTwoRanks() throws {
    let dir = try TemporaryDirectory("sonata-pointnet-run")
    defer { dir.remove() }
    let config = try PointNetCircuit(inputWeights: [900, 900, 900, 900]).write(in: dir)
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
