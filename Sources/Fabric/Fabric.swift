/// The routing fabric of a system (docs/design-notes.md §7): routers (one per chip here) joined by
/// directed links with latency, bandwidth, a buffer and a full-buffer policy, with the counters
/// of every link and router. Routing itself is the family's: it picks the links, the fabric
/// carries packets over them.
///
/// A rank keeps the whole fabric description but only touches the links whose source router it
/// owns, in the order of their packets' times, so counters do not depend on the rank count.
public struct Fabric: Sendable {
  public let routerCount: Int
  public let linkSource: [Int32]
  public let linkTarget: [Int32]
  public let parameters: [LinkParameters]
  /// Bits of one packet on the wire (key plus header).
  public let packetBits: Int64
  public var deadLink: [Bool]
  public var deadRouter: [Bool]

  public private(set) var counters: FabricCounters
  /// When each link finishes its current transmission.
  private var busyUntil: [HardwareTime]
  /// Transmission start times of the packets in each link's buffer (a ring per link).
  private var queued: [[HardwareTime]]
  private var queueHead: [Int]
  private var queueCount: [Int]

  public init(routerCount: Int, links: [(source: Int, target: Int, parameters: LinkParameters)], packetBits: Int64,
              deadLinks: Set<Int> = [], deadRouters: Set<Int> = []) {
    self.routerCount = routerCount
    linkSource = links.map { Int32($0.source) }
    linkTarget = links.map { Int32($0.target) }
    parameters = links.map(\.parameters)
    self.packetBits = packetBits
    deadLink = links.indices.map { deadLinks.contains($0) }
    deadRouter = (0..<routerCount).map { deadRouters.contains($0) }
    counters = FabricCounters(links: links.count, routers: routerCount)
    busyUntil = Array(repeating: 0, count: links.count)
    queued = links.map { $0.parameters.picosecondsPerBit > 0 && $0.parameters.bufferPackets != .max
      ? Array(repeating: 0, count: $0.parameters.bufferPackets) : [] }
    queueHead = Array(repeating: 0, count: links.count)
    queueCount = Array(repeating: 0, count: links.count)
  }

  public var linkCount: Int { linkSource.count }

  /// Bytes a fabric of `links` links and `routers` routers takes, counting the link list its
  /// constructor is given and each link's buffer of `bufferPackets` (0 when unbuffered): what a run
  /// checks against the memory it has before building one.
  public static func estimatedBytes(links: Int, routers: Int, bufferPackets: Int) -> Double {
    let perLink = 2 * MemoryLayout<Int32>.stride + MemoryLayout<LinkParameters>.stride + 1   // description
      + 3 * MemoryLayout<Int>.stride + MemoryLayout<[HardwareTime]>.stride + (bufferPackets > 0 ? 32 + 8 * bufferPackets : 0)
      + (2 + DropCause.allCases.count + FabricCounters.latencyBins) * MemoryLayout<UInt64>.stride + MemoryLayout<UInt32>.stride
      + 2 * MemoryLayout<Int>.stride + MemoryLayout<LinkParameters>.stride                  // the constructor's link list
    return Double(links) * Double(perLink) + Double(routers) * Double(1 + 2 * MemoryLayout<UInt64>.stride)
  }

  /// The longest time a packet can spend on `link` from entering it to arriving.
  public func maximumTransit(_ link: Int) -> HardwareTime {
    let p = parameters[link]
    let transmission = p.picosecondsPerBit * packetBits
    guard transmission > 0 else { return p.latency }
    var waiting = transmission * HardwareTime(p.bufferPackets)
    if case let .wait(limit) = p.policy { waiting += limit }
    return p.latency + transmission + waiting
  }

  /// Counts a packet a router takes from its chip (before replication).
  @inline(__always)
  public mutating func inject(router: Int) {
    counters.routerPackets[router] &+= 1
  }

  /// Sends one packet into `link` at `time`; returns its arrival time at the far router, or nil
  /// when the fabric drops it (the cause is counted). Calls for one link must come in time order.
  @inline(__always)
  public mutating func send(link: Int, time: HardwareTime) -> HardwareTime? {
    if deadLink[link] { return drop(link, .deadLink) }
    let far = Int(linkTarget[link])
    if deadRouter[far] { return drop(link, .deadRouter) }
    let p = parameters[link]
    let transmission = p.picosecondsPerBit * packetBits
    var arrival = time + p.latency
    if transmission > 0 {
      guard let start = enqueue(link, time: time, transmission: transmission, parameters: p) else { return nil }
      arrival = start + transmission + p.latency
    }
    counters.record(link: link, bits: packetBits, transit: arrival - time)
    return arrival
  }

  /// The earliest time at or after `time` at which `link`'s buffer has room for a packet (a
  /// router probing a blocked output). Calls for one link must come in time order.
  public mutating func spaceAt(link: Int, time: HardwareTime) -> HardwareTime {
    let capacity = queued[link].count
    guard capacity > 0 else { return time }
    release(link, until: time, capacity)
    return queueCount[link] < capacity ? time : queued[link][queueHead[link]]
  }

  /// Puts a packet into `link` at `time`, when `spaceAt` said it has room; returns its arrival.
  public mutating func enter(link: Int, time: HardwareTime) -> HardwareTime {
    let p = parameters[link]
    let transmission = p.picosecondsPerBit * packetBits
    let capacity = queued[link].count
    release(link, until: time, capacity)
    let start = transmit(link, entry: time, transmission: transmission, capacity: capacity)
    let arrival = start + transmission + p.latency
    counters.record(link: link, bits: packetBits, transit: arrival - time)
    return arrival
  }

  /// Counts a packet lost at `link` for `cause`, charged to the link's router.
  public mutating func countDrop(link: Int, cause: DropCause) {
    _ = drop(link, cause)
  }

  private mutating func enqueue(_ link: Int, time: HardwareTime, transmission: HardwareTime,
                                parameters p: LinkParameters) -> HardwareTime? {
    let capacity = queued[link].count
    var entry = time
    if capacity > 0 {
      release(link, until: time, capacity)
      if queueCount[link] == capacity {
        let freed = queued[link][queueHead[link]]
        switch p.policy {
        case .drop:
          _ = drop(link, .bufferFull)
          return nil
        case let .wait(limit):
          guard freed - time <= limit else {
            _ = drop(link, .waitTimeout)
            return nil
          }
          entry = freed
          popQueue(link, capacity)
        }
      }
    }
    return transmit(link, entry: entry, transmission: transmission, capacity: capacity)
  }

  /// Queues a packet that entered `link` at `entry` behind the link's transmissions; returns its start.
  private mutating func transmit(_ link: Int, entry: HardwareTime, transmission: HardwareTime, capacity: Int) -> HardwareTime {
    let start = max(entry, busyUntil[link])
    busyUntil[link] = start + transmission
    if capacity > 0 {
      queued[link][(queueHead[link] + queueCount[link]) % capacity] = start
      queueCount[link] += 1
      counters.maxQueue[link] = max(counters.maxQueue[link], UInt32(queueCount[link]))
    }
    return start
  }

  /// Empties the buffer of the packets whose transmission started by `time`.
  private mutating func release(_ link: Int, until time: HardwareTime, _ capacity: Int) {
    while queueCount[link] > 0 && queued[link][queueHead[link]] <= time { popQueue(link, capacity) }
  }

  private mutating func popQueue(_ link: Int, _ capacity: Int) {
    queueHead[link] = (queueHead[link] + 1) % capacity
    queueCount[link] -= 1
  }

  private mutating func drop(_ link: Int, _ cause: DropCause) -> HardwareTime? {
    counters.drops[cause.rawValue][link] &+= 1
    counters.routerDrops[Int(linkSource[link])] &+= 1
    return nil
  }
}
