import Hardware

/// Follows one packet through the routing tables as routers would (first match; a miss goes
/// straight on, or is dropped on the chip that sent it), the oracle that checks compression
/// (PACMAN's routing compression checker).
public enum RouteWalker {
  /// A processing element that receives the packet.
  public struct Delivery: Hashable, Sendable, Comparable {
    public var chip: Int
    public var pe: Int
    public init(chip: Int, pe: Int) {
      self.chip = chip
      self.pe = pe
    }
    public static func < (a: Delivery, b: Delivery) -> Bool { (a.chip, a.pe) < (b.chip, b.pe) }
  }

  public enum Failure: Error, Equatable {
    case droppedAtSource(chip: Int)
    case reachedTwice(chip: Int)
    case deadLink(chip: Int, link: Int)
  }

  public static func deliveries(key: UInt32, source: Int, tables: [RoutingTable],
                                machine: MachineGraph) -> Result<[Delivery], Failure> {
    var delivered: [Delivery] = []
    var reached = Set([source])
    var frontier: [(chip: Int, travel: Int)] = [(source, -1)]
    while let (chip, travel) = frontier.popLast() {
      var route: Route
      if let found = tables[chip].lookup(key) {
        route = found
      } else if travel >= 0 {
        route = Route()
        route.addLink(travel)
      } else {
        return .failure(.droppedAtSource(chip: chip))
      }
      delivered += route.peList.map { Delivery(chip: chip, pe: $0) }
      for link in 0..<machine.linksPerChip where route.links & (1 << UInt8(link)) != 0 {
        let next = machine.neighbour(of: chip, link: link)
        guard next >= 0 else { return .failure(.deadLink(chip: chip, link: link)) }
        guard reached.insert(next).inserted else { return .failure(.reachedTwice(chip: next)) }
        frontier.append((next, link))
      }
    }
    return .success(delivered.sorted())
  }
}
