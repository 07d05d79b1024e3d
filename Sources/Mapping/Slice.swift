/// A contiguous range of one population placed on one chip.
public struct Slice: Sendable, Equatable {
  public var population: Int
  /// First neuron (index within the population) and count.
  public var first: Int
  public var count: Int
  public var chip: Int
  /// Index of the slice's first neuron among the neurons of its chip.
  public var chipOffset: Int
}
