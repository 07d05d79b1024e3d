import Model

/// How slices are put onto chips: PACMAN-like `sequential` (slices in population order fill chips
/// in order), `random` (the same chips, slices shuffled), or `graph` (fewest remote chips per spike:
/// METIS k-way partitions of the slice graph weighted by expected traffic, parts laid onto chips
/// close to the parts they talk to, refined on that objective, and never worse than `sequential`).
public enum PlacementStrategy: String, CaseIterable, Sendable, Codable {
  case sequential, random, graph
}

/// Where every slice runs: a chip and one of its working processing elements.
public struct Placement: Sendable, Equatable, Codable {
  public var chip: [Int]
  /// Physical number of the processing element on its chip.
  public var pe: [Int]
  /// Slices of each chip, in slice order.
  public var slicesOfChip: [[Int]]

  /// Chips hosting at least one slice.
  public var usedChips: [Int] { slicesOfChip.indices.filter { !slicesOfChip[$0].isEmpty } }
}

/// Places slices onto a machine by a strategy; every rank computes the same placement.
public struct Placer {
  public let graph: SliceGraph
  public let loads: [SliceLoad]
  public let machine: MachineGraph
  public let seed: UInt64

  public init(graph: SliceGraph, loads: [SliceLoad], machine: MachineGraph, seed: UInt64) {
    self.graph = graph
    self.loads = loads
    self.machine = machine
    self.seed = seed
  }

  /// What `graph` placement optimises: SpiNNaker's remote chips per spike (every chip a multicast
  /// packet must reach costs), or METIS's edge cut alone (BrainScaleS-1, whose L1 buses reach
  /// HICANNs along rows and columns, where the cut served the synapse loss better).
  public enum GraphObjective: Sendable { case remoteChips, edgeCut }

  public func place(_ strategy: PlacementStrategy, objective: GraphObjective = .remoteChips) throws(MappingError) -> Placement {
    let chips: [Int]
    switch strategy {
    case .sequential:
      chips = try fill(order: Array(0..<graph.count))
    case .random:
      var order = Array(0..<graph.count)
      var stream = RandomStream(seed: seed, purpose: .placement, group: 0, member: 0)
      for i in stride(from: order.count - 1, to: 0, by: -1) {
        order.swapAt(i, Int(stream.nextIndex(below: UInt32(i + 1))))
      }
      chips = try fill(order: order)
    case .graph:
      switch objective {
      case .remoteChips: chips = try partitioned()
      case .edgeCut: chips = try edgeCutPlacement()
      }
    }
    return assignPEs(chips)
  }

  /// Fills live chips in index order with slices in `order`, within PEs and chip memory.
  func fill(order: [Int]) throws(MappingError) -> [Int] {
    var chipOf = [Int](repeating: -1, count: graph.count)
    let live = machine.liveChips
    var c = 0, used = 0, bytes = 0
    for s in order {
      while c < live.count && (used == machine.workingPEs[live[c]].count || (used > 0 && bytes + loads[s].chipBytes > machine.chipMemoryBytes)) {
        c += 1
        used = 0
        bytes = 0
      }
      guard c < live.count else { throw tooLarge() }
      guard loads[s].chipBytes <= machine.chipMemoryBytes else {
        throw .networkTooLarge("one slice of \(graph.slices[s].count) neurons needs \(loads[s].chipBytes) bytes of chip memory for its synaptic rows, a chip has \(machine.chipMemoryBytes)")
      }
      chipOf[s] = live[c]
      used += 1
      bytes += loads[s].chipBytes
    }
    return chipOf
  }

  func tooLarge() -> MappingError {
    let pes = machine.workingPEs.reduce(0) { $0 + $1.count }
    let bytes = loads.reduce(0) { $0 + $1.chipBytes }
    return .networkTooLarge("\(graph.count) slices need \(graph.count) processing elements and \(bytes / 1_048_576) MiB of chip memory; the system has \(pes) working processing elements on \(machine.liveChips.count) chips with \(machine.chipMemoryBytes / 1_048_576) MiB each")
  }

  /// Gives each chip's slices its working PEs in order.
  func assignPEs(_ chipOf: [Int]) -> Placement {
    var slicesOfChip = [[Int]](repeating: [], count: machine.chipCount)
    var pe = [Int](repeating: -1, count: graph.count)
    for (s, chip) in chipOf.enumerated() {
      pe[s] = machine.workingPEs[chip][slicesOfChip[chip].count]
      slicesOfChip[chip].append(s)
    }
    return Placement(chip: chipOf, pe: pe, slicesOfChip: slicesOfChip)
  }

  /// The placement with the fewest remote chips per spike among the sequential one and METIS
  /// partitions into as many parts as the load needs (the chips `sequential` fills) and one more,
  /// each first refined on that objective (`RemoteChipRefinement`). Never worse than `sequential`
  /// on it; ties keep the earlier candidate.
  func partitioned() throws(MappingError) -> [Int] {
    let sequential = try fill(order: Array(0..<graph.count))
    let needed = Set(sequential).count
    var candidates = [sequential]
    for parts in [needed, needed + 1] where parts > 1 && parts <= machine.liveChips.count {
      candidates.append(try metisPlacement(parts: parts))
    }
    var best = sequential, bestObjective = Double.infinity
    for candidate in candidates {
      var refinement = RemoteChipRefinement(graph: graph, loads: loads, machine: machine, chipOf: candidate)
      refinement.refine()
      let objective = refinement.objective
      if objective < bestObjective * (1 - 1e-12) { (best, bestObjective) = (refinement.placement, objective) }
    }
    return best
  }

  /// A METIS placement over the chips the load needs plus 4 % (or the sequential one where one part
  /// suffices).
  func edgeCutPlacement() throws(MappingError) -> [Int] {
    let sequential = try fill(order: Array(0..<graph.count))
    let capacity = machine.liveChips.map { machine.workingPEs[$0].count }.max() ?? 1
    let parts = max(Set(sequential).count, Int((Double(graph.count) * 1.04 / Double(capacity)).rounded(.up)))
    guard parts > 1, parts <= machine.liveChips.count else { return sequential }
    return try metisPlacement(parts: parts)
  }

  /// METIS k-way into `parts` parts balanced in PEs and cycles with METIS's 3 % imbalance, laid
  /// greedily onto chips (heaviest traffic first, each next to the parts it talks to); overfull
  /// chips are then relieved onto the nearest chips with room.
  func metisPlacement(parts: Int) throws(MappingError) -> [Int] {
    let capacity = machine.liveChips.map { machine.workingPEs[$0].count }.max() ?? 1
    let adjacency = graph.undirected
    let part = try GraphPartitioner.partition(adjacency, vertexWeights: loads.map { [1, $0.cycles] }, parts: parts, seed: seed)

    var traffic = [[Double]](repeating: [Double](repeating: 0, count: parts), count: parts)
    for s in 0..<graph.count {
      for e in adjacency.edges(of: s) where part[adjacency.neighbours[e]] != part[s] {
        traffic[part[s]][part[adjacency.neighbours[e]]] += adjacency.weights[e]
      }
    }
    var size = [Int](repeating: 0, count: parts)
    for p in part { size[p] += 1 }

    let live = machine.liveChips
    var chipOfPart = [Int](repeating: -1, count: parts)
    var distance: [Int: [Int]] = [:]
    var free = Set(live)
    // attached[p]: traffic between part p and the parts already on chips; candidates: free chips
    // within two hops of a placed chip (all free chips when there are none).
    var attached = [Double](repeating: 0, count: parts)
    var near = Set<Int>()
    func put(_ p: Int, on chip: Int) {
      chipOfPart[p] = chip
      free.remove(chip)
      let hops = machine.shortestPathTree(from: chip).hops
      distance[chip] = hops
      for q in 0..<parts { attached[q] += traffic[p][q] + traffic[q][p] }
      near.remove(chip)
      for c in live where free.contains(c) && hops[c] >= 0 && hops[c] <= 2 { near.insert(c) }
    }
    put((0..<parts).max { traffic[$0].reduce(0, +) < traffic[$1].reduce(0, +) }!, on: live[0])
    for _ in 1..<parts {
      let next = (0..<parts).filter { chipOfPart[$0] < 0 }.max { (attached[$0], -$0) < (attached[$1], -$1) }!
      let partners = (0..<parts).filter { chipOfPart[$0] >= 0 && traffic[next][$0] + traffic[$0][next] > 0 }
      let candidates = near.isEmpty ? live.filter { free.contains($0) } : near.sorted()
      var best = -1, bestCost = Double.infinity
      for chip in candidates where machine.workingPEs[chip].count >= min(size[next], capacity) {
        var cost = 0.0
        for q in partners {
          let hops = distance[chipOfPart[q]]![chip]
          cost += (traffic[next][q] + traffic[q][next]) * Double(hops < 0 ? 1_000_000 : hops)
        }
        if cost < bestCost { best = chip; bestCost = cost }
      }
      put(next, on: best >= 0 ? best : candidates[0])
    }
    var chipOf = part.map { chipOfPart[$0] }
    try relieveOverfullChips(&chipOf, adjacency)
    return chipOf
  }

  /// Moves slices off chips with more slices than working PEs, or more synaptic rows than memory,
  /// onto the nearest chips with room: first the slices with the least traffic to their chip-mates
  /// (ties to the higher slice index), each to the nearest chip (ties to the lower chip index).
  func relieveOverfullChips(_ chipOf: inout [Int], _ adjacency: WeightedGraph) throws(MappingError) {
    var used = [Int](repeating: 0, count: machine.chipCount), bytes = [Int](repeating: 0, count: machine.chipCount)
    for (s, c) in chipOf.enumerated() {
      used[c] += 1
      bytes[c] += loads[s].chipBytes
    }
    func overfull(_ c: Int) -> Bool { used[c] > machine.workingPEs[c].count || bytes[c] > machine.chipMemoryBytes }
    for c in 0..<machine.chipCount where overfull(c) {
      let hops = machine.shortestPathTree(from: c).hops
      let targets = machine.liveChips.filter { $0 != c }.sorted { (hops[$0] < 0 ? Int.max : hops[$0], $0) < (hops[$1] < 0 ? Int.max : hops[$1], $1) }
      let mates = chipOf.indices.filter { chipOf[$0] == c }
      let affinity = Dictionary(uniqueKeysWithValues: mates.map { s in
        (s, adjacency.edges(of: s).reduce(0.0) { chipOf[adjacency.neighbours[$1]] == c ? $0 + adjacency.weights[$1] : $0 })
      })
      for s in mates.sorted(by: { (affinity[$0]!, -$0) < (affinity[$1]!, -$1) }) where overfull(c) {
        guard let target = targets.first(where: { used[$0] < machine.workingPEs[$0].count && bytes[$0] + loads[s].chipBytes <= machine.chipMemoryBytes }) else {
          throw tooLarge()
        }
        chipOf[s] = target
        used[c] -= 1; bytes[c] -= loads[s].chipBytes
        used[target] += 1; bytes[target] += loads[s].chipBytes
      }
    }
  }
}
