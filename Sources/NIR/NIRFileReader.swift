import Model
import Traces

/// Reads the HDF5 layout `nir.write` produces: `/node` is the top graph, a group with a `type`
/// dataset ("NIRGraph"), an (E, 2) string dataset `edges` and a group `nodes` with one group per node;
/// a node holds `type` and one dataset per parameter; a nested graph nests the same layout.
/// `metadata` groups are skipped; NIR stores no attributes in a graph file.
public enum NIRFileReader {
  /// The most numbers one dataset may hold (512 MiB as Double): a file that claims more is refused
  /// before anything is allocated.
  public static let elementLimit = 1 << 26

  public static func read(path: String) throws(NIRFileErrors) -> NIRGraph {
    func failure(_ key: String, _ message: String) -> NIRFileErrors {
      NIRFileErrors([NIRFileError(file: path, line: 0, key: key, message: message)])
    }
    do {
      let root = try HDF5File.open(path).root()
      guard root.isGroup("node") else {
        let kind = (try? root.stringAttribute("__type__"))?.first.map { " (it holds NIR's \($0): recorded data, not a graph)" } ?? ""
        throw failure("/node", "not a NIR graph: the file has no group /node (what nir.write writes)\(kind)")
      }
      let top = try root.openGroup("node")
      guard case let .strings(_, type)? = try? top.readArray("type", limit: 1), type == ["NIRGraph"] else {
        throw failure("/node/type", "missing or not 'NIRGraph': the top node of a NIR file is its graph")
      }
      var errors: [NIRFileError] = []
      let graph = readGraph(top, file: path, depth: 0, errors: &errors)
      guard errors.isEmpty else { throw NIRFileErrors(errors) }
      return graph
    } catch let error as NIRFileErrors {
      throw error
    } catch {
      throw failure("", "\(error)".replacingPrefix(path + ": "))
    }
  }

  /// How deep graphs may nest (a link back to an enclosing group would nest them without end).
  public static let nestingLimit = 32

  private static func readGraph(_ group: HDF5Group, file: String, depth: Int, errors: inout [NIRFileError]) -> NIRGraph {
    func fail(_ key: String, _ message: String) { errors.append(NIRFileError(file: file, line: 0, key: key, message: message)) }
    guard depth < nestingLimit else {
      fail(group.name, "graphs nested more than \(nestingLimit) deep (a link back to an enclosing graph?)")
      return NIRGraph(path: group.name, nodes: [], edges: [])
    }
    var edges: [NIREdge] = []
    let edgesPath = group.name + "/edges"
    if !group.contains("edges") {
      fail(edgesPath, "missing dataset: a NIRGraph lists its edges as (source, target) name pairs")
    } else if let array = try? group.readArray("edges", limit: elementLimit) {
      switch array {
      case let .strings(shape, values) where (shape.count == 2 && shape[1] == 2) || values.isEmpty:
        edges = stride(from: 0, to: values.count, by: 2).map { NIREdge(source: values[$0], target: values[$0 + 1], index: $0 / 2) }
      default:
        fail(edgesPath, "expected (E, 2) strings (source, target), got \(array.summary)")
      }
    } else {
      fail(edgesPath, "unreadable dataset")
    }
    var nodes: [NIRNode] = []
    guard group.isGroup("nodes"), let members = try? group.openGroup("nodes") else {
      fail(group.name + "/nodes", "missing group: a NIRGraph holds its nodes in the group 'nodes'")
      return NIRGraph(path: group.name, nodes: [], edges: edges)
    }
    for name in members.memberNames {
      let path = members.name + "/" + name
      guard members.isGroup(name), let node = try? members.openGroup(name) else {
        fail(path, "expected a node group, found a dataset")
        continue
      }
      guard node.contains("type"), case let .strings(_, values)? = try? node.readArray("type", limit: 1), values.count == 1 else {
        fail(path + "/type", "missing or not a string: every NIR node names its type")
        continue
      }
      let type = values[0]
      if type == "NIRGraph" {
        nodes.append(NIRNode(name: name, path: path, type: type, graph: readGraph(node, file: file, depth: depth + 1, errors: &errors)))
        continue
      }
      var fields: [String: HDF5Array] = [:]
      for field in node.memberNames where field != "type" && !node.isGroup(field) {
        do {
          fields[field] = try node.readArray(field, limit: elementLimit)
        } catch {
          fail(path + "/" + field, "\(error)".replacingPrefix(file + ": "))
        }
      }
      nodes.append(NIRNode(name: name, path: path, type: type, fields: fields))
    }
    return NIRGraph(path: group.name, nodes: nodes, edges: edges)
  }
}

extension String {
  func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
