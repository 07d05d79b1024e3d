import Model
import Traces

/// One node population of a SONATA nodes file (`/nodes/<name>`), as stored: each node's type id,
/// its `node_id` where the file gives one, and the `dynamics_params` given per node.
struct SONATANodePopulation {
  var name: String
  var file: String
  var size: Int
  var typeIds: [Int]
  /// The `node_id` dataset: libsonata takes ids as the index 0..<size and ignores it; PyNN's
  /// exporter writes PyNN's global ids there and uses them in its edges.
  var nodeIds: [Int]?
  /// Whether the file gives `node_id` at all (PyNN's exporter always does, with its global ids).
  var hasNodeIds = false
  /// Per-node parameter values by name; NaN where the node's group does not give the parameter.
  var perNode: [String: [Double]]
  /// NeuroFabric's extension, written by its PyNN backend for `Population.set` between runs:
  /// `0/parameter_changes/<k>` groups, each with a `time` attribute (ms) and one dataset per changed
  /// parameter, a value per node; in time order.
  var changes: [(name: String, time: Double, values: [String: [Double]])] = []

  /// The most nodes one population may hold, checked before its datasets are read.
  static let sizeLimit = SONATAData.elementLimit

  static func read(file: String) throws(SONATAFileErrors) -> [SONATANodePopulation] {
    let populations = try SONATAData.populations(of: file, kind: "nodes") { group, name, fail in
      readPopulation(group, name: name, file: file, fail: fail)
    }
    guard !populations.isEmpty else { throw SONATAConfig.error(file, "/nodes", "no node population") }
    return populations
  }

  private static func readPopulation(_ group: HDF5Group, name: String, file: String,
                                     fail: (String, String) -> Void) -> SONATANodePopulation? {
    guard let typeIds = SONATAData.integers(group, "node_type_id", file: file, limit: sizeLimit, fail: fail) else { return nil }
    let size = typeIds.count
    var population = SONATANodePopulation(name: name, file: file, size: size, typeIds: typeIds, nodeIds: nil, perNode: [:])
    if group.contains("node_id") {
      guard let ids = SONATAData.integers(group, "node_id", file: file, count: size, fail: fail) else { return nil }
      if ids != Array(0..<size) { population.nodeIds = ids }
      population.hasNodeIds = true
    }
    guard let columns = SONATAData.nodeColumns(group, count: size, file: file, fail: fail) else { return nil }
    population.perNode = columns
    guard group.isGroup("0"), let zero = try? group.openGroup("0"), zero.isGroup("parameter_changes"),
          let changes = try? zero.openGroup("parameter_changes") else { return population }
    let path = "\(group.name)/0/parameter_changes"
    if group.memberNames.contains(where: { $0 != "0" && group.isGroup($0) && Int($0) != nil }) {
      fail(path, "parameter changes need the population's nodes in one group")
      return nil
    }
    for name in changes.memberNames {
      guard changes.isGroup(name), let change = try? changes.openGroup(name),
            let time = try? change.attribute("time", as: Double.self), time.count == 1 else {
        fail("\(path)/\(name)@time", "missing: a parameter change is a group with its time (ms) as attribute 'time'")
        return nil
      }
      var values: [String: [Double]] = [:]
      for parameter in change.memberNames {
        guard let column = SONATAData.numbers(change, parameter, file: file, count: size, fail: fail) else { return nil }
        values[parameter] = column
      }
      population.changes.append((name, time[0], values))
    }
    population.changes.sort { $0.time < $1.time }
    return population
  }
}
