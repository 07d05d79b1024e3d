import Fabric

/// An `ideal` system (a NeuroFabric feature, not a chip): neuron dynamics in Float64 without
/// resource limits, chips joined by a full crossbar of links with a fixed latency. Run a network
/// here and on a hardware system to see what the hardware does to it.
public struct IdealSystem: SystemDescription, Equatable {
  public var name: String
  /// Chips of the crossbar; each population is spread evenly over the live ones.
  public var chips: Int
  /// Integration step (bio ms); every chip steps on the grid k·dt from t = 0.
  public var dt: Double
  /// Chip-to-chip links: latency (bio ms; the lookahead of the distributed run), optional bandwidth and buffer.
  public var link: LinkParameters
  /// Bits of a spike packet on a link: an 8-bit control byte plus a 32-bit key, as SpiNNaker's
  /// multicast packets without payload (docs/hardware.md §3.4); only used when a bandwidth is set.
  public var packetBits: Int64
  public var deadChips: Set<Int>
  /// Dead directed links as (source chip, target chip).
  public var deadLinks: Set<ChipPair>
  /// Interval of the fabric counter time series (bio ms).
  public var counterInterval: Double

  public init(name: String = "ideal", chips: Int = 1, dt: Double = 0.1,
              link: LinkParameters = LinkParameters(latency: HardwareClock.hardwareTime(bioMilliseconds: 0.1)),
              packetBits: Int64 = 40, deadChips: Set<Int> = [], deadLinks: Set<ChipPair> = [], counterInterval: Double = 10) {
    self.name = name
    self.chips = chips
    self.dt = dt
    self.link = link
    self.packetBits = packetBits
    self.deadChips = deadChips
    self.deadLinks = deadLinks
    self.counterInterval = counterInterval
  }

  /// The ideal system runs in biological time.
  public var family: String { "ideal" }
  public var speedup: Double { 1 }

  public var stepTime: HardwareTime { HardwareClock.hardwareTime(bioMilliseconds: dt) }

  /// Chips that can host neurons, in index order.
  public var liveChips: [Int] { (0..<chips).filter { !deadChips.contains($0) } }

  /// Index of the crossbar link from chip `a` to chip `b` (a ≠ b): links are numbered source-major.
  @inline(__always)
  public func link(from a: Int, to b: Int) -> Int {
    a * (chips - 1) + (b < a ? b : b - 1)
  }

  /// The crossbar: one link each way between every pair of chips, with the dead ones marked.
  public func makeFabric() -> Fabric {
    var links: [(source: Int, target: Int, parameters: LinkParameters)] = []
    var dead = Set<Int>()
    for a in 0..<chips {
      for b in 0..<chips where b != a {
        if deadLinks.contains(ChipPair(a, b)) { dead.insert(links.count) }
        links.append((a, b, link))
      }
    }
    return Fabric(routerCount: chips, links: links, packetBits: packetBits, deadLinks: dead, deadRouters: deadChips)
  }
}

/// A directed pair of chips.
public struct ChipPair: Hashable, Sendable {
  public var source: Int
  public var target: Int
  public init(_ source: Int, _ target: Int) {
    self.source = source
    self.target = target
  }
}
