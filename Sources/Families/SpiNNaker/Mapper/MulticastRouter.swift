import Hardware

/// Routes every slice's spikes as one multicast tree over the machine's working links: the
/// breadth-first shortest-path tree from the source chip, cut down to the paths to the chips of
/// the target slices, so paths to different targets share their prefixes. Produces each chip's
/// table before compression (one entry per slice whose tree passes the chip, entries a router
/// would default-route marked) and the expected packets per second on every link.
public struct MulticastRouting: Sendable, Codable {
  /// Entries of a chip before compression; `defaultable[i]`: entry i only continues the packet
  /// straight on, as default routing would (not on source chips, not where a PE receives).
  public struct ChipEntries: Sendable, Codable {
    public var entries: [RoutingEntry] = []
    public var defaultable: [Bool] = []
  }

  public let tables: [ChipEntries]
  /// Expected packets per second on link `chip * linksPerChip + link`.
  public let linkLoad: [Double]
  /// Chips other than its own that each slice's tree delivers to.
  public let remoteChips: [Int]

  public init(graph: SliceGraph, placement: Placement, keys: KeyAllocation, machine: MachineGraph,
              labels: [String]) throws(MappingError) {
    let d = machine.linksPerChip
    var tables = [ChipEntries](repeating: ChipEntries(), count: machine.chipCount)
    var linkLoad = [Double](repeating: 0, count: machine.chipCount * d)
    var remoteChips = [Int](repeating: 0, count: graph.count)
    var trees: [Int: (arrival: [Int], hops: [Int])] = [:]
    var routes = [Route](repeating: Route(), count: machine.chipCount)
    var onTree = [Bool](repeating: false, count: machine.chipCount)
    var visited: [Int] = []

    for s in 0..<graph.count {
      let source = placement.chip[s]
      let tree: (arrival: [Int], hops: [Int])
      if let cached = trees[source] { tree = cached } else {
        tree = machine.shortestPathTree(from: source)
        trees[source] = tree
      }
      func mark(_ chip: Int) {
        if !onTree[chip] {
          onTree[chip] = true
          visited.append(chip)
        }
      }
      mark(source)
      for e in graph.edges(of: s) {
        let t = graph.targets[e], chip = placement.chip[t]
        guard tree.hops[chip] >= 0 else {
          throw .unreachable(source: machine.chipNames[source], target: machine.chipNames[chip], population: labels[graph.slices[s].population])
        }
        routes[chip].addPE(placement.pe[t])
        var x = chip
        while !onTree[x] {
          mark(x)
          let link = tree.arrival[x]
          let parent = machine.neighbour(of: x, link: machine.opposite(link))
          routes[parent].addLink(link)
          linkLoad[parent * d + link] += graph.spikeRate[s]
          x = parent
        }
      }
      remoteChips[s] = visited.filter { $0 != source && routes[$0].hasPEs }.count
      for chip in visited {
        let arrival = chip == source ? -1 : tree.arrival[chip]
        let route = routes[chip]
        if route.hasPEs || route.links != 0 {
          tables[chip].entries.append(RoutingEntry(key: keys.base[s], mask: keys.mask, route: route))
          tables[chip].defaultable.append(arrival >= 0 && !route.hasPEs && route.links == 1 << UInt8(arrival))
        }
        routes[chip] = Route()
        onTree[chip] = false
      }
      visited.removeAll(keepingCapacity: true)
    }
    self.tables = tables
    self.linkLoad = linkLoad
    self.remoteChips = remoteChips
  }
}
