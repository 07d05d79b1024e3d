import Fabric

extension Fabric {
  /// The `/fabric/links` columns every family writes for `links`, in that order: ends, packets,
  /// bits, drops per cause and the deepest queue.
  func linkColumns(_ links: [Int]) -> [(name: String, values: [UInt64])] {
    var columns: [(name: String, values: [UInt64])] = [
      ("source", links.map { UInt64(linkSource[$0]) }),
      ("target", links.map { UInt64(linkTarget[$0]) }),
      ("packets", links.map { counters.packets[$0] }),
      ("bits", links.map { counters.bits[$0] }),
    ]
    for cause in DropCause.allCases { columns.append(("drops_\(cause.name)", links.map { counters.drops[cause.rawValue][$0] })) }
    columns.append(("max_queue", links.map { UInt64(counters.maxQueue[$0]) }))
    return columns
  }

  /// The transit-time histograms of `links`, bins × links, row-major.
  func latencyHistogram(_ links: [Int]) -> [UInt64] {
    let bins = FabricCounters.latencyBins
    return (0..<bins).flatMap { b in links.map { counters.latencyHistogram[$0 * bins + b] } }
  }
}

/// The rows of `/fabric/series`: packets and drops of some links of a `Fabric` in each interval.
struct LinkSeries {
  /// What one link costs a rank in memory: its series state and the totals of its trace row
  /// (counters and latency histogram), for the runs' memory estimates.
  static let bytesPerLink = Double(3 * 8 + (7 + FabricCounters.latencyBins) * 8)

  let links: [Int]
  private var totals: CounterSeries

  init(links: [Int]) {
    self.links = links
    totals = CounterSeries(links: links.count)
  }

  /// Packets and drops per link since the previous row.
  mutating func row(_ counters: FabricCounters) -> (packets: [UInt64], drops: [UInt64]) {
    totals.row(packets: links.map { counters.packets[$0] }, drops: links.map { counters.totalDrops(link: $0) })
  }
}

/// Rows of `/fabric/series` from running totals: each row holds what every link carried and dropped
/// since the previous row (for families that keep their own counters instead of a `Fabric`).
struct CounterSeries {
  private var packets: [UInt64]
  private var drops: [UInt64]

  init(links: Int) {
    packets = Array(repeating: 0, count: links)
    drops = packets
  }

  mutating func row(packets now: [UInt64], drops dropped: [UInt64]) -> (packets: [UInt64], drops: [UInt64]) {
    defer { packets = now; drops = dropped }
    return (zip(now, packets).map { $0 - $1 }, zip(dropped, drops).map { $0 - $1 })
  }
}
