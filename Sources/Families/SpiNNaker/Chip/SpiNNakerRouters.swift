import Fabric

/// The routers and links of a SpiNNaker machine in motion (docs/hardware.md §3.5, §5): every packet
/// is a transaction that hops router to router. A router takes one packet per cycle, matches its
/// key in the compressed table (first match), default-routes a miss straight on (a miss on the
/// chip that sent it is dropped), copies it to its PEs and links. A link sends one packet per
/// transmission time from a small buffer; when the buffer is full the router stalls: it waits
/// `wait1`, tries the emergency route around the triangle (link l+1, then l−1 on the next chip),
/// waits `wait2`, and drops the packet, which the monitor may reinject once.
///
/// Every rank runs the whole machine's routers on the same packets in the same order, so their
/// counters are identical everywhere; deliveries go to the PEs of the rank's own chips.
public struct SpiNNakerRouters {
  /// A packet arriving at a router.
  struct Event: Comparable {
    var time: HardwareTime
    var sequence: Int
    var chip: Int32
    var key: UInt32
    /// The direction it travelled to get here (-1: from a local PE), used by default routing.
    var travel: Int8
    /// A link it must leave by without a lookup (second leg of an emergency route, reinjection), or -1.
    var forced: Int8
    var emergency: Bool
    var reinjected: Bool
    /// Links crossed so far (the packet's age).
    var hops: Int32 = 0

    @inline(__always)
    static func < (a: Event, b: Event) -> Bool { a.time != b.time ? a.time < b.time : a.sequence < b.sequence }
  }

  /// A packet handed to a PE.
  public struct Delivery: Sendable {
    public var time: HardwareTime
    public var chip: Int32
    public var pe: Int32
    public var key: UInt32
  }

  let chipCount: Int
  static let linksPerChip = 6
  let parameters: SpiNNakerRouterParameters
  /// Fabric link of (chip, direction), or -1 where there is no working link.
  let linkIndex: [Int32]
  public private(set) var fabric: Fabric
  // Route of each (chip, source slice), cached from the first-match lookup of the slice's keys.
  let sliceCount: Int
  let routeOf: [Int32]
  let routes: [Route]
  let firstSlice: [Int]
  let atomBits: UInt32
  let sliceBits: UInt32

  var routerFree: [HardwareTime]
  var pendingReinjections: [Int]
  var heap = MinHeap<Event>()
  var sequence = 0

  /// Router counters per chip, under the names SpiNNaker's provenance uses.
  public private(set) var localPackets: [UInt64]
  public private(set) var externalPackets: [UInt64]
  public private(set) var defaultRouted: [UInt64]
  public private(set) var emergencyRouted: [UInt64]
  public private(set) var dropped: [UInt64]
  public private(set) var reinjected: [UInt64]
  /// Dropped with the reinjection queue full, or dropped again after reinjection.
  public private(set) var lost: [UInt64]
  /// Packets with no entry on the chip that sent them.
  public private(set) var missed: [UInt64]
  /// Links a packet may cross before a router drops it as too old (counted in `dropped` and `lost`):
  /// a tree route crosses each chip once and an emergency route adds one link per hop, so only
  /// tables that loop (or default routes around a torus) reach it, as real routers drop aged packets.
  let maximumHops: Int32
  /// Without `drops`: a router whose link stays blocked past wait1 (and an emergency route past
  /// wait2) waits for the link instead of dropping the packet.
  let waitsForLinks: Bool

  /// The machine of `system` loaded with the compressed routing `tables` of every chip for the keys of `slices`.
  public init(system: SpiNNakerSystem, tables: [RoutingTable], slices: SpiNNakerSliceMap) {
    let neighbours = system.neighbours, linksPerChip = Self.linksPerChip
    chipCount = neighbours.count / linksPerChip
    maximumHops = Int32(clamping: 2 * chipCount + 8)
    parameters = system.router
    waitsForLinks = !system.effects.drops
    var links: [(source: Int, target: Int, parameters: LinkParameters)] = []
    var index = [Int32](repeating: -1, count: chipCount * linksPerChip)
    for chip in 0..<chipCount {
      for l in 0..<linksPerChip {
        let next = neighbours[chip * linksPerChip + l]
        guard next >= 0 else { continue }
        index[chip * linksPerChip + l] = Int32(links.count)
        links.append((chip, next, system.link))
      }
    }
    linkIndex = index
    fabric = Fabric(routerCount: chipCount, links: links, packetBits: system.packetBits)

    sliceCount = slices.sliceCount
    firstSlice = slices.firstSlice
    atomBits = UInt32(slices.atomBits)
    sliceBits = UInt32(slices.sliceBits)
    var routes: [Route] = [], routeNumber: [Route: Int32] = [:]
    var routeOf = [Int32](repeating: -1, count: chipCount * sliceCount)
    for (chip, table) in tables.enumerated() where !table.entries.isEmpty {
      precondition(table.entries.allSatisfy { $0.mask & ~slices.keyMask == 0 }, "routing entries never split a slice's keys")
      for s in 0..<sliceCount {
        guard let route = table.lookup(slices.keyBase[s]) else { continue }
        if routeNumber[route] == nil {
          routeNumber[route] = Int32(routes.count)
          routes.append(route)
        }
        routeOf[chip * sliceCount + s] = routeNumber[route]!
      }
    }
    self.routes = routes
    self.routeOf = routeOf
    routerFree = Array(repeating: 0, count: chipCount)
    pendingReinjections = Array(repeating: 0, count: chipCount)
    let zeros = [UInt64](repeating: 0, count: chipCount)
    (localPackets, externalPackets, defaultRouted, emergencyRouted) = (zeros, zeros, zeros, zeros)
    (dropped, reinjected, lost, missed) = (zeros, zeros, zeros, zeros)
  }

  public var linkCount: Int { fabric.linkCount }

  /// The links leaving `chip`, in direction order, as fabric link indices.
  public func links(of chip: Int) -> [Int] {
    (0..<Self.linksPerChip).compactMap { l in linkIndex[chip * Self.linksPerChip + l] >= 0 ? Int(linkIndex[chip * Self.linksPerChip + l]) : nil }
  }

  /// Direction of fabric link `link` on its chip.
  public func direction(of link: Int) -> Int {
    let chip = Int(fabric.linkSource[link])
    return (0..<Self.linksPerChip).first { linkIndex[chip * Self.linksPerChip + $0] == Int32(link) }!
  }

  /// Routes the packets PEs sent in one tick (`SpiNNakerPacket`s) until every copy has been
  /// delivered or dropped; appends the deliveries to PEs on chips for which `wanted` is true.
  public mutating func route(_ packets: [PacketRecord], wanted: [Bool], into deliveries: inout [Delivery]) {
    for record in packets {
      let p = SpiNNakerPacket(record)
      push(Event(time: p.emitted, sequence: 0, chip: Int32(p.sourceChip), key: p.key, travel: -1, forced: -1, emergency: false, reinjected: false))
    }
    while let event = pop() { process(event, wanted: wanted, into: &deliveries) }
  }

  private mutating func process(_ e: Event, wanted: [Bool], into deliveries: inout [Delivery]) {
    let c = Int(e.chip)
    if e.hops > maximumHops {
      dropped[c] &+= 1
      lost[c] &+= 1
      if e.reinjected { pendingReinjections[c] -= 1 }
      return
    }
    let start = max(e.time, routerFree[c])
    let out = start + parameters.cycle
    var stalled = out
    if e.reinjected { pendingReinjections[c] -= 1 }
    if e.travel < 0 && !e.reinjected { localPackets[c] &+= 1 } else { externalPackets[c] &+= 1 }
    var route: Route
    if e.forced >= 0 {
      route = Route()
      route.addLink(Int(e.forced))
    } else {
      let r = routeOf[c * sliceCount + slice(ofKey: e.key)]
      if r >= 0 {
        route = routes[Int(r)]
      } else if e.travel >= 0 {
        route = Route()
        route.addLink(Int(e.travel))
        defaultRouted[c] &+= 1
      } else {
        missed[c] &+= 1
        routerFree[c] = out
        return
      }
    }
    if route.hasPEs && wanted[c] {
      for pe in route.peList { deliveries.append(Delivery(time: out, chip: e.chip, pe: Int32(pe), key: e.key)) }
    }
    var links = route.links
    while links != 0 {
      let l = Int(links.trailingZeroBitCount)
      links &= links - 1
      stalled = max(stalled, send(e, link: l, at: out))
    }
    routerFree[c] = stalled
  }

  /// Sends a copy of `e` from its chip on direction `l` at time `t`; returns when the router is free again.
  private mutating func send(_ e: Event, link l: Int, at t: HardwareTime) -> HardwareTime {
    let c = Int(e.chip), linksPerChip = Self.linksPerChip
    let travel = e.emergency ? e.travel : Int8(l)
    let fabricLink = Int(linkIndex[c * linksPerChip + l])
    guard fabricLink >= 0 else {  // default routing off the edge of the machine
      dropped[c] &+= 1
      lost[c] &+= 1
      return t
    }
    let free = fabric.spaceAt(link: fabricLink, time: t)
    if free <= t + parameters.wait1 {
      let arrival = fabric.enter(link: fabricLink, time: free)
      push(Event(time: arrival, sequence: 0, chip: fabric.linkTarget[fabricLink], key: e.key, travel: travel, forced: -1,
                 emergency: false, reinjected: false, hops: e.hops + 1))
      return free
    }
    let waited = t + parameters.wait1
    let e1 = (l + 1) % linksPerChip
    let emergencyLink = Int(linkIndex[c * linksPerChip + e1])
    if parameters.emergencyRouting && !e.emergency && e.forced < 0 && emergencyLink >= 0 {
      let freeE = fabric.spaceAt(link: emergencyLink, time: waited)
      if freeE <= waited + parameters.wait2 {
        let arrival = fabric.enter(link: emergencyLink, time: freeE)
        emergencyRouted[c] &+= 1
        push(Event(time: arrival, sequence: 0, chip: fabric.linkTarget[emergencyLink], key: e.key, travel: Int8(l),
                   forced: Int8((l + linksPerChip - 1) % linksPerChip), emergency: true, reinjected: false, hops: e.hops + 1))
        return freeE
      }
    }
    if waitsForLinks {
      let arrival = fabric.enter(link: fabricLink, time: free)
      push(Event(time: arrival, sequence: 0, chip: fabric.linkTarget[fabricLink], key: e.key, travel: travel, forced: -1,
                 emergency: false, reinjected: false, hops: e.hops + 1))
      return free
    }
    let dropTime = waited + parameters.wait2
    dropped[c] &+= 1
    fabric.countDrop(link: fabricLink, cause: .waitTimeout)
    if parameters.reinjection && !e.reinjected && pendingReinjections[c] < parameters.reinjectionQueue {
      reinjected[c] &+= 1
      pendingReinjections[c] += 1
      push(Event(time: dropTime + parameters.reinjectionDelay, sequence: 0, chip: e.chip, key: e.key, travel: e.travel,
                 forced: Int8(l), emergency: e.emergency, reinjected: true, hops: e.hops))
    } else {
      lost[c] &+= 1
    }
    return dropTime
  }

  @inline(__always)
  func slice(ofKey key: UInt32) -> Int {
    let population = Int(key >> (atomBits + sliceBits))
    let index = sliceBits == 0 ? 0 : Int((key >> atomBits) & ((1 << sliceBits) - 1))
    return firstSlice[population] + index
  }

  // MARK: - Event heap (time, then insertion order: deterministic)

  private mutating func push(_ event: Event) {
    var e = event
    e.sequence = sequence
    sequence += 1
    heap.push(e)
  }

  private mutating func pop() -> Event? {
    heap.first == nil ? nil : heap.pop()
  }
}
