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
}
