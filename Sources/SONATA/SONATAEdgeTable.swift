import Model

/// The edges of one edge population that connect one pair of populations through one receptor
/// (one projection), read from the edges file when asked: the import keeps their count, bounds, a
/// digest and, per chunk of the file, the range of targets they reach, so that a rank reads only
/// the chunks that hold edges onto its targets (all of them where the file is not sorted by target).
struct SONATAEdgeTable: ConnectionTable {
  let resolver: SONATAEdgeResolver
  let pre: Int
  let post: Int
  let receptor: Receptor
  let count: Int
  let preSize: Int
  let postSize: Int
  let delays: ClosedRange<Double>
  let weights: ClosedRange<Double>
  /// Per chunk of the edge population: the smallest and largest post index of this table's edges (nil: none).
  let zones: [ClosedRange<Int>?]
  let digest: UInt64

  var location: String {
    "\(resolver.edges.file) \(resolver.edges.path) (\(resolver.labels[pre]) → \(resolver.labels[post]), \(receptor.rawValue))"
  }

  var identity: String { "\(location): \(count) edges, digest \(String(digest, radix: 16))" }

  func forEach(targets: TargetRanges,
               _ body: (_ pre: Int, _ post: Int, _ weight: Double, _ delay: Double) -> Void) throws(ConnectionTableError) {
    do {
      try resolver.edges.read(chunks: { c in zones[c].map(targets.overlaps) ?? false }) { chunk throws(SONATAFileErrors) in
        try resolver.forEachConnection(in: chunk) { c throws(SONATAFileErrors) in
          if c.post == post, c.pre == pre, c.receptor == receptor, targets.contains(c.postIndex) {
            body(c.preIndex, c.postIndex, c.weight, c.delay)
          }
        }
      }
    } catch {
      throw ConnectionTableError(location: location, message: "cannot be read again as the import read it (was the file changed?): "
        + SONATAData.message(error, file: resolver.edges.file))
    }
  }
}

/// What the import's pass over an edge population learns about each table it holds.
struct SONATAEdgeTableSummary {
  var count = 0
  var first: (weight: Double, delay: Double) = (0, 0)
  var delays: (Double, Double) = (.infinity, -.infinity)
  var weights: (Double, Double) = (.infinity, -.infinity)
  var zones: [ClosedRange<Int>?]
  var digest: UInt64 = 0xcbf2_9ce4_8422_2325

  init(chunks: Int) {
    zones = Array(repeating: nil, count: chunks)
  }

  mutating func add(_ c: SONATAEdgeResolver.Connection, chunk: Int) {
    if count == 0 { first = (c.weight, c.delay) }
    count += 1
    delays = (min(delays.0, c.delay), max(delays.1, c.delay))
    weights = (min(weights.0, c.weight), max(weights.1, c.weight))
    zones[chunk] = zones[chunk].map { min($0.lowerBound, c.postIndex)...max($0.upperBound, c.postIndex) } ?? c.postIndex...c.postIndex
    @inline(__always) func mix(_ word: UInt64) { digest = (digest ^ word) &* 0x100_0000_01b3 }
    mix(UInt64(c.preIndex))
    mix(UInt64(c.postIndex))
    mix(c.weight.bitPattern)
    mix(c.delay.bitPattern)
  }

  func table(_ resolver: SONATAEdgeResolver, pre: Int, post: Int, receptor: Receptor, sizes: [Int]) -> SONATAEdgeTable {
    SONATAEdgeTable(resolver: resolver, pre: pre, post: post, receptor: receptor, count: count, preSize: sizes[pre], postSize: sizes[post],
                    delays: count == 0 ? 0...0 : delays.0...delays.1, weights: count == 0 ? 0...0 : weights.0...weights.1,
                    zones: zones, digest: digest)
  }
}
