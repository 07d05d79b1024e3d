import Model

/// Why a network cannot be mapped onto a machine; each case names the constraint and where it broke.
public enum MappingError: Error, CustomStringConvertible, Equatable {
  /// Not even one neuron of the population fits a processing element.
  case sliceDoesNotFit(population: String, constraint: String)
  /// More slices (or more synaptic memory) than the working processing elements and chips hold.
  case networkTooLarge(String)
  /// The keys of the slices need more than 32 bits.
  case keySpaceExhausted(populationBits: Int, sliceBits: Int, atomBits: Int)
  /// Dead links or chips cut a source chip off from a target chip.
  case unreachable(source: String, target: String, population: String)
  /// Routing tables that stay above capacity after compression: (chip, entries) pairs.
  case tablesOverCapacity(chips: [String], entries: [Int], capacity: Int)
  /// A METIS call failed.
  case partitionerFailed(String)
  /// Stored connections (a SONATA edge population) could not be read as the import read them.
  case connections(ConnectionTableError)

  public var description: String {
    switch self {
    case let .sliceDoesNotFit(population, constraint):
      return "population '\(population)': one neuron does not fit a processing element: \(constraint)"
    case let .networkTooLarge(detail):
      return "network too large for the system: \(detail)"
    case let .keySpaceExhausted(p, s, a):
      return "keys need \(p + s + a) bits (population \(p) + slice \(s) + atom \(a)), more than the 32 of a multicast key"
    case let .unreachable(source, target, population):
      return "no working path from chip \(source) to chip \(target) for the spikes of population '\(population)' (dead chips or links cut it off)"
    case let .tablesOverCapacity(chips, entries, capacity):
      let list = zip(chips, entries).prefix(8).map { "chip \($0.0): \($0.1) entries" }.joined(separator: ", ")
      let more = chips.count > 8 ? " and \(chips.count - 8) more chips" : ""
      return "routing tables over capacity (\(capacity) entries, router_entries) after compression: \(list)\(more)"
    case let .partitionerFailed(detail):
      return "graph partitioner (METIS) failed: \(detail)"
    case let .connections(error):
      return "reading the connections: \(error)"
    }
  }
}
