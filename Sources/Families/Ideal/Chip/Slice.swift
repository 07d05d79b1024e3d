/// A contiguous range of one population placed on one chip: what an ideal chip is loaded with.
public struct Slice: Sendable, Equatable {
  public var population: Int
  /// First neuron (index within the population) and count.
  public var first: Int
  public var count: Int
  public var chip: Int
  /// Index of the slice's first neuron among the neurons of its chip.
  public var chipOffset: Int

  public init(population: Int, first: Int, count: Int, chip: Int, chipOffset: Int) {
    self.population = population
    self.first = first
    self.count = count
    self.chip = chip
    self.chipOffset = chipOffset
  }
}
