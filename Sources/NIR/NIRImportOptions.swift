import Model

/// How a NIR graph becomes a network in discrete time. A NIR file stores neither its time step,
/// nor the unit of its time constants, nor how a spike resets the membrane (NIR issues #68, #97):
/// the exporter's conventions decide, so these are choices the user can make and the import reports.
public struct NIRImportOptions: Sendable, Equatable {
  /// The unit of the file's time constants.
  public enum TimeUnit: String, Sendable, Equatable, CaseIterable {
    /// The NIR paper's exporters (snnTorch, Norse, Rockpool) and `nir`'s own examples.
    case second = "s"
    /// What NIR's primitives page documents.
    case millisecond = "ms"
    /// Time in steps: graphs of integrate-and-fire neurons without time constants (Sinabs).
    case step

    /// The default step in this unit: 1e-4 s (Norse's `from_nir` and py-spinnaker2's), 0.1 ms, 1 step.
    public var defaultDt: Double {
      switch self {
      case .second: return 1e-4
      case .millisecond: return 0.1
      case .step: return 1
      }
    }
  }

  /// The step the graph was trained for, in `timeUnit`; nil: the unit's default.
  public var dt: Double?
  /// nil: detected (τ ≤ 1 everywhere: seconds; a larger τ: milliseconds; no τ at all: steps).
  public var timeUnit: TimeUnit?
  public var reset: NIRNeuron.Reset
  public var integrator: NIRNeuron.Integrator
  /// Whether a neuron's bias waits for the step its first input can arrive (so that a layered
  /// graph runs as the framework ran it, only later by one step per layer) or acts from step 0.
  public var biasFromFirstInput: Bool
  /// The step (ms) the graph's time is mapped onto: one NIR step is one step of this length.
  public var modelDt: Double

  public init(dt: Double? = nil, timeUnit: TimeUnit? = nil, reset: NIRNeuron.Reset = .toReset,
              integrator: NIRNeuron.Integrator = .forwardEuler, biasFromFirstInput: Bool = true, modelDt: Double = NIRNeuron.step) {
    self.dt = dt
    self.timeUnit = timeUnit
    self.reset = reset
    self.integrator = integrator
    self.biasFromFirstInput = biasFromFirstInput
    self.modelDt = modelDt
  }
}

/// The network a NIR graph becomes, with what the import assumed (for the mapping report).
public struct NIRImport: Sendable {
  public var network: Network
  /// The unit, step and reset mode chosen, and how each node was realised.
  public var notes: [String]
  /// The populations the top graph's Outputs read, in the file's order (the readout candidates).
  public var outputs: [String]
  /// Milliseconds of model time per unit of the file's time, and the model step (ms).
  public var msPerUnit: Double
  public var modelDt: Double

  /// The population of the graph's one Input (nil when it has none or several).
  public var inputPopulation: Int? {
    let inputs = network.populations.indices.filter {
      if case .spikeSourceArray = network.populations[$0].cellType { return true }
      return false
    }
    return inputs.count == 1 ? inputs[0] : nil
  }

  /// Feeds the spike trains of sample `sample` of a data set to the graph's Input.
  public mutating func feed(_ samples: NIRSampleSet, sample: Int) throws(DataSetFileErrors) {
    guard let p = inputPopulation else {
      throw DataSetFileErrors([DataSetFileError(file: samples.path, line: 0, key: samples.group,
        message: "the graph needs exactly one Input node to be fed from a data set")])
    }
    let trains = try samples.trains(sample, elements: network.populations[p].size, msPerUnit: msPerUnit, modelDt: modelDt)
    network.populations[p].cellType = .spikeSourceArray(times: trains)
    notes.append("input       sample \(sample) of \(samples.path): \(trains.reduce(0) { $0 + $1.count }) spikes into '\(network.populations[p].label)'")
  }
}
