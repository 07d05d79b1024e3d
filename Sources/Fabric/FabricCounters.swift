/// Counters of every link and router (docs/design-notes.md §7), in structure-of-arrays form.
public struct FabricCounters: Sendable, Equatable {
  /// Bins of the transit-time histogram: bin b counts transits in [2^(b-1), 2^b) ns (bin 0: < 1 ns).
  public static let latencyBins = 32

  public var packets: [UInt64]
  public var bits: [UInt64]
  /// One array per `DropCause`, indexed by link.
  public var drops: [[UInt64]]
  public var maxQueue: [UInt32]
  /// `latencyBins` counts per link, link-major.
  public var latencyHistogram: [UInt64]
  /// Packets each router took from its chip, and packets lost on its outgoing links.
  public var routerPackets: [UInt64]
  public var routerDrops: [UInt64]

  public init(links: Int, routers: Int) {
    packets = Array(repeating: 0, count: links)
    bits = Array(repeating: 0, count: links)
    drops = DropCause.allCases.map { _ in Array(repeating: 0, count: links) }
    maxQueue = Array(repeating: 0, count: links)
    latencyHistogram = Array(repeating: 0, count: links * Self.latencyBins)
    routerPackets = Array(repeating: 0, count: routers)
    routerDrops = Array(repeating: 0, count: routers)
  }

  @inline(__always)
  mutating func record(link: Int, bits packetBits: Int64, transit: HardwareTime) {
    packets[link] &+= 1
    bits[link] &+= UInt64(packetBits)
    let nanoseconds = UInt64(max(0, transit / 1000))
    let bin = min(Self.latencyBins - 1, UInt64.bitWidth - nanoseconds.leadingZeroBitCount)
    latencyHistogram[link * Self.latencyBins + bin] &+= 1
  }

  /// Drops of `link` over all causes.
  public func totalDrops(link: Int) -> UInt64 {
    drops.reduce(0) { $0 + $1[link] }
  }
}
