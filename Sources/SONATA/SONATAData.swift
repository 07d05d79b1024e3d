import Model
import Traces

/// Reading SONATA's numeric datasets whole, with their lengths checked before use.
enum SONATAData {
  /// Reads every population group under `/<kind>` (`nodes` or `edges`) of `file` with `read`;
  /// all problems of all populations are thrown together.
  static func populations<P>(of file: String, kind: String,
                             _ read: (HDF5Group, String, (String, String) -> Void) -> P?) throws(SONATAFileErrors) -> [P] {
    var errors: [SONATAFileError] = []
    func fail(_ key: String, _ message: String) { errors.append(SONATAFileError(file: file, line: 0, key: key, message: message)) }
    let root: HDF5Group
    do {
      root = try HDF5File.open(file).root()
    } catch {
      throw SONATAConfig.error(file, "", message(error, file: file))
    }
    guard root.isGroup(kind), let top = try? root.openGroup(kind) else {
      throw SONATAConfig.error(file, "/\(kind)", "missing group: a SONATA \(kind) file holds its populations under /\(kind)")
    }
    var populations: [P] = []
    for name in top.memberNames {
      guard top.isGroup(name), let group = try? top.openGroup(name) else {
        fail("/\(kind)/\(name)", "expected a population group, found a dataset")
        continue
      }
      if let population = read(group, name, fail) { populations.append(population) }
    }
    guard errors.isEmpty else { throw SONATAFileErrors(errors) }
    return populations
  }

  /// An HDF5 error's message without the file name, which the error's key already gives.
  static func message(_ error: any Error, file: String) -> String {
    "\(error)".replacingOccurrences(of: file + ": ", with: "")
  }

  /// The first value that is not an id or row index (a non-negative integer below 9e15), if any.
  static func firstNonIndex(_ values: [Double]) -> Int? {
    values.firstIndex { !($0 >= 0 && $0 < 9.0e15 && $0.rounded() == $0) }
  }

  /// PyNN 0.13's exporter writes `node_group_index` and `edge_group_index` as int16, which wraps or
  /// saturates past 32,767 rows; it writes one group, in order. So where one group holds more rows
  /// than that (`mayWrapRows`) and every stored index fits int16 (`fitsInt16`, over all of them),
  /// an element's row is its position.
  static func mayWrapRows(groups: Int, count: Int) -> Bool { groups == 1 && count > 32_767 }

  static func fitsInt16(_ indices: [Double]) -> Bool { indices.allSatisfy { $0 <= 32_767 } }

  /// The most elements one dataset may hold (512 MiB as Double), checked before it is read.
  static let elementLimit = 1 << 26

  static func numbers(_ group: HDF5Group, _ name: String, file: String, count: Int? = nil, limit: Int = elementLimit,
                      fail: (String, String) -> Void) -> [Double]? {
    let path = group.name + "/" + name
    guard group.contains(name) else {
      fail(path, "missing dataset")
      return nil
    }
    do {
      guard case let .numbers(shape, values) = try group.readArray(name, limit: limit), shape.count == 1 else {
        fail(path, "expected a 1-D numeric dataset")
        return nil
      }
      if let count, values.count != count {
        fail(path, "\(values.count) values, expected \(count): as many as node_type_id (nodes) or source_node_id (edges) holds")
        return nil
      }
      return values
    } catch {
      fail(path, message(error, file: file))
      return nil
    }
  }

  static func integers(_ group: HDF5Group, _ name: String, file: String, count: Int? = nil, limit: Int = elementLimit,
                       fail: (String, String) -> Void) -> [Int]? {
    guard let values = numbers(group, name, file: file, count: count, limit: limit, fail: fail) else { return nil }
    if let bad = firstNonIndex(values) {
      fail(group.name + "/" + name, "row \(bad) is \(values[bad]), not an id (a non-negative integer)")
      return nil
    }
    return values.map { Int($0) }
  }

  /// The `dynamics_params/<name>` values of a node population's groups, one column per parameter
  /// over all its nodes (NaN where a node's group lacks it). Edges are read a chunk at a time
  /// (`SONATAEdgePopulation`).
  static func nodeColumns(_ population: HDF5Group, count: Int, file: String,
                          fail: (String, String) -> Void) -> [String: [Double]]? {
    let path = population.name
    let groupNames = population.memberNames.filter { population.isGroup($0) && Int($0) != nil }
    guard !groupNames.isEmpty else { return [:] }
    var groupIds = [Int](repeating: Int(groupNames[0])!, count: count)
    var rows = Array(0..<count)
    if population.contains("node_group_id") || groupNames.count > 1 {
      guard let ids = integers(population, "node_group_id", file: file, count: count, fail: fail),
            let stored = rowsInGroup(population, "node_group_index", file: file, count: count, groups: groupNames.count, fail: fail)
      else { return nil }
      groupIds = ids
      rows = stored
    }
    if let bad = groupIds.firstIndex(where: { !groupNames.contains(String($0)) }) {
      fail("\(path)/node_group_id", "node \(bad) is in group \(groupIds[bad]), which the population does not have (groups: \(groupNames.joined(separator: ", ")))")
      return nil
    }
    var columns: [String: [Double]] = [:]
    for groupName in groupNames {
      guard let group = try? population.openGroup(groupName), group.isGroup("dynamics_params"),
            let dynamics = try? group.openGroup("dynamics_params") else { continue }
      let members = (0..<count).filter { groupIds[$0] == Int(groupName)! }
      for name in dynamics.memberNames {
        guard let values = numbers(dynamics, name, file: file, fail: fail) else { return nil }
        if let bad = members.first(where: { rows[$0] >= values.count }) {
          fail("\(path)/node_group_index", "node \(bad) points at row \(rows[bad]) of group \(groupName), which has \(values.count) rows")
          return nil
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
          fail("\(dynamics.name)/\(name)", "row \(bad) is \(values[bad]), not a finite number")
          return nil
        }
        var column = columns[name] ?? [Double](repeating: .nan, count: count)
        for member in members { column[member] = values[rows[member]] }
        columns[name] = column
      }
    }
    return columns
  }

  /// The row of each element in its group (`node_group_index`, `edge_group_index`): as stored,
  /// except where PyNN 0.13's exporter wrote them as int16 past 32,767 rows, which wrapped or
  /// saturated; it writes one group, in order, so there the row is the element's position.
  static func rowsInGroup(_ group: HDF5Group, _ name: String, file: String, count: Int, groups: Int,
                          fail: (String, String) -> Void) -> [Int]? {
    guard let values = numbers(group, name, file: file, count: count, fail: fail) else { return nil }
    if mayWrapRows(groups: groups, count: count) && fitsInt16(values) { return Array(0..<count) }
    if let bad = firstNonIndex(values) {
      fail(group.name + "/" + name, "row \(bad) is \(values[bad]), not a row index (a non-negative integer)")
      return nil
    }
    return values.map { Int($0) }
  }
}
