/// Where a router sends a packet: a bit per outgoing link and a bit per processing element
/// (SpiNNaker's route word: links [5:0], one bit per core from bit 6; docs/hardware.md §3.5). Up to
/// 192 processing elements.
public struct Route: Hashable, Sendable, Comparable, Codable {
  public var links: UInt8 = 0
  public var pes: (UInt64, UInt64, UInt64) = (0, 0, 0)

  public init() {}

  public mutating func addLink(_ l: Int) { links |= 1 << UInt8(l) }

  public mutating func addPE(_ pe: Int) {
    switch pe >> 6 {
    case 0: pes.0 |= 1 << UInt64(pe & 63)
    case 1: pes.1 |= 1 << UInt64(pe & 63)
    default: pes.2 |= 1 << UInt64(pe & 63)
    }
  }

  public var hasPEs: Bool { pes.0 | pes.1 | pes.2 != 0 }

  /// Processing elements in the route, ascending.
  public var peList: [Int] {
    var list: [Int] = []
    for (w, word) in [pes.0, pes.1, pes.2].enumerated() {
      var bits = word
      while bits != 0 {
        list.append(w * 64 + bits.trailingZeroBitCount)
        bits &= bits - 1
      }
    }
    return list
  }

  public static func == (a: Route, b: Route) -> Bool {
    a.links == b.links && a.pes.0 == b.pes.0 && a.pes.1 == b.pes.1 && a.pes.2 == b.pes.2
  }

  public func hash(into h: inout Hasher) {
    h.combine(links)
    h.combine(pes.0)
    h.combine(pes.1)
    h.combine(pes.2)
  }

  public static func < (a: Route, b: Route) -> Bool {
    (a.links, a.pes.0, a.pes.1, a.pes.2) < (b.links, b.pes.0, b.pes.1, b.pes.2)
  }

  /// Coded as the four words [links, pes 0–63, 64–127, 128–191].
  public init(from decoder: Decoder) throws {
    var words = try decoder.unkeyedContainer()
    links = try words.decode(UInt8.self)
    pes = (try words.decode(UInt64.self), try words.decode(UInt64.self), try words.decode(UInt64.self))
    guard words.isAtEnd else {
      throw DecodingError.dataCorruptedError(in: words, debugDescription: "a route is 4 words (links and three PE masks), this one has \(words.count.map(String.init) ?? "more")")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var words = encoder.unkeyedContainer()
    try words.encode(links)
    try words.encode(pes.0)
    try words.encode(pes.1)
    try words.encode(pes.2)
  }
}

/// One multicast table entry: a packet whose key satisfies `key & mask == self.key` takes `route`.
public struct RoutingEntry: Sendable, Equatable, Codable {
  public var key: UInt32
  public var mask: UInt32
  public var route: Route

  public init(key: UInt32, mask: UInt32, route: Route) {
    self.key = key
    self.mask = mask
    self.route = route
  }

  @inline(__always)
  public func matches(_ k: UInt32) -> Bool { k & mask == key }

  /// Whether some key matches both entries.
  @inline(__always)
  public func overlaps(_ other: RoutingEntry) -> Bool { (key ^ other.key) & mask & other.mask == 0 }
}

/// A chip's multicast routing table: first (lowest index) match wins; a packet that matches
/// nothing is default-routed straight on, or dropped if it was sent on this chip.
public struct RoutingTable: Sendable, Equatable, Codable {
  public var entries: [RoutingEntry]

  public init(entries: [RoutingEntry] = []) { self.entries = entries }

  public func lookup(_ key: UInt32) -> Route? {
    for entry in entries where entry.matches(key) { return entry.route }
    return nil
  }
}
