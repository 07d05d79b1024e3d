/// What to record from a population: spikes, and membrane samples at an interval.
public struct Recording: Sendable, Equatable {
  public enum Variable: String, Sendable, Equatable, CaseIterable {
    case spikes
    case v
  }

  public var population: String
  public var variables: [Variable]
  /// Indices of the recorded neurons; nil for all.
  public var neurons: [Int]?
  /// Sampling interval of membrane samples (ms).
  public var interval: Double

  public init(population: String, variables: [Variable], neurons: [Int]? = nil, interval: Double = 0.1) {
    self.population = population
    self.variables = variables
    self.neurons = neurons
    self.interval = interval
  }
}
