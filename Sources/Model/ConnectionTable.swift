/// Explicit connections kept in a file instead of the network description (a SONATA edge
/// population), read in pieces: the importer checks every connection and keeps only this summary;
/// a rank reads the connections onto the targets it hosts when it builds its synapses, and the
/// mapper streams them once to see which slices reach which.
public protocol ConnectionTable: Sendable {
  /// Where the connections are (file, population and selection), for reports and errors.
  var location: String { get }
  /// What identifies the contents: `location` and a digest of every connection read at import.
  var identity: String { get }
  var count: Int { get }
  /// Sizes of the pre and post population the indices refer to.
  var preSize: Int { get }
  var postSize: Int { get }
  /// Smallest and largest delay (ms) and weight over all connections (bounds of an empty table: 0).
  var delays: ClosedRange<Double> { get }
  var weights: ClosedRange<Double> { get }
  /// Visits every connection whose target (post index) lies in `targets`, in file order:
  /// (pre index, post index, weight, delay).
  func forEach(targets: Range<Int>,
               _ body: (_ pre: Int, _ post: Int, _ weight: Double, _ delay: Double) -> Void) throws(ConnectionTableError)
}

/// A connection table that cannot be read any more as the import read it (moved, changed, unreadable).
public struct ConnectionTableError: Error, CustomStringConvertible, Equatable {
  public var location: String
  public var message: String

  public init(location: String, message: String) {
    self.location = location
    self.message = message
  }

  public var description: String { "\(location): \(message)" }
}

/// A connection table inside a network description: equal when their identities are.
public struct StoredConnections: Sendable, Equatable, CustomDebugStringConvertible {
  public let table: any ConnectionTable

  public init(_ table: any ConnectionTable) {
    self.table = table
  }

  public static func == (a: StoredConnections, b: StoredConnections) -> Bool { a.table.identity == b.table.identity }

  /// The identity: what a mapping file's network digest covers.
  public var debugDescription: String { table.identity }
}

extension Connector {
  /// Visits every (pre, post) pair of a `from_list` or stored connector, in its order; other
  /// connectors have no explicit pairs and visit nothing.
  public func forEachExplicitPair(_ body: (_ pre: Int, _ post: Int) -> Void) throws(ConnectionTableError) {
    switch self {
    case let .fromList(list):
      for c in list { body(c.pre, c.post) }
    case let .stored(connections):
      try connections.table.forEach(targets: 0..<connections.table.postSize) { pre, post, _, _ in body(pre, post) }
    default:
      break
    }
  }
}
