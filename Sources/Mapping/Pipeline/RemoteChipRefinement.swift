/// Improves a placement on the objective the graph placer promises: remote chips per spike, the
/// rate-weighted number of chips other than its own that each slice's packets must reach (the
/// connectivity − 1 of the slice's hyperedge, which METIS's edge cut only approximates). Slices move,
/// or swap in pairs, between the chips the placement already uses, within each chip's working PEs
/// and memory, while that lowers the objective; a bounded amount of work keeps large graphs fast.
/// The result is deterministic: slices are visited in index order and ties keep the placement.
struct RemoteChipRefinement {
  let graph: SliceGraph
  let loads: [SliceLoad]
  /// The chips slices may use (machine chip numbers) and, per compact chip, its PEs and memory.
  let chips: [Int]
  let peCapacity: [Int]
  let memory: Int
  /// Compact chip of each slice.
  private(set) var chipOf: [Int]
  private var usedPEs: [Int]
  private var usedBytes: [Int]
  /// `count[u * chips.count + c]`: targets of slice u on compact chip c; `distinct[u]`: chips with any.
  private var count: [Int32]
  private var distinct: [Int32]
  /// Sources of each slice (CSR), and whether a slice targets itself.
  private let incomingStart: [Int]
  private let incoming: [Int]
  private let targetsItself: [Bool]
  /// Edge visits left before the refinement stops.
  private var budget: Int

  init(graph: SliceGraph, loads: [SliceLoad], machine: MachineGraph, chipOf machineChips: [Int], budget: Int = 40_000_000) {
    self.graph = graph
    self.loads = loads
    self.budget = budget
    chips = Array(Set(machineChips)).sorted()
    let index = Dictionary(uniqueKeysWithValues: chips.enumerated().map { ($1, $0) })
    peCapacity = chips.map { machine.workingPEs[$0].count }
    memory = machine.chipMemoryBytes
    chipOf = machineChips.map { index[$0]! }
    let k = chips.count, n = graph.count
    usedPEs = [Int](repeating: 0, count: k)
    usedBytes = [Int](repeating: 0, count: k)
    for s in 0..<n {
      usedPEs[chipOf[s]] += 1
      usedBytes[chipOf[s]] += loads[s].chipBytes
    }
    var count = [Int32](repeating: 0, count: n * k), distinct = [Int32](repeating: 0, count: n)
    var inDegree = [Int](repeating: 0, count: n + 1)
    var itself = [Bool](repeating: false, count: n)
    for u in 0..<n {
      for e in graph.edges(of: u) {
        let t = graph.targets[e]
        if count[u * k + chipOf[t]] == 0 { distinct[u] += 1 }
        count[u * k + chipOf[t]] += 1
        inDegree[t + 1] += 1
        if t == u { itself[u] = true }
      }
    }
    for t in 0..<n { inDegree[t + 1] += inDegree[t] }
    var fill = inDegree, sources = [Int](repeating: 0, count: inDegree[n])
    for u in 0..<n {
      for e in graph.edges(of: u) {
        sources[fill[graph.targets[e]]] = u
        fill[graph.targets[e]] += 1
      }
    }
    self.count = count
    self.distinct = distinct
    incomingStart = inDegree
    incoming = sources
    targetsItself = itself
  }

  /// Remote chips per spike of the current placement (rate-weighted mean over slices).
  var objective: Double {
    var total = 0.0, rate = 0.0
    for u in 0..<graph.count {
      total += graph.spikeRate[u] * Double(remoteChips(u))
      rate += graph.spikeRate[u]
    }
    return rate > 0 ? total / rate : 0
  }

  /// The machine chip of each slice.
  var placement: [Int] { chipOf.map { chips[$0] } }

  private func remoteChips(_ u: Int) -> Int32 {
    distinct[u] - (count[u * chips.count + chipOf[u]] > 0 ? 1 : 0)
  }

  /// Change of the rate-weighted remote chips if slice v moved to compact chip b.
  private mutating func delta(_ v: Int, to b: Int) -> Double {
    let a = chipOf[v], k = chips.count
    guard a != b else { return 0 }
    budget -= incomingStart[v + 1] - incomingStart[v] + 1
    var d = 0.0
    for i in incomingStart[v]..<incomingStart[v + 1] {
      let u = incoming[i]
      guard u != v else { continue }
      let home = chipOf[u]
      var change = 0
      if a != home && count[u * k + a] == 1 { change -= 1 }
      if b != home && count[u * k + b] == 0 { change += 1 }
      if change != 0 { d += graph.spikeRate[u] * Double(change) }
    }
    let own: Int32 = targetsItself[v] ? 1 : 0
    let ca = count[v * k + a], cb = count[v * k + b]
    let ca2 = ca - own, cb2 = cb + own
    let before = distinct[v] - (ca > 0 ? 1 : 0)
    let after = distinct[v] - (ca > 0 && ca2 == 0 ? 1 : 0) + (cb == 0 && cb2 > 0 ? 1 : 0) - (cb2 > 0 ? 1 : 0)
    return d + graph.spikeRate[v] * Double(after - before)
  }

  private mutating func move(_ v: Int, to b: Int) {
    let a = chipOf[v], k = chips.count
    for i in incomingStart[v]..<incomingStart[v + 1] {
      let u = incoming[i]
      count[u * k + a] -= 1
      if count[u * k + a] == 0 { distinct[u] -= 1 }
      if count[u * k + b] == 0 { distinct[u] += 1 }
      count[u * k + b] += 1
    }
    chipOf[v] = b
    usedPEs[a] -= 1; usedBytes[a] -= loads[v].chipBytes
    usedPEs[b] += 1; usedBytes[b] += loads[v].chipBytes
  }

  private func fits(_ v: Int, on b: Int) -> Bool {
    usedPEs[b] < peCapacity[b] && usedBytes[b] + loads[v].chipBytes <= memory
  }

  /// Moves and swaps slices while each lowers the objective, for at most `passes` sweeps.
  mutating func refine(passes: Int = 12) {
    let n = graph.count, k = chips.count
    guard k > 1 else { return }
    let tolerance = 1e-9 * max(graph.spikeRate.reduce(0, +), 1e-300)
    for _ in 0..<passes {
      var improved = false
      // Swap partners: on each chip b, the slices that would gain most by moving to chip a.
      var partners = [[Int]](repeating: [], count: k * k)
      for b in 0..<k {
        let on = (0..<n).filter { chipOf[$0] == b }
        for a in 0..<k where a != b {
          guard budget > 0 else { return }
          let gains = on.map { (slice: $0, delta: delta($0, to: a)) }
          partners[b * k + a] = gains.sorted { ($0.delta, $0.slice) < ($1.delta, $1.slice) }.prefix(3).map(\.slice)
        }
      }
      for v in 0..<n {
        guard budget > 0 else { return }
        let a = chipOf[v]
        var best = -1, bestDelta = -tolerance
        for b in 0..<k where b != a && fits(v, on: b) {
          let d = delta(v, to: b)
          if d < bestDelta { (best, bestDelta) = (b, d) }
        }
        if best >= 0 {
          move(v, to: best)
          improved = true
          continue
        }
        swapping: for b in 0..<k where b != a {
          for w in partners[b * k + a] where chipOf[w] == b && w != v {
            guard usedBytes[b] - loads[w].chipBytes + loads[v].chipBytes <= memory,
                  usedBytes[a] - loads[v].chipBytes + loads[w].chipBytes <= memory else { continue }
            let first = delta(v, to: b)
            move(v, to: b)
            if first + delta(w, to: a) < -tolerance {
              move(w, to: a)
              improved = true
              break swapping
            }
            move(v, to: a)
          }
        }
      }
      if !improved { return }
    }
  }
}
