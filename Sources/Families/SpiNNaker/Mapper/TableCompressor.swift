import Hardware

/// Shrinks a chip's table as PACMAN's pair compressor does (docs/hardware.md §3.5, docs/peers.md §4.1):
/// entries a router would default-route anyway are removed, the rest are grouped by route, and
/// within a group pairs merge into one entry whose mask keeps only the bits the two keys share,
/// as long as the merged entry cannot catch a key of a group placed after it or a key that relies
/// on default routing. Groups go in order of size, smallest first, so the largest group is last
/// and merges most freely. Every key reaches the same route as before (tests walk every key).
public enum TableCompressor {
  public static func compress(_ chip: MulticastRouting.ChipEntries) -> RoutingTable {
    var groups: [Route: [RoutingEntry]] = [:]
    var blockers: [RoutingEntry] = []
    for (entry, defaultable) in zip(chip.entries, chip.defaultable) {
      if defaultable { blockers.append(entry) } else { groups[entry.route, default: []].append(entry) }
    }
    let order = groups.keys.sorted { (groups[$0]!.count, $0) < (groups[$1]!.count, $1) }
    // later[i]: the original entries of groups after i, and the default-routed keys.
    var later = blockers
    var merged = [[RoutingEntry]](repeating: [], count: order.count)
    for (i, route) in order.enumerated().reversed() {
      merged[i] = mergePairs(groups[route]!.sorted { $0.key < $1.key }, avoiding: later)
      later.append(contentsOf: groups[route]!)
    }
    return RoutingTable(entries: merged.flatMap { $0 })
  }

  /// Merges entries of one route pairwise while the merged entry overlaps none of `avoiding`.
  static func mergePairs(_ entries: [RoutingEntry], avoiding: [RoutingEntry]) -> [RoutingEntry] {
    var entries = entries
    var i = 0
    while i < entries.count {
      var j = i + 1
      while j < entries.count {
        let a = entries[i], b = entries[j]
        let mask = a.mask & b.mask & ~(a.key ^ b.key)
        let candidate = RoutingEntry(key: a.key & mask, mask: mask, route: a.route)
        if !avoiding.contains(where: { $0.overlaps(candidate) }) {
          entries[i] = candidate
          entries.remove(at: j)
          // Entries the wider one now covers are redundant.
          entries.removeAll { $0 != candidate && $0.key & candidate.mask == candidate.key && $0.mask & candidate.mask == candidate.mask }
          if let k = entries.firstIndex(of: candidate) { i = k }
          j = i + 1
        } else {
          j += 1
        }
      }
      i += 1
    }
    return entries
  }
}
