import Foundation
import Model
import SONATA
import TestSupport
import Testing

/// SONATA as BMTK's NetworkBuilder writes it: Tests/Fixtures/sonata/bmtk was built by BMTK 1.2
/// (Scripts/make_bmtk_circuit.py) and run by BMTK PointNet on NEST 3.10 once, whose spike counts
/// are in its nest_reference.json (Scripts/checks/bmtk-pointnet --record).
@Suite struct BMTKCircuitTests {
  static let config = SONATAImportTests.fixture("bmtk/simulation_config.json")

  @Test func theBuildersCircuitIsReadWithItsMetadataColumns() throws {
    let edgeTypes = try String(contentsOfFile: SONATAImportTests.fixture("bmtk/network/cortex_cortex_edge_types.csv"), encoding: .utf8)
    #expect(edgeTypes.hasPrefix("edge_type_id target_query source_query"), "the fixture no longer has BMTK's query columns")
    let imported = try SONATAImporter.read(path: Self.config)
    let network = imported.network
    #expect(network.populations.map(\.label) == ["cortex.0", "cortex.1", "input"])
    #expect(network.populations.map(\.size) == [400, 100, 100])
    guard case let .ifCurrExp(exc) = network.populations[0].cellType, case let .ifCurrExp(inh) = network.populations[1].cellType else {
      Issue.record("expected IF_curr_exp cells, got \(network.populations.map(\.cellType.name))")
      return
    }
    #expect(exc.cm == 0.25 && exc.tauM == 20 && exc.iOffset == 0.12 && inh.cm == 0.2 && inh.tauM == 10 && inh.tauRefrac == 1)
    guard case let .spikeSourceArray(times) = network.populations[2].cellType else {
      Issue.record("the inputs are \(network.populations[2].cellType.name), not replayed spikes")
      return
    }
    #expect(times.count == 100 && times.joined().count > 1000)
    let weights = Dictionary(network.projections.map { ("\($0.pre)→\($0.post) \($0.receptor.rawValue)", $0.weight) }, uniquingKeysWith: { a, _ in a })
    #expect(weights["cortex.1→cortex.0 inhibitory"] == .constant(0.24) && weights["cortex.0→cortex.1 excitatory"] == .constant(0.06))
    #expect(weights["input→cortex.0 excitatory"] == .constant(0.15) && network.projections.count == 6)
    #expect(!imported.notes.contains { $0.contains("labels") }, "pop_name, ei and location are BMTK's own: \(imported.notes)")
  }

  /// Columns BMTK's builder writes for any property given to add_nodes or add_edges: text is a
  /// label, noted where it is not one of BMTK's usual ones; the circuit reads as without them.
  @Test func labelColumnsAreNotParameters() throws {
    let dir = try TemporaryDirectory("sonata-labels")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    let plain = try SONATAImporter.read(path: circuit.write(in: dir)).network
    circuit.nodeTypes = "node_type_id model_type model_template dynamics_params pop_name potental level\n"
      + "100 virtual NULL NULL inputs NULL NULL\n101 point_neuron nest:iaf_psc_exp cells.json \"L4 exc\" exc high\n"
    circuit.edgeTypes = "edge_type_id target_query source_query model_template delay syn_group\n"
      + "200 * \"pop_name=='inputs'\" static_synapse 1.5 thalamic\n201 \"ei=='e'&pop_name=='L4 exc'\" * static_synapse 2.0 NULL\n"
    let labelled = try SONATAImporter.read(path: circuit.write(in: dir))
    #expect(labelled.network.populations == plain.populations)
    #expect(labelled.network.projections.map(\.weight) == plain.projections.map(\.weight))
    #expect(labelled.notes.contains { $0.contains("level, potental of") && $0.contains("read as labels") }, "\(labelled.notes)")
  }
}
