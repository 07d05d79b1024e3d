/// An undirected graph with weighted edges in CSR form (each edge stored at both ends), as graph
/// partitioners take it.
public struct WeightedGraph: Sendable {
  public let offsets: [Int]
  public let neighbours: [Int]
  public let weights: [Double]

  public var vertexCount: Int { offsets.count - 1 }

  public func edges(of v: Int) -> Range<Int> { offsets[v]..<offsets[v + 1] }

  /// From directed weighted edges: the two directions of a pair add up, self-loops are dropped.
  public init(vertices: Int, edges: [(from: Int, to: Int, weight: Double)]) {
    var lists = [[(Int, Double)]](repeating: [], count: vertices)
    for e in edges where e.from != e.to {
      lists[e.from].append((e.to, e.weight))
      lists[e.to].append((e.from, e.weight))
    }
    var offsets = [0], neighbours: [Int] = [], weights: [Double] = []
    for var list in lists {
      list.sort { $0.0 < $1.0 }
      for (v, w) in list {
        if neighbours.count > offsets.last!, neighbours.last == v { weights[weights.count - 1] += w } else {
          neighbours.append(v)
          weights.append(w)
        }
      }
      offsets.append(neighbours.count)
    }
    self.offsets = offsets
    self.neighbours = neighbours
    self.weights = weights
  }
}

extension SliceGraph {
  /// The slice graph made undirected, weighted by the expected packets per second between slices.
  public var undirected: WeightedGraph {
    var edges: [(from: Int, to: Int, weight: Double)] = []
    edges.reserveCapacity(targets.count)
    for s in 0..<count {
      for e in self.edges(of: s) { edges.append((s, targets[e], packets[e])) }
    }
    return WeightedGraph(vertices: count, edges: edges)
  }
}
