/// From `time` (ms) on, the cells of `population` take the parameters of `cellType`, the same model
/// with other values: what PyNN's `Population.set` between two `run` calls does (NEST's `SetStatus`
/// between `Simulate` calls). The state (membrane, synaptic input, refractory time) carries over.
public struct ParameterChange: Sendable, Equatable {
  public var time: Double
  public var population: String
  public var cellType: CellType

  public init(time: Double, population: String, cellType: CellType) {
    self.time = time
    self.population = population
    self.cellType = cellType
  }
}
