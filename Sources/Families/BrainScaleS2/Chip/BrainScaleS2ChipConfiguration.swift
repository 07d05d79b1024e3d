/// A neuron of the network on its BrainScaleS-2 chip: `circuits` neighbouring columns of one hemisphere.
public struct BrainScaleS2LogicalNeuron: Sendable, Equatable, Codable {
  public var population: Int, index: Int, chip: Int, hemisphere: Int, column: Int, circuits: Int
  public var columns: Range<Int> { column..<(column + circuits) }
  /// First atomic circuit on the chip (hemisphere-major).
  public var circuit: Int { hemisphere * HICANNX.columns + column }

  public init(population: Int, index: Int, chip: Int, hemisphere: Int, column: Int, circuits: Int) {
    (self.population, self.index, self.chip, self.hemisphere, self.column, self.circuits) = (population, index, chip, hemisphere, column, circuits)
  }
}

/// The on-chip routing of one chip: one entry per (source, hemisphere) whose events reach the
/// hemisphere's synapses, sorted by source, with the crossbar input, PADI bus, row-select address
/// and label it uses and its synapses (chip-local logical neuron, signed quantised weight).
public struct BrainScaleS2ChipRouting: Sendable, Codable {
  public var entrySource: [UInt32] = []
  /// Crossbar input: 0..7 neuron event outputs, 8..11 L2 inputs from the FPGA.
  public var entryInput: [UInt8] = []
  /// PADI bus 0..7 (top 0..3, bottom 4..7), row-select address and 6-bit label.
  public var entryBus: [UInt8] = []
  public var entryRowSelect: [UInt8] = []
  public var entryLabel: [UInt8] = []
  /// Synapses of entry e: `targetStart[e]..<targetStart[e + 1]`.
  public var targetStart: [Int32] = [0]
  public var targetNeuron: [Int32] = []
  public var targetWeight: [Float] = []
  /// Synapse drivers and row-select groups in use on each of the 8 PADI buses.
  public var busDrivers: [Int] = []
  public var busGroups: [Int] = []
  /// The enabled crossbar nodes (at most 76 exist).
  public var crossbarNodes: [CrossbarNode] = []
  public var fpgaOutputEntries = 0
  public var fpgaInputEntries = 0

  public init() {}

  /// The entries of `source` (none, or one per hemisphere it reaches).
  public func entries(of source: UInt32) -> Range<Int> {
    let low = entrySource.lowerBound(source)
    var end = low
    while end < entrySource.count && entrySource[end] == source { end += 1 }
    return low..<end
  }
}

/// An enabled node of the crossbar: input → output, forwarding an event iff (label & mask) == match.
public struct CrossbarNode: Sendable, Hashable, Codable {
  public var input: UInt8
  public var output: UInt8
  public var mask: UInt16
  public var match: UInt16

  public init(input: UInt8, output: UInt8, mask: UInt16, match: UInt16) {
    self.input = input
    self.output = output
    self.mask = mask
    self.match = match
  }
}


/// What one HICANN-X chip is configured with: its logical neurons and their global cells, its
/// on-chip routing, which neurons' events also go to other chips, and the spike sources (cells)
/// the FPGA plays in on it.
public struct BrainScaleS2ChipConfiguration: Sendable {
  public var neurons: [BrainScaleS2LogicalNeuron]
  public var cells: [Int]
  public var routing: BrainScaleS2ChipRouting
  public var sendsOffChip: [Bool]
  public var playedIn: [Int]

  public init(neurons: [BrainScaleS2LogicalNeuron], cells: [Int], routing: BrainScaleS2ChipRouting, sendsOffChip: [Bool], playedIn: [Int]) {
    self.neurons = neurons
    self.cells = cells
    self.routing = routing
    self.sendsOffChip = sendsOffChip
    self.playedIn = playedIn
  }
}
