import Fabric
@testable import Hardware
import Testing

/// The routers of a 48-chip board against docs/hardware.md §3.5 as `SpiNNakerRouters` models it,
/// with every delivery time worked out from the router cycle (one packet per cycle), the link's
/// transmission (40 bits × ps per bit) and latency: first-match entries, default routing straight
/// on, a miss on the sending chip, and a blocked link's wait, emergency route, drop and reinjection.
@Suite struct SpiNNakerRoutersTests {
  /// Two populations of 4 neurons, one slice each: keys 0–3 (slice 0) and 256–259 (slice 1).
  static let slices = SpiNNakerSliceMap(population: [0, 1], first: [0, 0], count: [4, 4], firstSlice: [0, 1],
                                        sliceOfNeuron: [0, 0, 0, 0, 1, 1, 1, 1], neuronOffset: [0, 4], keyBase: [0, 256],
                                        atomBits: 8, sliceBits: 0, runsOnTarget: [false, false])
  static let sliceMask: UInt32 = 0xFFFF_FF00

  let system: SpiNNakerSystem
  let index: [ChipCoordinate: Int]

  init() {
    system = SpiNNakerSystem()
    index = Dictionary(uniqueKeysWithValues: system.chips.enumerated().map { ($1, $0) })
  }

  func chip(_ x: Int, _ y: Int) -> Int { index[ChipCoordinate(x, y)]! }

  /// The chip one hop from (x, y) in direction l.
  func next(_ c: (Int, Int), _ l: Int) -> (Int, Int) { (c.0 + SpiNNakerShape.linkOffsets[l].0, c.1 + SpiNNakerShape.linkOffsets[l].1) }

  static func route(links: [Int] = [], pes: [Int] = []) -> Route {
    var r = Route()
    for l in links { r.addLink(l) }
    for p in pes { r.addPE(p) }
    return r
  }

  /// Routers with `entries[chip]` for slice 1's keys, and the other chips' tables empty.
  func makeRouters(_ entries: [Int: Route], system: SpiNNakerSystem? = nil) -> SpiNNakerRouters {
    let system = system ?? self.system
    var tables = [RoutingTable](repeating: RoutingTable(), count: system.chips.count)
    for (c, route) in entries { tables[c] = RoutingTable(entries: [RoutingEntry(key: 256, mask: Self.sliceMask, route: route)]) }
    return SpiNNakerRouters(system: system, tables: tables, slices: Self.slices)
  }

  func send(_ routers: inout SpiNNakerRouters, keys: [UInt32], from c: Int, wanted: [Bool]? = nil) -> [SpiNNakerRouters.Delivery] {
    var deliveries: [SpiNNakerRouters.Delivery] = []
    routers.route(keys.map { PacketRecord(time: 0, key: $0, node: UInt32(c)) },
                  wanted: wanted ?? [Bool](repeating: true, count: system.chips.count), into: &deliveries)
    return deliveries
  }

  var cycle: HardwareTime { system.router.cycle }
  /// One link hop: transmission of the 40-bit packet, then the latency.
  var hop: HardwareTime { system.link.picosecondsPerBit * system.packetBits + system.link.latency }

  @Test func timingOfTheDefaults() {
    #expect(cycle == 7519, "1 / 133 MHz")
    #expect(hop == 40 * 4000 + 200_000, "40 bits at 250 Mbit/s, then 0.2 µs")
    #expect(system.router.wait1 == 1_924_812, "256 cycles at 133 MHz")
  }

  /// A key that matches an entry goes to the entry's PEs on that chip and out on its links; on the
  /// next chip its own entry gives its PEs. The first match wins, and a key of another slice
  /// does not match. Chips not `wanted` (another rank's) forward without delivering.
  @Test func matchedKeyTakesTheEntrysLinksAndPEs() {
    let a = chip(3, 3), b = chip(4, 3)
    var routers = makeRouters([a: Self.route(links: [0], pes: [3, 7]), b: Self.route(pes: [5])])
    let deliveries = send(&routers, keys: [257], from: a)
    #expect(deliveries.map(\.chip) == [Int32(a), Int32(a), Int32(b)])
    #expect(deliveries.map(\.pe) == [3, 7, 5])
    #expect(deliveries.map(\.time) == [cycle, cycle, cycle + hop + cycle])
    #expect(deliveries.allSatisfy { $0.key == 257 })
    #expect(routers.localPackets[a] == 1 && routers.externalPackets[b] == 1)
    #expect(routers.defaultRouted.allSatisfy { $0 == 0 } && routers.missed.allSatisfy { $0 == 0 })
    let link = Int(routers.linkIndex[a * 6 + 0])
    #expect(routers.fabric.counters.packets[link] == 1 && routers.fabric.counters.packets.reduce(0, +) == 1)

    var first = RoutingTable(entries: [RoutingEntry(key: 256, mask: Self.sliceMask, route: Self.route(pes: [1])),
                                       RoutingEntry(key: 0, mask: 0, route: Self.route(pes: [2]))])
    #expect(first.lookup(257) == Self.route(pes: [1]) && first.lookup(3) == Self.route(pes: [2]))
    first.entries.reverse()
    #expect(first.lookup(257) == Self.route(pes: [2]), "the lowest-index match wins")

    var remote = makeRouters([a: Self.route(links: [0], pes: [3]), b: Self.route(pes: [5])])
    var wanted = [Bool](repeating: false, count: system.chips.count)
    wanted[b] = true
    let only = send(&remote, keys: [256], from: a, wanted: wanted)
    #expect(only.map(\.chip) == [Int32(b)], "no delivery on chip a, which another rank owns")
  }

  /// A packet that matches no entry on a chip it arrived at leaves on the link opposite the one it
  /// came in by, (in + 3) mod 6: straight on, in the direction it travelled, for each of the six.
  @Test(arguments: 0..<6)
  func unmatchedKeyIsDefaultRoutedStraightOn(direction l: Int) {
    let a = (3, 3), b = next(a, l), c = next(b, l)
    var routers = makeRouters([chip(a.0, a.1): Self.route(links: [l]), chip(c.0, c.1): Self.route(pes: [5])])
    let deliveries = send(&routers, keys: [256], from: chip(a.0, a.1))
    #expect(deliveries.map(\.chip) == [Int32(chip(c.0, c.1))] && deliveries.map(\.pe) == [5])
    #expect(deliveries.map(\.time) == [3 * cycle + 2 * hop])
    #expect(routers.defaultRouted[chip(b.0, b.1)] == 1 && routers.defaultRouted.reduce(0, +) == 1)
    #expect(routers.dropped.allSatisfy { $0 == 0 })
  }

  /// A packet with no entry on the chip that sent it is dropped as missed (no default route there).
  @Test func missOnTheSendingChipIsDropped() {
    let a = chip(3, 3)
    var routers = makeRouters([a: Self.route(links: [0])])
    let deliveries = send(&routers, keys: [2], from: a)  // slice 0: no entry
    #expect(deliveries.isEmpty)
    #expect(routers.missed[a] == 1 && routers.localPackets[a] == 1)
    #expect(routers.fabric.counters.packets.allSatisfy { $0 == 0 })
  }

  /// A blocked link. With a one-packet buffer and 1 Mbit/s (40 µs per packet), three packets sent
  /// from (3, 3) on link l at once: the first starts at once, the second waits in the buffer, the
  /// third finds no room until the first has left (40 µs), far beyond wait1 (256 cycles). It takes
  /// the emergency route around the triangle: link l + 1 after wait1, then on that chip it is forced
  /// onto l − 1, which ends on the chip beyond link l, whose entry delivers it; for each direction.
  @Test(arguments: 0..<6)
  func blockedLinkTakesTheEmergencyRoute(direction l: Int) {
    var system = self.system
    system.link.bufferPackets = 1
    system.link.picosecondsPerBit = 1_000_000
    let hop = system.link.picosecondsPerBit * system.packetBits + system.link.latency
    let transmission = system.link.picosecondsPerBit * system.packetBits
    let origin = (3, 3), beyond = next(origin, l), corner = next(origin, (l + 1) % 6)
    #expect(next(corner, (l + 5) % 6) == beyond, "l + 1 then l − 1 ends where l does")
    let a = chip(origin.0, origin.1), b = chip(beyond.0, beyond.1), d = chip(corner.0, corner.1)
    var routers = makeRouters([a: Self.route(links: [l]), b: Self.route(pes: [2])], system: system)
    let deliveries = send(&routers, keys: [256, 256, 256], from: a)
    let waited = 3 * cycle + system.router.wait1  // the third packet's lookup ends at 3 cycles, then wait1
    #expect(deliveries.map(\.chip) == [Int32(b), Int32(b), Int32(b)])
    #expect(deliveries.map(\.time) == [cycle + hop + cycle,                  // sent at once
                                       cycle + transmission + hop + cycle,   // behind the first
                                       waited + hop + cycle + hop + cycle])   // two hops around the triangle
    #expect(routers.emergencyRouted[a] == 1 && routers.emergencyRouted.reduce(0, +) == 1)
    #expect(routers.externalPackets[d] == 1, "the emergency leg passes the corner chip")
    #expect(routers.dropped.allSatisfy { $0 == 0 } && routers.defaultRouted.allSatisfy { $0 == 0 })
    let direct = Int(routers.linkIndex[a * 6 + l]), first = Int(routers.linkIndex[a * 6 + (l + 1) % 6])
    let second = Int(routers.linkIndex[d * 6 + (l + 5) % 6])
    #expect(routers.fabric.counters.packets[direct] == 2 && routers.fabric.counters.packets[first] == 1
            && routers.fabric.counters.packets[second] == 1)
  }

  /// Without emergency routing the third packet is dropped after wait1 (+ wait2 = 0) and counted
  /// as a wait timeout on the link. Without reinjection it is lost; with it, the monitor reinjects
  /// it `reinjection_delay` later onto the same link: 1 µs later the link is still blocked and the
  /// packet is lost for good; 50 µs later it queues behind the second packet (which leaves at 80 µs).
  @Test(arguments: [(false, HardwareTime(1_000_000)), (true, HardwareTime(1_000_000)), (true, HardwareTime(50_000_000))])
  func blockedLinkDropsAndReinjects(reinjection: Bool, delay: HardwareTime) {
    var system = self.system
    system.link.bufferPackets = 1
    system.link.picosecondsPerBit = 1_000_000
    system.router.emergencyRouting = false
    system.router.reinjection = reinjection
    system.router.reinjectionDelay = delay
    let hop = system.link.picosecondsPerBit * system.packetBits + system.link.latency
    let transmission = system.link.picosecondsPerBit * system.packetBits
    let a = chip(3, 3), b = chip(4, 3)
    var routers = makeRouters([a: Self.route(links: [0]), b: Self.route(pes: [2])], system: system)
    let deliveries = send(&routers, keys: [256, 256, 256], from: a)
    let dropTime = 3 * cycle + system.router.wait1 + system.router.wait2
    let east = Int(routers.linkIndex[a * 6 + 0])
    #expect(routers.emergencyRouted.allSatisfy { $0 == 0 })
    switch (reinjection, delay) {
    case (false, _):
      #expect(deliveries.count == 2 && routers.dropped[a] == 1 && routers.lost[a] == 1 && routers.reinjected[a] == 0)
      #expect(routers.fabric.counters.drops[DropCause.waitTimeout.rawValue][east] == 1)
    case (true, 1_000_000):
      #expect(deliveries.count == 2 && routers.dropped[a] == 2 && routers.reinjected[a] == 1 && routers.lost[a] == 1,
              "reinjected at \(dropTime + delay) ps, before the link frees at \(cycle + transmission) ps: dropped again and lost")
    default:
      #expect(routers.dropped[a] == 1 && routers.reinjected[a] == 1 && routers.lost[a] == 0)
      #expect(deliveries.map(\.time) == [cycle + hop + cycle, cycle + transmission + hop + cycle,
                                         cycle + 2 * transmission + hop + cycle],
              "the reinjected packet starts when the second has been sent")
      #expect(routers.externalPackets[a] == 1, "the reinjected packet passes its router again")
    }
  }
}
