import Foundation
import Model
import SONATA
import TestSupport
import Testing

/// SONATA circuits as PyNN's exporter and BMTK's PointNet write them: what the import builds. That
/// they run as the same network written by hand is in CLITests' `SONATAImportTests`.
@Suite struct SONATAImportTests {
  static func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent("sonata/\(name)").path }

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
      #expect(try read.connector.listed() == projection.connector.listed(), "\(projection.label): connections differ")
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
    #expect(projections.map { $0.connector.name } == ["from_file", "from_file"])
    let list = try projections[1].connector.listed()
    #expect(list.count == 36 && list.allSatisfy { $0.post < 6 && $0.pre < 6 && $0.weight == 0.5 && $0.delay == 1.5 })
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
    // A clamp's amp into NEST models is in pA, as BMTK PointNet passes it to NEST.
    #expect(network.stimuli == [CurrentStimulus(label: "clamp", target: "cells", neurons: [1, 3], waveform: .dc(amplitude: 0.25, start: 20, stop: 50))])
    #expect(network.populations[1].cellType == .spikeSourceArray(times: [[10, 40, 70], [12, 42], [14, 44]]))

    let drive = try #require(network.projections.first { $0.label == "input_to_cells" })
    #expect(drive.receptor == .excitatory)
    // syn_weight × nsyns, pA → nA; the type's delay.
    #expect(try drive.connector.listed() == [
      ListConnection(pre: 0, post: 0, weight: 0.2, delay: 1.5), ListConnection(pre: 1, post: 1, weight: 0.5, delay: 1.5),
      ListConnection(pre: 2, post: 2, weight: 0.3, delay: 1.5), ListConnection(pre: 0, post: 3, weight: 0.22, delay: 1.5),
    ])
    let recurrent = try #require(network.projections.first { $0.label == "cells_to_cells" })
    #expect(recurrent.receptor == .inhibitory)
    let list = try recurrent.connector.listed()
    #expect(list.map(\.weight) == [0.1, 0.2, 0.1, 0.1] && list.map(\.delay) == [2, 2, 2, 2])
    #expect(network.recordings.contains(Recording(population: "cells", variables: [.spikes])))
    #expect(network.recordings.contains(Recording(population: "cells", variables: [.v], neurons: [1, 3], interval: 0.5)))
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

  /// Edges are read a chunk at a time, and a rank reads only the chunks that hold edges onto its
  /// targets: any chunk size and any set of targets give the connections the whole file gives, for
  /// edges in file order (PyNN's export, sorted by target) and shuffled (every chunk reaches everywhere).
  @Test(arguments: [3, 7, 64])
  func edgesReadInPiecesAreTheWholeFilesEdges(chunkSize: Int) throws {
    let dir = try TemporaryDirectory("sonata-chunks")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    var stream = SplitMix(state: UInt64(chunkSize))
    let n = 150
    circuit.inputSources = (0..<n).map { _ in UInt64.random(in: 0..<3, using: &stream) }
    circuit.inputTargets = (0..<n).map { _ in UInt64.random(in: 0..<4, using: &stream) }
    circuit.inputWeights = (0..<n).map { _ in Double.random(in: 100...300, using: &stream) }
    circuit.inputTypes = Array(repeating: 200, count: n)
    for config in [try circuit.write(in: dir), Self.fixture("pynn/circuit_config.json")] {
      let whole = try SONATAImporter.read(path: config).network
      let pieces = try SONATAImporter.read(path: config, chunkSize: chunkSize).network
      #expect(pieces.projections.count == whole.projections.count)
      let full = try SynapseGenerator(network: whole, seed: 1)
      for (p, projection) in pieces.projections.enumerated() {
        #expect(try projection.connector.listed() == whole.projections[p].connector.listed(), "\(projection.label)")
        let post = pieces.populations[pieces.populationIndex(projection.post)!].size
        // One range, the upper half, and two disjoint ends (a rank's slices of several chips).
        for targets in [[0..<1], [(post / 2)..<post], [0..<1, (post - 1)..<post]] where targets.allSatisfy({ $0.upperBound <= post }) {
          let partial = try SynapseGenerator(network: pieces, seed: 1) { population in population == full.post[p] ? targets : [] }
          for t in targets.flatMap({ $0 }) {
            var a = SynapseList(), b = SynapseList()
            full.appendIncoming(projection: p, target: t, to: &a)
            partial.appendIncoming(projection: p, target: t, to: &b)
            #expect(a.partners == b.partners && a.weights == b.weights && a.delays == b.delays, "\(projection.label) target \(t)")
          }
        }
      }
    }
  }

  /// NeuroFabric's extension for PyNN's `set` between runs: per-node values from a time on become
  /// parameter changes of the populations the nodes are in (split by their values at every change).
  @Test func parameterChangesBecomeTheNetworks() throws {
    let dir = try TemporaryDirectory("sonata-changes")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    circuit.cellChanges = [(50, ["I_e": [300, 300, 300, 300]]), (80, ["I_e": [300, 300, 100, 100], "tau_m": [10, 10, 10, 10]])]
    let network = try SONATAImporter.read(path: try circuit.write(in: dir)).network
    #expect(network.populations.map(\.label) == ["cells.0", "cells.1", "input"])
    #expect(network.parameterChanges.map(\.time) == [50, 50, 80, 80])
    #expect(network.parameterChanges.map(\.population) == ["cells.0", "cells.1", "cells.0", "cells.1"])
    guard case let .ifCurrExp(at50) = network.parameterChanges[0].cellType, case let .ifCurrExp(at80) = network.parameterChanges[3].cellType else {
      Issue.record("\(network.parameterChanges)")
      return
    }
    #expect(abs(at50.iOffset - 0.3) < 1e-12 && at50.tauM == 15 && abs(at80.iOffset - 0.1) < 1e-12 && at80.tauM == 10)
  }

  static let badChanges: [(changes: [(time: Double?, values: [String: [Double]])], expected: String)] = [
    ([(nil, ["I_e": [300, 300, 300, 300]])], "parameter_changes/0@time: missing"),
    ([(50, ["V_m": [-60, -60, -60, -60]])], "parameter_changes/0/V_m: the membrane potential is a state"),
    ([(50, ["I_e": [300, 300]])], "parameter_changes/0/I_e: 2 values, expected 4"),
    ([(50, ["g_L": [1, 1, 1, 1]])], "the change at 50.0 ms"),
  ]

  @Test(arguments: badChanges.indices)
  func malformedParameterChangesAreNamed(index: Int) throws {
    let dir = try TemporaryDirectory("sonata-bad-changes")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    circuit.cellChanges = Self.badChanges[index].changes
    let config = try circuit.write(in: dir)
    #expect { _ = try SONATAImporter.read(path: config) } throws: { "\($0)".contains(Self.badChanges[index].expected) }
  }

  /// A circuit whose edges file changed after the import is named when a rank reads its edges.
  @Test func anEdgesFileChangedAfterTheImportIsNamed() throws {
    let dir = try TemporaryDirectory("sonata-changed")
    defer { dir.remove() }
    let config = try PointNetCircuit().write(in: dir)
    let network = try SONATAImporter.read(path: config).network
    try FileManager.default.removeItem(atPath: dir.path("network/edges.h5"))
    #expect {
      _ = try SynapseGenerator(network: network, seed: 1)
    } throws: { error in
      "\(error)".contains("network/edges.h5 /edges/") && "\(error)".contains("cannot be read again") && "\(error)".contains("no such file")
    }
  }
}

/// A seeded generator for test inputs (SplitMix64).
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension Connector {
  /// The connections of a `from_list` or stored connector, in their order (a stored table in file order).
  func listed() throws -> [ListConnection] {
    switch self {
    case let .fromList(list): return list
    case let .stored(connections):
      var list: [ListConnection] = []
      try connections.table.forEach(targets: TargetRanges([0..<connections.table.postSize])) { pre, post, weight, delay in
        list.append(ListConnection(pre: pre, post: post, weight: weight, delay: delay))
      }
      return list
    default: return []
    }
  }
}
