/// What the mapper needs to know about a projection without generating it.
public struct ProjectionStatistics: Sendable, Equatable {
  public var label: String
  public var preSize: Int
  public var postSize: Int
  /// Expected number of synapses (exact for every connector but `fixed_probability`).
  public var expectedSynapses: Double
  public var meanInDegree: Double { postSize == 0 ? 0 : expectedSynapses / Double(postSize) }
  public var meanOutDegree: Double { preSize == 0 ? 0 : expectedSynapses / Double(preSize) }
}

extension Network {
  /// Expected synapse counts and degrees of every projection (the network must be valid).
  public func projectionStatistics() -> [ProjectionStatistics] {
    projections.map { projection in
      let nPre = populations[populationIndex(projection.pre)!].size
      let nPost = populations[populationIndex(projection.post)!].size
      let selfExcluded = !projection.allowAutapses && projection.pre == projection.post
      let pairs = Double(nPre * nPost - (selfExcluded ? nPost : 0))
      let count: Double
      switch projection.connector {
      case .allToAll: count = pairs
      case .oneToOne: count = selfExcluded ? 0 : Double(min(nPre, nPost))
      case let .fixedProbability(p): count = p * pairs
      case let .fixedIndegree(k, _): count = Double(k) * Double(nPost)
      case let .fixedOutdegree(k, _): count = Double(k) * Double(nPre)
      case let .fromList(list): count = Double(list.count)
      case let .stored(connections): count = Double(connections.table.count)
      }
      return ProjectionStatistics(label: projection.label, preSize: nPre, postSize: nPost, expectedSynapses: count)
    }
  }

  /// Expected total number of synapses.
  public var expectedSynapseCount: Double {
    projectionStatistics().reduce(0) { $0 + $1.expectedSynapses }
  }
}
