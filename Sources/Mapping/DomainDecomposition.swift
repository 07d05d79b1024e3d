/// Which rank owns each chip (or HICANN): a plain value that a family's mapping hands to its run
/// (docs/design-notes.md §4). A rank owns its chips' neurons, synapses and outgoing links.
public struct DomainDecomposition: Sendable, Equatable {
  public let rankOfChip: [Int]
  public let ranks: Int

  public init(rankOfChip: [Int], ranks: Int) {
    self.rankOfChip = rankOfChip
    self.ranks = ranks
  }

  /// Contiguous blocks in index order (chip c on rank ⌊c · ranks / count⌋), as striped placement splits chips.
  public static func blocks(_ count: Int, ranks: Int) -> DomainDecomposition {
    DomainDecomposition(rankOfChip: (0..<count).map { $0 * ranks / count }, ranks: ranks)
  }

  /// The chips of rank `r`, ascending.
  public func chips(ofRank r: Int) -> [Int] { rankOfChip.indices.filter { rankOfChip[$0] == r } }

  public func rank(ofChip c: Int) -> Int { rankOfChip[c] }

  /// Chips per rank for a report: each count up to 16 ranks ("12/12/12/12"), else the range and
  /// how many ranks hold no chip. `rankOfChip` may hold -1 for chips no rank runs.
  public static func chipsPerRank(_ rankOfChip: [Int], ranks: Int) -> String {
    var counts = [Int](repeating: 0, count: ranks)
    for r in rankOfChip where r >= 0 && r < ranks { counts[r] += 1 }
    if ranks <= 16 { return counts.map(String.init).joined(separator: "/") }
    let idle = counts.filter { $0 == 0 }.count
    return "\(counts.min() ?? 0)–\(counts.max() ?? 0) per rank" + (idle > 0 ? ", \(idle) ranks without a chip" : "")
  }
}
