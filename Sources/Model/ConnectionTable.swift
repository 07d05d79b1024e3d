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
  /// Visits every connection whose target (post index) lies in `targets` (ascending, disjoint
  /// ranges: `TargetRanges`), in file order: (pre index, post index, weight, delay).
  func forEach(targets: TargetRanges,
               _ body: (_ pre: Int, _ post: Int, _ weight: Double, _ delay: Double) -> Void) throws(ConnectionTableError)
}

/// Targets as ascending, disjoint ranges of post indices: what one rank hosts of a population.
public struct TargetRanges: Sendable, Equatable {
  public let ranges: [Range<Int>]

  /// Sorts `ranges` and merges those that overlap or touch; empty ones are dropped.
  public init(_ ranges: [Range<Int>]) {
    var merged: [Range<Int>] = []
    for r in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, r.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
      } else {
        merged.append(r)
      }
    }
    self.ranges = merged
  }

  /// The index of the first range that ends after `index`.
  private func firstEnding(after index: Int) -> Int {
    var lo = 0, hi = ranges.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if ranges[mid].upperBound <= index { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  @inline(__always)
  public func contains(_ index: Int) -> Bool {
    let i = firstEnding(after: index)
    return i < ranges.count && ranges[i].lowerBound <= index
  }

  /// Whether some target lies in `span`.
  public func overlaps(_ span: ClosedRange<Int>) -> Bool {
    let i = firstEnding(after: span.lowerBound)
    return i < ranges.count && ranges[i].lowerBound <= span.upperBound
  }
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
      try connections.table.forEach(targets: TargetRanges([0..<connections.table.postSize])) { pre, post, _, _ in body(pre, post) }
    default:
      break
    }
  }
}
