/// The machine as the mapper sees it, whatever the family: chips with their working processing
/// elements, the memory a chip shares among them for synaptic rows, the capacity of its routing
/// table, and directed links between chips (`linksPerChip` per chip; link l and the link
/// `opposite(l)` point in opposite directions, as SpiNNaker's six links do).
public struct MachineGraph: Sendable, Equatable {
  public let linksPerChip: Int
  /// `neighbour[chip * linksPerChip + link]`: the chip at the other end, or -1 (no link, or a dead one).
  public let neighbour: [Int]
  /// Physical numbers of the working processing elements of each chip (empty for a dead chip).
  public let workingPEs: [[Int]]
  /// Bytes of chip memory for synaptic rows (SpiNNaker's SDRAM/DRAM).
  public let chipMemoryBytes: Int
  /// Entries of each chip's multicast routing table.
  public let tableCapacity: Int
  /// A name per chip for reports and errors, e.g. "(3, 4)".
  public let chipNames: [String]

  public init(linksPerChip: Int, neighbour: [Int], workingPEs: [[Int]], chipMemoryBytes: Int, tableCapacity: Int,
              chipNames: [String]) {
    self.linksPerChip = linksPerChip
    self.neighbour = neighbour
    self.workingPEs = workingPEs
    self.chipMemoryBytes = chipMemoryBytes
    self.tableCapacity = tableCapacity
    self.chipNames = chipNames
  }

  public var chipCount: Int { workingPEs.count }

  /// Chips with at least one working processing element, in index order.
  public var liveChips: [Int] { workingPEs.indices.filter { !workingPEs[$0].isEmpty } }

  @inline(__always)
  public func neighbour(of chip: Int, link: Int) -> Int { neighbour[chip * linksPerChip + link] }

  @inline(__always)
  public func opposite(_ link: Int) -> Int { (link + linksPerChip / 2) % linksPerChip }

  /// Breadth-first search from `source` over working links, trying links in index order: the
  /// link by which each chip is first reached (-1 for the source and unreachable chips) and
  /// its hop distance (-1 where unreachable). Paths back along `arrival` form a shortest-path tree.
  public func shortestPathTree(from source: Int) -> (arrival: [Int], hops: [Int]) {
    var arrival = [Int](repeating: -1, count: chipCount)
    var hops = [Int](repeating: -1, count: chipCount)
    var queue = [source]
    hops[source] = 0
    var head = 0
    while head < queue.count {
      let chip = queue[head]
      head += 1
      for link in 0..<linksPerChip {
        let next = neighbour(of: chip, link: link)
        guard next >= 0, hops[next] < 0 else { continue }
        hops[next] = hops[chip] + 1
        arrival[next] = link
        queue.append(next)
      }
    }
    return (arrival, hops)
  }
}
