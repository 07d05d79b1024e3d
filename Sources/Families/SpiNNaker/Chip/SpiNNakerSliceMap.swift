/// The slices of a SpiNNaker mapping as the machine is loaded with them (what sPyNNaker's data
/// specification starts from): the neurons each slice holds, the multicast key of its atom 0
/// (keys zoned | population | slice | atom |), and per population whether it runs on its
/// targets' PEs instead of sending packets.
public struct SpiNNakerSliceMap: Sendable {
  /// Per slice: population, first neuron within it, and neuron count.
  public let population: [Int]
  public let first: [Int]
  public let count: [Int]
  /// First slice of each population, and the slice count at the end.
  public let firstSlice: [Int]
  /// Slice of every neuron: `sliceOfNeuron[neuronOffset[p] + i]` for neuron i of population p
  /// (a table: loading looks it up once per synapse).
  public let sliceOfNeuron: [Int32]
  public let neuronOffset: [Int]
  public let keyBase: [UInt32]
  public let atomBits: Int
  public let sliceBits: Int
  /// Per population: whether it runs on its targets' PEs.
  public let runsOnTarget: [Bool]

  public init(population: [Int], first: [Int], count: [Int], firstSlice: [Int], sliceOfNeuron: [Int32], neuronOffset: [Int],
              keyBase: [UInt32], atomBits: Int, sliceBits: Int, runsOnTarget: [Bool]) {
    self.population = population
    self.first = first
    self.count = count
    self.firstSlice = firstSlice
    self.sliceOfNeuron = sliceOfNeuron
    self.neuronOffset = neuronOffset
    self.keyBase = keyBase
    self.atomBits = atomBits
    self.sliceBits = sliceBits
    self.runsOnTarget = runsOnTarget
  }

  public var sliceCount: Int { population.count }

  /// The mask of every slice's key block.
  public var keyMask: UInt32 { UInt32.max << UInt32(atomBits) }

  /// The slice holding neuron `neuron` of `population`.
  @inline(__always)
  public func slice(population p: Int, neuron: Int) -> Int { Int(sliceOfNeuron[neuronOffset[p] + neuron]) }

  /// The slice a multicast key belongs to.
  @inline(__always)
  public func slice(ofKey key: UInt32) -> Int {
    let population = Int(key >> UInt32(atomBits + sliceBits))
    let index = sliceBits == 0 ? 0 : Int((key >> UInt32(atomBits)) & ((1 << UInt32(sliceBits)) - 1))
    return firstSlice[population] + index
  }
}
