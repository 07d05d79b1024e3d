import Model
import Traces

/// One edge population of a SONATA edges file (`/edges/<name>`), as stored: each edge's source and
/// target node id (in the node populations named by their `node_population` attributes), its type
/// id, and the values given per edge (`syn_weight`, `delay`, `nsyns` and `dynamics_params`).
struct SONATAEdgePopulation {
  var name: String
  var file: String
  var sourcePopulation: String
  var targetPopulation: String
  var sources: [Int]
  var targets: [Int]
  var typeIds: [Int]
  /// Per-edge values by name; NaN where the edge's group does not give the value.
  var perEdge: [String: [Double]]

  /// Group datasets read as values of the edge (the SONATA spec's reserved names); other group
  /// datasets are attributes a point-neuron simulation does not use.
  static let valueNames: Set<String> = ["syn_weight", "delay", "nsyns"]

  static func read(file: String) throws(NetworkFileErrors) -> [SONATAEdgePopulation] {
    try SONATAData.populations(of: file, kind: "edges") { group, name, fail in
      readPopulation(group, name: name, file: file, fail: fail)
    }
  }

  private static func readPopulation(_ group: HDF5Group, name: String, file: String,
                                     fail: (String, String) -> Void) -> SONATAEdgePopulation? {
    guard let sources = SONATAData.integers(group, "source_node_id", file: file, fail: fail) else { return nil }
    let count = sources.count
    guard let targets = SONATAData.integers(group, "target_node_id", file: file, count: count, fail: fail),
          let typeIds = SONATAData.integers(group, "edge_type_id", file: file, count: count, fail: fail) else { return nil }
    var populationNames: [String] = []
    for end in ["source_node_id", "target_node_id"] {
      guard let dataset = try? group.openDataset(end, as: Double.self),
            let value = try? dataset.stringAttribute("node_population"), value.count == 1 else {
        fail("\(group.name)/\(end)@node_population", "missing: the edges name the node population their ids are in")
        return nil
      }
      populationNames.append(value[0])
    }
    guard let values = SONATAData.groupColumns(group, count: count, element: "edge", attributes: valueNames, file: file, fail: fail)
    else { return nil }
    return SONATAEdgePopulation(name: name, file: file, sourcePopulation: populationNames[0], targetPopulation: populationNames[1],
                                sources: sources, targets: targets, typeIds: typeIds, perEdge: values)
  }
}
