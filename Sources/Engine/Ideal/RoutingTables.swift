import Distributed
import Mapping

/// Multicast routes of the ideal crossbar: for each neuron of each local chip, the other chips
/// holding synapses from it (ascending). Built by sending each chip's source keys to the rank
/// that owns the source, so no rank needs the whole network.
struct RoutingTables {
  /// Per local chip: CSR over its neurons of target chips.
  var routeStart: [[Int]]
  var routeChips: [[UInt32]]

  init(sourceKeysOfLocalChips: [(chip: Int, keys: [UInt32])], placement: StripedPlacement, localChips: Range<Int>,
       decomposition: DomainDecomposition, communicator: Communicator) throws {
    let ranks = communicator.size
    // Requests (key, holding chip), grouped by the rank owning the key's chip.
    var outgoing = Array(repeating: [SIMD2<UInt32>](), count: ranks)
    for (chip, keys) in sourceKeysOfLocalChips {
      for key in keys {
        let source = placement.chip(ofKey: key)
        guard source != chip else { continue }
        outgoing[decomposition.rank(ofChip: source)].append(SIMD2(key, UInt32(chip)))
      }
    }
    let (received, _) = try communicator.alltoallv(records: Array(outgoing.joined()), counts: outgoing.map(\.count))
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

extension StripedPlacement {
  /// The population of global id `key`.
  @inline(__always)
  func population(ofKey key: UInt32) -> Int {
    var lo = 0, hi = populationOffsets.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if populationOffsets[mid] <= Int(key) { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  func chip(ofKey key: UInt32) -> Int {
    let p = population(ofKey: key)
    return chip(population: p, index: Int(key) - populationOffsets[p])
  }
}
