import Model

/// Turns the edges of one edge population into connections of the network: each end's node id to
/// a population and index, and the weight (in PyNN's units, times `nsyns`), delay and receptor
/// from the edge's own values or its edge type. The import resolves every edge once to check it
/// and build the projections; a rank resolves again the edges onto its targets.
struct SONATAEdgeResolver: Sendable {
  /// Node id → population and index, for one end of the edges.
  struct NodeLookup: Sendable {
    /// Ids base..<base + dense.count: (population << 32 | index), or -1 where the id is no node.
    var base = 0
    var dense: [Int64] = []
    /// Ids outside that range.
    var sparse: [Int: Int64] = [:]

    /// A table for ids in `span` (PyNN's global ids are one run of ids per population): an array
    /// where the span is not much wider than the nodes, else a dictionary.
    init(span: ClosedRange<Int>?, nodes: Int) {
      guard let span, span.count <= 4 * nodes + 1024 else { return }
      base = span.lowerBound
      dense = Array(repeating: -1, count: span.count)
    }

    func callAsFunction(_ id: Int) -> (population: Int, index: Int)? {
      let i = id - base
      let packed = i >= 0 && i < dense.count ? dense[i] : sparse[id] ?? -1
      return packed < 0 ? nil : (Int(packed >> 32), Int(packed & 0xFFFF_FFFF))
    }

    /// Adds a node; the first node added with an id keeps it.
    mutating func add(id: Int, population: Int, index: Int) {
      let packed = Int64(population) << 32 | Int64(index), i = id - base
      if i >= 0 && i < dense.count {
        if dense[i] < 0 { dense[i] = packed }
      } else if sparse[id] == nil {
        sparse[id] = packed
      }
    }
  }

  /// What an edge type gives its edges where they give nothing of their own.
  struct EdgeType: Sendable {
    var receptor: Receptor?
    var weight: Double?
    var delay: Double?
    var multiplicity: Double?
  }

  /// One edge as the network sees it; `weight` is ≥ 0 (the receptor gives the sign).
  struct Connection {
    var pre: Int
    var preIndex: Int
    var post: Int
    var postIndex: Int
    var receptor: Receptor
    var weight: Double
    var delay: Double
  }

  let edges: SONATAEdgePopulation
  let sources: NodeLookup
  let targets: NodeLookup
  /// Populations of the network: labels, whether each is a spike source, and the factor onto
  /// PyNN units of its incoming weights.
  let labels: [String]
  let isSource: [Bool]
  let weightScale: [Double]
  var edgeTypes: [Int: EdgeType] = [:]
  /// Names of the node populations, for errors about ids that are in none.
  let nodePopulations: [String]

  /// The connection of every edge of `chunk`, in order; their edge types must be in `edgeTypes`.
  func forEachConnection(in chunk: SONATAEdgePopulation.Chunk,
                         _ body: (Connection) throws(SONATAFileErrors) -> Void) throws(SONATAFileErrors) {
    var typeId = -1, type = EdgeType()
    for i in 0..<chunk.range.count {
      if chunk.typeIds[i] != typeId {
        typeId = chunk.typeIds[i]
        guard let known = edgeTypes[typeId] else {
          throw SONATAConfig.error(edges.file, "\(edges.path)/edge_type_id", "edge \(chunk.range.lowerBound + i): edge type \(typeId) is not among those the import read (has the file changed?)")
        }
        type = known
      }
      try body(resolve(chunk, i, type: type))
    }
  }

  private func resolve(_ chunk: SONATAEdgePopulation.Chunk, _ i: Int, type: EdgeType) throws(SONATAFileErrors) -> Connection {
    let e = chunk.range.lowerBound + i, path = edges.path
    func fail(_ key: String, _ message: String) -> SONATAFileErrors { SONATAConfig.error(edges.file, key, message) }
    guard let source = sources(chunk.sources[i]) else {
      throw fail("\(path)/source_node_id", "edge \(e): node id \(chunk.sources[i]) is not in node population '\(edges.sourcePopulation)'\(nodePopulations.contains(edges.sourcePopulation) ? "" : " (no such population: \(nodePopulations.joined(separator: ", ")))")")
    }
    guard let target = targets(chunk.targets[i]) else {
      throw fail("\(path)/target_node_id", "edge \(e): node id \(chunk.targets[i]) is not in node population '\(edges.targetPopulation)'\(nodePopulations.contains(edges.targetPopulation) ? "" : " (no such population: \(nodePopulations.joined(separator: ", ")))")")
    }
    guard !isSource[target.population] else {
      throw fail("\(path)/target_node_id", "edge \(e) ends on '\(labels[target.population])', a virtual population (spike sources receive no synapses)")
    }
    func own(_ column: [Double]?) -> Double? { column.flatMap { $0[i].isNaN ? nil : $0[i] } }
    guard var weight = own(chunk.weights) ?? type.weight else {
      throw fail(path, "edge \(e) has no weight: give syn_weight (or dynamics_params/weight) per edge or in its edge type")
    }
    guard let delay = own(chunk.delays) ?? type.delay else {
      throw fail(path, "edge \(e) has no delay: give delay per edge or in its edge type")
    }
    guard delay > 0 && delay <= Network.maximumDelay else {
      throw fail(path, "edge \(e): delay \(delay) ms is not in (0, \(Network.maximumDelay)] ms")
    }
    let count = own(chunk.multiplicity) ?? type.multiplicity ?? 1
    guard count >= 0 && count.rounded() == count else {
      throw fail("\(path)/0/nsyns", "edge \(e): \(count) is not a number of synapses (a whole number ≥ 0)")
    }
    weight *= count * weightScale[target.population]
    guard abs(weight) <= Network.maximumWeight else {
      throw fail(path, "edge \(e): weight \(weight) is beyond ±\(Network.maximumWeight)")
    }
    let receptor: Receptor
    switch (type.receptor, weight < 0) {
    case (.excitatory?, true):
      throw fail(path, "edge \(e): weight \(weight) is negative but its edge type's receptor_type is excitatory")
    case let (given?, _): receptor = given
    case (nil, true): receptor = .inhibitory
    case (nil, false): receptor = .excitatory
    }
    return Connection(pre: source.population, preIndex: source.index, post: target.population, postIndex: target.index,
                      receptor: receptor, weight: abs(weight), delay: delay)
  }
}
