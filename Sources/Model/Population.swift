/// A group of cells of one type, addressed by index 0..<size (PyNN's `Population`).
public struct Population: Sendable, Equatable {
  public var label: String
  public var size: Int
  public var cellType: CellType
  /// Initial membrane potential (mV), drawn per neuron from (seed, population, neuron);
  /// nil starts every neuron at its resting potential.
  public var initialVoltage: ValueDistribution?
  /// Initial membrane potential (mV) of each neuron, given one by one (what PyNN's `initialize`
  /// and SONATA's per-node `v` give); it takes precedence over `initialVoltage`.
  public var initialVoltages: [Double]?
  /// Mean firing rate (Hz) the mapper may assume for a neuron population when it estimates
  /// traffic and per-core load; nil lets the mapper use its default. Sources ignore it.
  public var expectedRate: Double?

  public init(label: String, size: Int, cellType: CellType, initialVoltage: ValueDistribution? = nil,
              expectedRate: Double? = nil) {
    self.label = label
    self.size = size
    self.cellType = cellType
    self.initialVoltage = initialVoltage
    self.expectedRate = expectedRate
  }
}
