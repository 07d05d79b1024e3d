import Model

extension NIRNetworkBuilder {
  /// Adds the nodes and edges of `graph`; returns, per node name, the flat node an edge into it
  /// reaches and the one an edge out of it leaves (a nested graph's Input and Output).
  @discardableResult
  mutating func flatten(_ graph: NIRGraph, prefix: String, top: Bool) -> [String: (into: Int?, out: Int?)] {
    var ends: [String: (into: Int?, out: Int?)] = [:]
    for node in graph.nodes {
      let label = prefix + node.name
      if let subgraph = node.graph {
        let inner = flatten(subgraph, prefix: label + ".", top: false)
        let inputs = subgraph.nodes.filter { $0.type == "Input" }, outputs = subgraph.nodes.filter { $0.type == "Output" }
        ends[node.name] = (inputs.count == 1 ? inner[inputs[0].name]?.into : nil, outputs.count == 1 ? inner[outputs[0].name]?.out : nil)
        continue
      }
      let role: Role
      switch node.type {
      case "Input": role = top ? .source : .linear(passes: true)
      case "Output": role = top ? .sink : .linear(passes: true)
      case "Affine", "Linear", "Scale", "Conv2d", "SumPool2d", "AvgPool2d": role = .linear(passes: false)
      case "Flatten": role = .linear(passes: true)
      case "Delay": role = .delay
      default:
        if let kind = NIRNeuron.Kind(rawValue: node.type) {
          role = .neuron(kind)
        } else if NIRImporter.unsupportedTypes.contains(node.type) {
          fail(node.path, "NIR \(node.type) nodes are not supported yet (supported: \(NIRImporter.supportedTypes.joined(separator: ", ")))")
          continue
        } else {
          fail(node.path, "unknown NIR node type '\(node.type)' (supported: \(NIRImporter.supportedTypes.joined(separator: ", ")))")
          continue
        }
      }
      nodes.append(Node(label: label, node: node, role: role))
      ends[node.name] = (nodes.count - 1, nodes.count - 1)
    }
    let names = graph.nodes.map(\.name).joined(separator: ", ")
    for edge in graph.edges {
      let key = "\(graph.path)/edges[\(edge.index)]"
      guard let source = ends[edge.source] else {
        if graph.node(edge.source) == nil { fail(key, "'\(edge.source)' -> '\(edge.target)': no node '\(edge.source)' (nodes: \(names))") }
        continue
      }
      guard let target = ends[edge.target] else {
        if graph.node(edge.target) == nil { fail(key, "'\(edge.source)' -> '\(edge.target)': no node '\(edge.target)' (nodes: \(names))") }
        continue
      }
      guard let from = source.out else {
        fail(key, "'\(edge.source)' is a nested graph without exactly one Output node: the edge cannot leave it")
        continue
      }
      guard let to = target.into else {
        fail(key, "'\(edge.target)' is a nested graph without exactly one Input node: the edge cannot enter it")
        continue
      }
      if nodes[to].role == .source { fail(key, "'\(edge.target)' is an Input of the graph: nothing can feed it") }
      if nodes[from].role == .sink { fail(key, "'\(edge.source)' is an Output of the graph: it feeds nothing") }
      edges.append(Edge(from: from, to: to, key: key))
    }
    return ends
  }
}
