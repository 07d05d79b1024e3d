import Hardware

/// Multicast keys of the slices, zoned as PACMAN's allocator does: | population | slice | atom |.
/// A slice's neurons share one (key, mask) block, and the slices of a population share a wider one,
/// which keeps the tables compressible.
public struct KeyAllocation: Sendable, Equatable, Codable {
  public let populationBits: Int
  public let sliceBits: Int
  public let atomBits: Int
  /// Key of atom 0 of each slice.
  public let base: [UInt32]

  public init(graph: SliceGraph) throws(MappingError) {
    func bits(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }
    let populations = graph.firstSlice.count - 1
    let slicesPerPopulation = (0..<populations).map { graph.firstSlice[$0 + 1] - graph.firstSlice[$0] }.max() ?? 1
    populationBits = bits(populations)
    sliceBits = bits(slicesPerPopulation)
    atomBits = bits(graph.slices.map(\.count).max() ?? 1)
    guard populationBits + sliceBits + atomBits <= 32 else {
      throw .keySpaceExhausted(populationBits: populationBits, sliceBits: sliceBits, atomBits: atomBits)
    }
    let (a, s) = (atomBits, sliceBits)
    base = graph.slices.enumerated().map { index, slice in
      UInt32(slice.population) << UInt32(s + a) | UInt32(index - graph.firstSlice[slice.population]) << UInt32(a)
    }
  }

  /// The mask of every slice's block.
  public var mask: UInt32 { UInt32.max << UInt32(atomBits) }

  @inline(__always)
  public func key(slice: Int, atom: Int) -> UInt32 { base[slice] | UInt32(atom) }
}
