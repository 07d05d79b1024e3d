import Foundation
import Traces

/// A small circuit in BMTK PointNet's conventions, written with the project's HDF5 writer: NEST
/// models and units (`nest:iaf_psc_exp`, pF, pA), `dynamics_params` JSON files in the components
/// directory, node ids 0..<N, `syn_weight` with negative values for inhibition, `nsyns`, a spike
/// file replayed by virtual nodes, per-node initial potentials (`V_m`), a current clamp, node sets
/// and a membrane report in a simulation config. Each
/// property can be changed to make a malformed circuit.
public struct PointNetCircuit: Sendable {
  public var inputSources: [UInt64] = [0, 1, 2, 0]
  public var inputTargets: [UInt64] = [0, 1, 2, 3]
  public var inputWeights: [Double] = [200, 250, 300, 220]
  public var inputTypes: [Int64] = [200, 200, 200, 200]
  public var recurrentWeights: [Double] = [-100, -100, -100, -100]
  /// Datasets left out, by their path in the edges file.
  public var omitted: Set<String> = []
  public var nodeTypes = "node_type_id model_type model_template dynamics_params\n100 virtual NULL NULL\n101 point_neuron nest:iaf_psc_exp cells.json\n"
  public var cellParameters = #"{"C_m": 200.0, "tau_m": 15.0, "V_th": -52.0, "I_e": 150.0, "t_ref": 1.0}"#
  public var edgeTypes = "edge_type_id model_template delay\n200 static_synapse 1.5\n201 static_synapse 2.0\n"
  public var nodeSets = #"{"inputs": {"population": "input"}, "some_cells": {"population": "cells", "node_id": [1, 3]}}"#
  public var inputNodeSet = "inputs"
  public var circuitManifest = #"{"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/network"}"#
  public var clampAmplitude = "250.0"  // pA: BMTK PointNet hands amp to NEST as it is
  public var tstop = "100.0"
  public var reportInterval = "0.5"
  /// NeuroFabric's extension: parameter changes of the cells (`0/parameter_changes/<k>`), each a time
  /// (nil: the attribute is left out) and values per node.
  public var cellChanges: [(time: Double?, values: [String: [Double]])] = []

  public init() {}

  /// Writes the circuit into `dir`; returns the path of its simulation config.
  public func write(in dir: TemporaryDirectory) throws -> String {
    let network = dir.path("network"), components = dir.path("components")
    try FileManager.default.createDirectory(atPath: network, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: components, withIntermediateDirectories: true)
    try nodeTypes.write(toFile: network + "/node_types.csv", atomically: true, encoding: .utf8)
    try edgeTypes.write(toFile: network + "/edge_types.csv", atomically: true, encoding: .utf8)
    try cellParameters.write(toFile: components + "/cells.json", atomically: true, encoding: .utf8)
    try nodeSets.write(toFile: dir.path("node_sets.json"), atomically: true, encoding: .utf8)

    let nodes = try HDF5File.create(network + "/nodes.h5")
    for (name, size, type) in [("input", 3, Int64(100)), ("cells", 4, Int64(101))] {
      let population = try nodes.root().createGroup("nodes/\(name)")
      _ = try population.createDataset("node_id", values: (0..<UInt64(size)).map { $0 })
      _ = try population.createDataset("node_type_id", values: [Int64](repeating: type, count: size))
      _ = try population.createDataset("node_group_id", values: [UInt32](repeating: 0, count: size))
      _ = try population.createDataset("node_group_index", values: (0..<UInt64(size)).map { $0 })
      let group = try population.createGroup("0")
      _ = try group.createDataset("x", values: [Float](repeating: 0, count: size))
      if name == "cells" {
        _ = try group.createGroup("dynamics_params").createDataset("V_m", values: [-70.0, -65.0, -60.0, -55.0])
        for (k, change) in cellChanges.enumerated() {
          let changeGroup = try group.createGroup("parameter_changes/\(k)")
          if let time = change.time { try changeGroup.setAttribute("time", time) }
          for (parameter, values) in change.values { _ = try changeGroup.createDataset(parameter, values: values) }
        }
      }
    }
    try nodes.flush()

    let edges = try HDF5File.create(network + "/edges.h5")
    let populations: [(String, String, String, [UInt64], [UInt64], [Int64], [Double], Bool)] = [
      ("input_to_cells", "input", "cells", inputSources, inputTargets, inputTypes, inputWeights, false),
      ("cells_to_cells", "cells", "cells", [0, 1, 2, 3], [1, 2, 3, 0], [201, 201, 201, 201], recurrentWeights, true),
    ]
    for (name, source, target, sources, targets, types, weights, hasDelays) in populations {
      let group = try edges.root().createGroup("edges/\(name)")
      func add<T: HDF5ElementType>(_ dataset: String, _ values: [T], population: String? = nil) throws {
        guard !omitted.contains("\(name)/\(dataset)") else { return }
        let parts = dataset.split(separator: "/").map(String.init)
        let holder = parts.count == 2 ? try group.group(parts[0]) : group
        let written = try holder.createDataset(parts.last!, values: values)
        if let population { try written.setAttribute("node_population", population) }
      }
      try add("source_node_id", sources, population: source)
      try add("target_node_id", targets, population: target)
      try add("edge_type_id", types)
      try add("edge_group_id", [UInt32](repeating: 0, count: sources.count))
      try add("edge_group_index", (0..<UInt64(sources.count)).map { $0 })
      try add("0/syn_weight", weights)
      try add("0/nsyns", sources.indices.map { $0 == 1 ? Int64(2) : 1 })
      if hasDelays { try add("0/delay", [Double](repeating: 2.0, count: sources.count)) }
    }
    try edges.flush()

    let spikes = try HDF5File.create(dir.path("input_spikes.h5"))
    let input = try spikes.root().createGroup("spikes/input")
    _ = try input.createDataset("node_ids", values: [UInt64]([0, 1, 2, 0, 1, 2, 0]))
    let times = try input.createDataset("timestamps", values: [10.0, 12.0, 14.0, 40.0, 42.0, 44.0, 70.0])
    try times.setAttribute("units", "ms")
    try spikes.flush()

    try #"""
    {"manifest": \#(circuitManifest),
     "components": {"point_neuron_models_dir": "$BASE_DIR/components"},
     "node_sets_file": "$BASE_DIR/node_sets.json",
     "networks": {
       "nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5", "node_types_file": "$NETWORK_DIR/node_types.csv"}],
       "edges": [{"edges_file": "$NETWORK_DIR/edges.h5", "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]}}
    """#.write(toFile: dir.path("circuit_config.json"), atomically: true, encoding: .utf8)
    let simulation = dir.path("simulation_config.json")
    try #"""
    {"network": "circuit_config.json",
     "run": {"tstop": \#(tstop), "dt": 0.1},
     "inputs": {"replay": {"input_type": "spikes", "module": "sonata", "input_file": "input_spikes.h5", "node_set": "\#(inputNodeSet)"},
                "clamp": {"input_type": "current_clamp", "module": "IClamp", "amp": \#(clampAmplitude), "delay": 20.0, "duration": 30.0, "node_set": "some_cells"}},
     "reports": {"membrane": {"cells": "some_cells", "variable_name": "V_m", "dt": \#(reportInterval)}}}
    """#.write(toFile: simulation, atomically: true, encoding: .utf8)
    return simulation
  }
}
