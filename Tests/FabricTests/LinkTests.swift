import Fabric
import Testing

/// A link's latency, serialisation, buffer and full-buffer policy, and the counters it keeps.
@Suite struct LinkTests {
  /// One link 0 → 1: latency 1,000 ps, 10 ps per bit, 8-bit packets (80 ps on the wire), `buffer` packets.
  func fabric(buffer: Int, policy: FullBufferPolicy = .drop) -> Fabric {
    Fabric(routerCount: 2, links: [(0, 1, LinkParameters(latency: 1_000, picosecondsPerBit: 10, bufferPackets: buffer, policy: policy))],
           packetBits: 8)
  }

  @Test func packetsQueueBehindEachOtherAndArriveAfterTheLatency() {
    var f = fabric(buffer: 4)
    let arrivals = (0..<3).map { _ in f.send(link: 0, time: 0) }
    #expect(arrivals == [1_080, 1_160, 1_240])
    // The packet on the wire has left the buffer: two wait behind it.
    #expect(f.counters.packets[0] == 3 && f.counters.bits[0] == 24 && f.counters.maxQueue[0] == 2)
    #expect(f.maximumTransit(0) == 1_000 + 80 + 4 * 80)
  }

  /// At one instant a link takes one packet onto the wire and `buffer` behind it; the rest are dropped.
  @Test(arguments: [1, 2, 5])
  func aFullBufferDropsUnderTheDropPolicy(buffer: Int) {
    var f = fabric(buffer: buffer)
    let sent = (0..<(buffer + 4)).map { _ in f.send(link: 0, time: 0) }
    #expect(sent.prefix(buffer + 1).allSatisfy { $0 != nil } && sent.dropFirst(buffer + 1).allSatisfy { $0 == nil })
    #expect(f.counters.drops[DropCause.bufferFull.rawValue][0] == 3 && f.counters.routerDrops[0] == 3)
  }

  @Test func theWaitPolicyWaitsUpToItsLimit() {
    var f = fabric(buffer: 1, policy: .wait(100))
    #expect(f.send(link: 0, time: 0) == 1_080)
    #expect(f.send(link: 0, time: 0) == 1_160, "fits the buffer behind the first")
    #expect(f.send(link: 0, time: 0) == 1_240, "waits 80 ps for room in the buffer")
    #expect(f.send(link: 0, time: 0) == nil, "would wait 160 ps > 100")
    #expect(f.counters.drops[DropCause.waitTimeout.rawValue][0] == 1)
  }

  @Test func deadLinksAndRoutersDropEverything() {
    var f = Fabric(routerCount: 2, links: [(0, 1, LinkParameters(latency: 5)), (1, 0, LinkParameters(latency: 5))], packetBits: 8,
                   deadLinks: [0], deadRouters: [0])
    #expect(f.send(link: 0, time: 0) == nil && f.send(link: 1, time: 0) == nil)
    #expect(f.counters.drops[DropCause.deadLink.rawValue][0] == 1 && f.counters.drops[DropCause.deadRouter.rawValue][1] == 1)
  }
}
