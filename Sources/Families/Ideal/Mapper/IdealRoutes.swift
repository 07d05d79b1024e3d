/// Multicast routes of the ideal crossbar: for each neuron of each local chip, the other chips
/// holding synapses from it (ascending). Built from requests: every chip asks the rank owning each
/// of its source keys for a route, so no rank needs the whole network (the run exchanges them).
public struct IdealRoutes: Sendable {
  /// Per local chip: CSR over its neurons of target chips.
  public let routeStart: [[Int]]
  public let routeChips: [[UInt32]]

  /// Route requests (key, holding chip) of the given chips, grouped by the rank owning the key's chip.
  public static func requests(sourceKeysOfChips: [(chip: Int, keys: [UInt32])], placement: StripedPlacement,
                              decomposition: DomainDecomposition) -> [[SIMD2<UInt32>]] {
    var outgoing = Array(repeating: [SIMD2<UInt32>](), count: decomposition.ranks)
    for (chip, keys) in sourceKeysOfChips {
      for key in keys {
        let source = placement.chip(ofKey: key)
        guard source != chip else { continue }
        outgoing[decomposition.rank(ofChip: source)].append(SIMD2(key, UInt32(chip)))
      }
    }
    return outgoing
  }

  /// The routes of `localChips` from the requests their rank received.
  public init(received: [SIMD2<UInt32>], placement: StripedPlacement, localChips: Range<Int>) {
    // Bucket the requests by local chip in one pass, then lay each chip's out as CSR.
    var entries = Array(repeating: [(local: Int, target: UInt32)](), count: localChips.count)
    for r in received {
      let p = placement.population(ofKey: r.x)
      let (chip, local) = placement.location(population: p, index: Int(r.x) - placement.populationOffsets[p])
      entries[chip - localChips.lowerBound].append((local, r.y))
    }
    var starts: [[Int]] = [], chips: [[UInt32]] = []
    for (i, chip) in localChips.enumerated() {
      let n = placement.neuronCount(chip: chip)
      var count = Array(repeating: 0, count: n + 1)
      for e in entries[i] { count[e.local + 1] += 1 }
      for j in 0..<n { count[j + 1] += count[j] }
      starts.append(count)
      chips.append(entries[i].sorted { $0.local != $1.local ? $0.local < $1.local : $0.target < $1.target }.map(\.target))
    }
    routeStart = starts
    routeChips = chips
  }
}
