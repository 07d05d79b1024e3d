/// A neuron of the network on BrainScaleS-1: `denmems / 2` columns (both denmem rows) of one block of a HICANN.
public struct BrainScaleS1LogicalNeuron: Sendable, Equatable, Codable {
  public var population: Int, index: Int
  /// Global HICANN (wafer × 384 + enum), first column, denmems.
  public var hicann: Int, column: Int, denmems: Int
  public var block: Int { column / HICANN.columnsPerBlock }

  public init(population: Int, index: Int, hicann: Int, column: Int, denmems: Int) {
    (self.population, self.index, self.hicann, self.column, self.denmems) = (population, index, hicann, column, denmems)
  }
}

/// The realised synapses of one HICANN, one entry per (source cell, bus), sorted: the bus's HICANN
/// hops to here, and the entry's synapses (HICANN-local logical neuron, signed 4-bit weight × gain).
public struct HICANNInput: Sendable, Codable {
  public var entrySource: [UInt32] = []
  public var entryBus: [Int32] = []
  public var entryHops: [UInt16] = []
  /// Synapses of entry e: `targetStart[e]..<targetStart[e + 1]`.
  public var targetStart: [Int32] = [0]
  public var targetNeuron: [Int32] = []
  public var targetWeight: [Float] = []

  public init() {}

  /// The entry of `source` (a cell reaches a HICANN over one bus: its own, or its wafer's FPGA input).
  public func entry(of source: UInt32) -> Int? {
    let e = entrySource.lowerBound(source)
    return e < entrySource.count && entrySource[e] == source ? e : nil
  }
}

/// What one HICANN is configured with: its logical neurons and their global cells, its realised
/// synapses, the L1 buses that start at its sending repeaters (global bus ids) and each neuron's
/// own bus (-1 for none), the FPGA input buses of other wafers each neuron's spikes go to, and the
/// spike sources the FPGA plays in onto its buses.
public struct HICANNConfiguration: Sendable {
  public var neurons: [BrainScaleS1LogicalNeuron]
  public var cells: [Int]
  public var input: HICANNInput
  public var remoteInputBuses: [[Int32]]
  public var buses: [Int32]
  public var busOfNeuron: [Int32]
  public var playedIn: [(bus: Int32, cell: Int)]

  public init(neurons: [BrainScaleS1LogicalNeuron], cells: [Int], input: HICANNInput, remoteInputBuses: [[Int32]], buses: [Int32],
              busOfNeuron: [Int32], playedIn: [(bus: Int32, cell: Int)]) {
    self.neurons = neurons
    self.cells = cells
    self.input = input
    self.remoteInputBuses = remoteInputBuses
    self.buses = buses
    self.busOfNeuron = busOfNeuron
    self.playedIn = playedIn
  }
}
