/// A whole network description: what the mapper partitions and the engine builds, rank by rank.
public struct Network: Sendable, Equatable {
  public var name: String
  public var populations: [Population]
  public var projections: [Projection]
  public var stimuli: [CurrentStimulus]
  public var recordings: [Recording]
  /// Parameter changes during the run, in time order (a system's family may refuse them).
  public var parameterChanges: [ParameterChange]

  public init(name: String, populations: [Population] = [], projections: [Projection] = [],
              stimuli: [CurrentStimulus] = [], recordings: [Recording] = [], parameterChanges: [ParameterChange] = []) {
    self.name = name
    self.populations = populations
    self.projections = projections
    self.stimuli = stimuli
    self.recordings = recordings
    self.parameterChanges = parameterChanges
  }

  /// Index of the population with this label.
  public func populationIndex(_ label: String) -> Int? {
    populations.firstIndex { $0.label == label }
  }

  /// Whether some recording asks for `variable` of population `label`.
  public func records(_ variable: Recording.Variable, of label: String) -> Bool {
    recordings.contains { $0.population == label && $0.variables.contains(variable) }
  }

  /// Of the neurons `neurons` of population `p`: which record spikes, and which are sampled
  /// (ascending), both as offsets from `neurons.lowerBound`.
  public func recorded(population p: Int, neurons: Range<Int>) -> (spikes: [Bool], sampled: [Int]) {
    var spikes = Array(repeating: false, count: neurons.count)
    var sampled = Set<Int>()
    for r in recordings where r.population == populations[p].label {
      let wanted = r.neurons.map { Set($0) }
      for i in neurons where wanted?.contains(i) ?? true {
        if r.variables.contains(.spikes) { spikes[i - neurons.lowerBound] = true }
        if r.variables.contains(.v) { sampled.insert(i - neurons.lowerBound) }
      }
    }
    return (spikes, sampled.sorted())
  }

  public var neuronCount: Int { populations.reduce(0) { $0 + $1.size } }

  /// First global cell id of each population (populations numbered in order, cells in index order).
  public var populationOffsets: [Int] {
    var offsets: [Int] = []
    var next = 0
    for p in populations {
      offsets.append(next)
      next += p.size
    }
    return offsets
  }
}
