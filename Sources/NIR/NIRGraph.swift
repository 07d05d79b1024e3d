import Traces

/// A NIR graph as its file stores it (`nir.write`, NIR's serialization.py): nodes by name, each with
/// its type and its parameter datasets, and edges between node names. Nested graphs keep their
/// own nodes and edges. Names and paths are the file's, for error messages.
public struct NIRGraph: Sendable, Equatable {
  /// The HDF5 group of the graph, e.g. "/node" or "/node/nodes/rsnn".
  public var path: String
  /// The nodes in the file's (name) order.
  public var nodes: [NIRNode]
  public var edges: [NIREdge]

  public init(path: String, nodes: [NIRNode], edges: [NIREdge]) {
    self.path = path
    self.nodes = nodes
    self.edges = edges
  }

  public func node(_ name: String) -> NIRNode? { nodes.first { $0.name == name } }
}

/// One node: its NIR type ("Affine", "CubaLIF", …), parameters, and the subgraph of a NIRGraph node.
public struct NIRNode: Sendable, Equatable {
  public var name: String
  public var path: String
  public var type: String
  public var fields: [String: HDF5Array]
  public var graph: NIRGraph?

  public init(name: String, path: String, type: String, fields: [String: HDF5Array] = [:], graph: NIRGraph? = nil) {
    self.name = name
    self.path = path
    self.type = type
    self.fields = fields
    self.graph = graph
  }
}

/// An edge of a graph: the output of `source` is summed into the input of `target`.
public struct NIREdge: Sendable, Equatable {
  public var source: String
  public var target: String
  /// Row of the graph's `edges` dataset.
  public var index: Int

  public init(source: String, target: String, index: Int) {
    self.source = source
    self.target = target
    self.index = index
  }
}
