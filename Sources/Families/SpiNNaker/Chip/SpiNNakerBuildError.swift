import Model

/// Why a mapped network cannot be loaded onto SpiNNaker processing elements; names the population
/// or projection and the limit.
public enum SpiNNakerBuildError: Error, CustomStringConvertible, Equatable {
  case unsupportedCell(population: String, cellType: String)
  case unsupportedStimulus(target: String)
  case delayTooLong(projection: String, delay: Double, maximumTicks: Int, tick: Double)
  case noFloatModel(population: String, cellType: String)
  case noAlphaModel(population: String, cellType: String)
  case noNIRModel(population: String, kind: String, generation: String)
  case negativeNIRGain(population: String)
  case noFloat64Model(population: String, kind: String)

  public var description: String {
    switch self {
    case let .unsupportedCell(population, cellType):
      return "population '\(population)': \(cellType) has no SpiNNaker processing-element model (IF_curr_exp, IF_cond_exp, SpikeSourcePoisson and SpikeSourceArray do)"
    case let .unsupportedStimulus(target):
      return "current stimulus on '\(target)': SpiNNaker runs take DC input as the neurons' i_offset only"
    case let .noFloatModel(population, cellType):
      return "population '\(population)': \(cellType) has no py-spinnaker2 model; [chip] arithmetic = \"float32\" runs IF_curr_exp (lif_curr_exp), \"s16.15\" runs it"
    case let .noAlphaModel(population, cellType):
      return "population '\(population)': \(cellType): the PEs run exponential synapses (sPyNNaker's and py-spinnaker2's exp models); alpha-shaped ones are not modelled"
    case let .noNIRModel(population, kind, generation):
      return generation == "spinnaker2"
        ? "population '\(population)': NIR \(kind) has no py-spinnaker2 model (its NIR converter maps LIF, IF and CubaLIF)"
        : "population '\(population)': NIR \(kind) on \(generation): sPyNNaker reads PyNN, not NIR (py-spinnaker2 on spinnaker2 does)"
    case let .noFloat64Model(population, kind):
      return "population '\(population)': --without arithmetic runs IF_curr_exp and IF_cond_exp in Float64, not yet NIR \(kind) neurons (docs/effects.md)"
    case let .negativeNIRGain(population):
      return "population '\(population)': r and w_in must be > 0 on a PE: the sign of a synapse is its type (exc or inh), not its target's gain"
    case let .delayTooLong(projection, delay, maximumTicks, tick):
      return "projection '\(projection)': delay \(delay) ms is \(Int((delay / tick).rounded())) ticks of \(tick) ms; a processing element holds at most \(maximumTicks) (max_delay_ticks in [chip])"
    }
  }
}

extension SpiNNakerSystem {
  /// Why this system's PEs cannot run `population`, or nil.
  public func refusal(of population: Population) -> SpiNNakerBuildError? {
    switch population.cellType {
    case .ifCurrExp, .poissonSource, .spikeSourceArray: nil
    case .ifCondExp: arithmetic == .s1615 ? nil : .noFloatModel(population: population.label, cellType: population.cellType.name)
    case .ifCurrAlpha, .ifCondAlpha: .noAlphaModel(population: population.label, cellType: population.cellType.name)
    case let .nir(neuron):
      if !(generation == .spinnaker2 && [.lif, .integrateAndFire, .cubaLIF].contains(neuron.kind)) {
        .noNIRModel(population: population.label, kind: neuron.kind.rawValue, generation: generation == .spinnaker2 ? "spinnaker2" : "spinnaker1")
      } else if neuron.r.contains(where: { !($0 > 0) }) || neuron.wIn.contains(where: { !($0 > 0) }) {
        .negativeNIRGain(population: population.label)
      } else if !effects.arithmetic {
        .noFloat64Model(population: population.label, kind: neuron.kind.rawValue)
      } else {
        nil
      }
    default: .unsupportedCell(population: population.label, cellType: population.cellType.name)
    }
  }
}
