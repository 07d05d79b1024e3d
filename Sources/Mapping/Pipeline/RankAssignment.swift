/// Which MPI rank simulates each chip: with more than one rank, METIS splits the live chips into
/// parts of balanced expected load (the cycles of the slices they run) cutting as little expected
/// link traffic as it can, so few packets cross ranks. Dead chips belong to no rank (-1).
public enum RankAssignment {
  public static func ranks(machine: MachineGraph, chipLoad: [Double], linkLoad: [Double], ranks: Int,
                           seed: UInt64) throws(MappingError) -> [Int] {
    let live = machine.liveChips
    var rankOfChip = [Int](repeating: -1, count: machine.chipCount)
    guard ranks > 1 else {
      for chip in live { rankOfChip[chip] = 0 }
      return rankOfChip
    }
    var index = [Int](repeating: -1, count: machine.chipCount)
    for (i, chip) in live.enumerated() { index[chip] = i }
    var edges: [(from: Int, to: Int, weight: Double)] = []
    let floor = (linkLoad.max() ?? 0) * 1e-3 + 1e-9  // idle links still tie neighbours together
    for chip in live {
      for link in 0..<machine.linksPerChip {
        let next = machine.neighbour(of: chip, link: link)
        if next >= 0 && index[next] >= 0 { edges.append((index[chip], index[next], linkLoad[chip * machine.linksPerChip + link] + floor)) }
      }
    }
    let graph = WeightedGraph(vertices: live.count, edges: edges)
    let busiest = chipLoad.max() ?? 0
    // Idle chips only forward packets: nearly free, so ranks balance the chips that compute.
    let weights = live.map { [chipLoad[$0] + busiest * 1e-4 + 1e-9] }
    let part = try GraphPartitioner.partition(graph, vertexWeights: weights, parts: ranks, seed: seed)
    if Set(part).count < min(ranks, live.count) {
      return largestLoadFirst(machine: machine, chipLoad: chipLoad, ranks: ranks)
    }
    for (i, chip) in live.enumerated() { rankOfChip[chip] = part[i] }
    return rankOfChip
  }

  /// When METIS cannot balance (a few chips carry all the load) and leaves a rank empty: the loaded
  /// chips go one by one, heaviest first, to the least loaded rank; every idle chip follows the
  /// nearest loaded chip.
  static func largestLoadFirst(machine: MachineGraph, chipLoad: [Double], ranks: Int) -> [Int] {
    var rankOfChip = [Int](repeating: -1, count: machine.chipCount)
    let live = machine.liveChips
    let loaded = live.filter { chipLoad[$0] > 0 }.sorted { (chipLoad[$0], -$0) > (chipLoad[$1], -$1) }
    var total = [Double](repeating: 0, count: ranks)
    for (i, chip) in loaded.enumerated() {
      let r = i < ranks ? i : total.indices.min { (total[$0], $0) < (total[$1], $1) }!
      rankOfChip[chip] = r
      total[r] += chipLoad[chip]
    }
    for chip in live where rankOfChip[chip] < 0 {
      let hops = machine.shortestPathTree(from: chip).hops
      let nearest = loaded.filter { hops[$0] >= 0 }.min { (hops[$0], $0) < (hops[$1], $1) }
      rankOfChip[chip] = nearest.map { rankOfChip[$0] } ?? 0
    }
    return rankOfChip
  }
}
