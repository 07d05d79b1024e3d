/// One explicit connection of a `from_list` connector (weight and delay override the projection's).
public struct ListConnection: Sendable, Equatable {
  public var pre: Int
  public var post: Int
  public var weight: Double?
  public var delay: Double?

  public init(pre: Int, post: Int, weight: Double? = nil, delay: Double? = nil) {
    self.pre = pre
    self.post = post
    self.weight = weight
    self.delay = delay
  }
}

/// The rule that decides which cells of the pre population connect to which of the post (PyNN's connectors).
public enum Connector: Sendable, Equatable {
  case allToAll
  case oneToOne
  /// Each pair independently with probability p.
  case fixedProbability(Double)
  /// Every target gets exactly k sources; `multapses` allows a source more than once (NEST's default).
  case fixedIndegree(Int, multapses: Bool)
  /// Every source gets exactly k targets.
  case fixedOutdegree(Int, multapses: Bool)
  case fromList([ListConnection])
  /// Explicit connections read from a file in pieces (a SONATA edge population), never held whole.
  case stored(StoredConnections)

  /// The name used in network files.
  public var name: String {
    switch self {
    case .allToAll: return "all_to_all"
    case .oneToOne: return "one_to_one"
    case .fixedProbability: return "fixed_probability"
    case .fixedIndegree: return "fixed_indegree"
    case .fixedOutdegree: return "fixed_outdegree"
    case .fromList: return "from_list"
    case .stored: return "from_file"
    }
  }

  public var summary: String {
    switch self {
    case .allToAll, .oneToOne: return name
    case let .fixedProbability(p): return "\(name)(p=\(p))"
    case let .fixedIndegree(k, m), let .fixedOutdegree(k, m): return "\(name)(k=\(k)\(m ? "" : ", no multapses"))"
    case let .fromList(list): return "\(name)(\(list.count))"
    case let .stored(connections): return "\(name)(\(connections.table.count) in \(connections.table.location))"
    }
  }

  /// The names network files may give (stored connections come from SONATA circuits only).
  public static let names = ["all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "fixed_outdegree", "from_list"]
}
