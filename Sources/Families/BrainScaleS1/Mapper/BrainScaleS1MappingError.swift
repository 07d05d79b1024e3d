import Hardware
import Model

/// Why a network cannot be mapped onto a BrainScaleS-1 system; each case names the limit
/// (docs/hardware.md §1.10) and where it broke.
public enum BrainScaleS1MappingError: Error, CustomStringConvertible, Equatable {
  /// Denmems per logical neuron must be even, 2…64.
  case denmems(Int)
  /// A neuron has more incoming synapses than its columns have synapse rows.
  case fanIn(population: String, neuron: Int, synapses: Int, limit: Int)
  /// The logical neurons do not fit the working HICANNs.
  case hicannsExhausted(population: String, neuron: Int, hicanns: Int)
  /// The pipeline's placer could not place the neuron blocks (its message names the limit).
  case placement(String)
  /// More traced membranes on a reticle than its 2 analog outputs.
  case analogReadout(wafer: Int, reticle: Int, sampled: Int)
  /// Stored connections (a SONATA edge population) could not be read as the import read them.
  case connections(ConnectionTableError)
  /// Strict mode: a synapse would be lost.
  case synapseLost(projection: String, cause: String, hicann: Int)

  public var description: String {
    switch self {
    case let .connections(error):
      return "reading the connections: \(error)"
    case let .denmems(n):
      return "denmems_per_neuron must be even and in 2...64 (a logical neuron lies in one 64-denmem block), got \(n)"
    case let .fanIn(population, neuron, synapses, limit):
      return "fan-in: neuron \(population)[\(neuron)] has \(synapses) incoming synapses; its denmems' columns have \(limit) "
        + "synapse rows (224 × denmems; raise denmems_per_neuron)"
    case let .hicannsExhausted(population, neuron, hicanns):
      return "neuron \(population)[\(neuron)] does not fit: the \(hicanns) working HICANNs are full"
    case let .placement(message):
      return message
    case let .analogReadout(wafer, reticle, sampled):
      return "analog readout: reticle \(reticle) of wafer \(wafer) would trace \(sampled) membranes, its 2 analog outputs trace 2 (record v of fewer neurons)"
    case let .synapseLost(projection, cause, hicann):
      return "strict mapping: a synapse of projection '\(projection)' would be lost at HICANN \(hicann % Wafer.hicanns) of wafer \(hicann / Wafer.hicanns): \(cause)"
    }
  }
}
