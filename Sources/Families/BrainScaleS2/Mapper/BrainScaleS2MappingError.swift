import Hardware
import Model

/// Why a network cannot be mapped onto a BrainScaleS-2 system; each case names the limit
/// (docs/hardware.md §2.10) and the chip, hemisphere, PADI bus or neuron where it broke.
public enum BrainScaleS2MappingError: Error, CustomStringConvertible, Equatable {
  /// A neuron has more incoming synapses than a logical neuron of the largest size has synapse rows.
  case fanIn(population: String, neuron: Int, synapses: Int, circuits: Int, limit: Int)
  /// The logical neurons do not fit the chips.
  case chipsExhausted(population: String, neuron: Int, chips: Int, circuitsPerNeuron: Int)
  /// More synapse drivers (2 rows each) than the 32 of one PADI bus: `drivers` is what the source that did not fit would have needed.
  case busDrivers(chip: Int, hemisphere: Int, bus: Int, drivers: Int)
  /// More distinct sources than the hemisphere's 4 PADI buses can tell apart (32 row-selects × 64 labels each).
  case labels(chip: Int, hemisphere: Int, sources: Int)
  /// More sampled membranes on a chip than its MADC has channels.
  case madcChannels(chip: Int, sampled: Int, channels: Int)
  /// A recording interval shorter than the MADC takes per sample.
  case madcRate(population: String, interval: Double, minimum: Double)
  /// More entries than an FPGA routing table holds.
  case fpgaTable(chip: Int, table: String, entries: Int, capacity: Int)
  /// Stored connections (a SONATA edge population) could not be read as the import read them.
  case connections(ConnectionTableError)
  /// A network feature the chips cannot emulate.
  case unsupported(String)

  static func hemisphereName(_ h: Int) -> String { h == 0 ? "top" : "bottom" }

  public var description: String {
    switch self {
    case let .connections(error):
      return "reading the connections: \(error)"
    case let .fanIn(population, neuron, synapses, circuits, limit):
      return "fan-in: neuron \(population)[\(neuron)] has \(synapses) incoming synapses; a logical neuron of \(circuits) circuits "
        + "has at most \(limit) synapse rows (256 per circuit; raise max_circuits_per_neuron or lower the in-degree)"
    case let .chipsExhausted(population, neuron, chips, k):
      return "neuron \(population)[\(neuron)] does not fit: \(chips) chip(s) of 512 circuits are full at \(k) circuit(s) per neuron"
    case let .busDrivers(chip, h, bus, drivers):
      return "chip \(chip), \(Self.hemisphereName(h)) hemisphere, PADI bus \(bus): synapse drivers exhausted (\(drivers) needed, "
        + "32 exist; each drives 2 rows, so at most 64 rows per neuron come from one bus)"
    case let .labels(chip, h, sources):
      return "labels: chip \(chip), \(Self.hemisphereName(h)) hemisphere: \(sources) sources send to its synapses, "
        + "4 PADI buses × 32 row-selects × 64 six-bit labels tell at most 8192 apart"
    case let .madcChannels(chip, sampled, channels):
      return "MADC: chip \(chip) would sample \(sampled) membranes, its MADC has \(channels) channels (record v of fewer neurons)"
    case let .madcRate(population, interval, minimum):
      return "MADC: population '\(population)' asks for samples every \(interval) ms, the MADC needs at least \(minimum) ms (bio) per sample and channel"
    case let .fpgaTable(chip, table, entries, capacity):
      return "FPGA of chip \(chip): the \(table) routing table needs \(entries) entries, it holds \(capacity)"
    case let .unsupported(what):
      return what
    }
  }
}
