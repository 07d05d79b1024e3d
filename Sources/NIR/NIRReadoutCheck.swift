import Model

/// What an inference readout reads of a population: its spikes (spike-count, first-spike) or its
/// membrane (max-membrane).
public enum NIRReadoutSignal: Sendable {
  case spikes, membrane
}

extension NIRImport {
  /// Whether population `p` can give a prediction by `readout` (named in messages), which reads
  /// `signal`: the Input cannot (its spikes are the data), nor can neurons without a threshold give
  /// spikes (an error: every trial would predict nothing). A membrane readout of neurons that reset
  /// works but reads a membrane reset at every spike: returned as a warning.
  public func checkReadout(_ p: Int, readout: String, reads signal: NIRReadoutSignal, file: String) throws(NIRInferenceError) -> String? {
    let population = network.populations[p]
    guard case let .nir(neuron) = population.cellType else {
      throw .readoutOfInput(network: file, population: population.label, readout: readout)
    }
    switch (signal, neuron.kind.spikes) {
    case (.spikes, false):
      throw .readoutWithoutSpikes(network: file, population: population.label, kind: neuron.kind.rawValue, readout: readout)
    case (.membrane, true) where neuron.kind != .threshold:
      return "\(file): readout \(readout) of '\(population.label)': its neurons (NIR \(neuron.kind.rawValue)) spike and reset their membrane, "
        + "so the largest membrane sample need not be the most active neuron's; spike-count and first-spike read the spikes"
    default:
      return nil
    }
  }
}
