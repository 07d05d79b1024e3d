import Foundation
import Model
import SONATA
import TestSupport
import Testing

/// Malformed SONATA circuits: each gets a named error with its file and dataset, type-file line or
/// config key, through the importer and through `neurofabric validate` (exit status 1).
@Suite struct SONATAErrorTests {
  static let cases: [(String, @Sendable (inout PointNetCircuit) -> Void, String)] = [
    ("missing dataset", { $0.omitted = ["input_to_cells/target_node_id"] },
     "edges.h5: /edges/input_to_cells/target_node_id: missing dataset"),
    ("id out of range", { $0.inputSources = [0, 1, 7, 0] },
     "/edges/input_to_cells/source_node_id: edge 2: node id 7 is not in node population 'input'"),
    ("mismatched lengths", { $0.inputTargets = [0, 1, 2] },
     "/edges/input_to_cells/target_node_id: 3 values, expected 4"),
    ("delta synapses", { $0.nodeTypes = $0.nodeTypes.replacingOccurrences(of: "iaf_psc_exp", with: "iaf_psc_delta") },
     "node_types.csv:3: model_template: model_template 'nest:iaf_psc_delta' has no counterpart in NeuroFabric yet"),
    ("unknown model", { $0.nodeTypes = $0.nodeTypes.replacingOccurrences(of: "nest:iaf_psc_exp", with: "nest:glif_psc") },
     "node_types.csv:3: model_template: unknown model_template 'nest:glif_psc'"),
    ("unknown parameter", { $0.cellParameters = #"{"C_m": 200.0, "Tau_m": 15.0}"# },
     "node_types.csv:3: Tau_m: 'Tau_m' is not a parameter of nest:iaf_psc_exp"),
    ("ragged type row", { $0.nodeTypes += "102 point_neuron nest:iaf_psc_exp\n" },
     "node_types.csv:4: 3 values for 4 columns"),
    ("unknown manifest entry", { $0.circuitManifest = #"{"$BASE_DIR": "."}"# },
     "circuit_config.json: networks.nodes[0].nodes_file: '$NETWORK_DIR' is not in the manifest"),
    ("not JSON", { $0.nodeSets = "{\"inputs\": " }, "node_sets.json: not valid JSON"),
    ("unknown edge type", { $0.inputTypes = [200, 200, 999, 200] },
     "/edges/input_to_cells/edge_type_id: edge type 999 is not in"),
    ("plastic synapse", { $0.edgeTypes = $0.edgeTypes.replacingOccurrences(of: "200 static_synapse", with: "200 stdp_synapse") },
     "edge_types.csv:2: model_template: 'stdp_synapse' is not a static synapse"),
    ("spikes into neurons", { $0.inputNodeSet = "some_cells" },
     "inputs.replay: replays spikes into 'cells', which is IF_curr_exp; spike inputs drive virtual nodes"),
    ("node set by attribute", { $0.nodeSets = #"{"inputs": {"population": "input", "ei": "e"}, "some_cells": {"population": "cells"}}"# },
     "node_sets.json: inputs.ei: node sets that select by 'ei' are not supported"),
    ("clamp without amplitude", { $0.clampAmplitude = "null" },
     "inputs.clamp.amp: a current_clamp input gives amp as a finite number"),
    ("node set of missing nodes", { $0.nodeSets = #"{"inputs": {"population": "input"}, "some_cells": {"population": "cells", "node_id": [1, 999]}}"# },
     "node_sets.json: some_cells.node_id[1]: 999 is not a node id of population 'cells'"),
    ("fractional node id", { $0.nodeSets = #"{"inputs": {"population": "input"}, "some_cells": {"population": "cells", "node_id": [1.5]}}"# },
     "some_cells.node_id[0]: 1.5 is not a node id of population 'cells'"),
    ("boolean node id", { $0.nodeSets = #"{"inputs": {"population": "input"}, "some_cells": {"population": "cells", "node_id": [true]}}"# },
     "some_cells.node_id[0]:"),
    ("tstop a string", { $0.tstop = #""100""# }, "simulation_config.json: run.tstop: expected a positive number of ms, got a string"),
    ("report interval a boolean", { $0.reportInterval = "true" }, "reports.membrane.dt: expected a positive number of ms"),
    ("hexadecimal in a type file", { $0.edgeTypes = "edge_type_id model_template delay\n200 static_synapse 0x10\n201 static_synapse 2.0\n" },
     "edge_types.csv:2: delay: '0x10' is not a finite decimal number"),
    ("fractional nsyns", { $0.edgeTypes = "edge_type_id model_template delay nsyns\n200 static_synapse 1.5 2.5\n201 static_synapse 2.0 1\n"; $0.omitted = ["input_to_cells/0/nsyns"] },
     "edge_types.csv:2: nsyns: 2.5 is not a number of synapses"),
    ("a number in a column the model does not have", {
      $0.nodeTypes = "node_type_id model_type model_template dynamics_params depth\n100 virtual NULL NULL NULL\n101 point_neuron nest:iaf_psc_exp cells.json 10.0\n"
    }, "node_types.csv:3: depth: 'depth' is not a parameter of nest:iaf_psc_exp"),
    ("text in a parameter's column", {
      $0.nodeTypes = "node_type_id model_type model_template dynamics_params tau_m\n100 virtual NULL NULL NULL\n101 point_neuron nest:iaf_psc_exp cells.json abc\n"
    }, "node_types.csv:3: tau_m: 'abc' is not a finite decimal number"),
    ("text as a virtual node's rate", {
      $0.nodeTypes = "node_type_id model_type model_template dynamics_params rate\n100 virtual NULL NULL fast\n101 point_neuron nest:iaf_psc_exp cells.json NULL\n"
    }, "node_types.csv:2: rate: 'fast' is not a finite decimal number"),
    ("a number in an edge-type column static synapses do not have", {
      $0.edgeTypes = "edge_type_id target_query source_query model_template delay weight_sigma2\n200 * * static_synapse 1.5 1.0\n201 * * static_synapse 2.0 1.0\n"
    }, "weight_sigma2: a parameter static synapses do not have"),
    ("gap junctions", { $0.edgeTypes = "edge_type_id model_template delay is_gap_junction\n200 static_synapse 1.5 True\n201 static_synapse 2.0 False\n" },
     "edge_types.csv:2: is_gap_junction: gap junctions are not supported"),
    ("weight not a number", { $0.inputWeights = [200, .nan, 300, 220] },
     "/edges/input_to_cells/0/syn_weight: row 1 is nan, not a finite number"),
    ("weight beyond range", { $0.inputWeights = [200, 2e12, 300, 220] },
     "/edges/input_to_cells: edge 1: weight 4000000000.0 is beyond ±1000000.0"),
  ]

  @Test(arguments: cases.indices)
  func malformedCircuitsAreNamed(index: Int) throws {
    let (name, mutate, expected) = Self.cases[index]
    let dir = try TemporaryDirectory("sonata-bad")
    defer { dir.remove() }
    var circuit = PointNetCircuit()
    mutate(&circuit)
    let config = try circuit.write(in: dir)
    #expect(throws: SONATAFileErrors.self, "\(name)") { try SONATAImporter.read(path: config) }
    do {
      _ = try SONATAImporter.read(path: config)
    } catch {
      #expect(error.description.contains(expected), "\(name): \(error.description)")
    }
    let result = try runProcess(neurofabric, ["validate", config])
    #expect(result.status == 1, "\(name): \(result.output)")
    #expect(result.output.contains(expected), "\(name): \(result.output)")
  }
}
