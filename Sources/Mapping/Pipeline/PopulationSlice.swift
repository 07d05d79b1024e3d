/// A contiguous range of a population that one processing element runs (PACMAN's machine vertex).
public struct PopulationSlice: Sendable, Equatable, Codable {
  public var population: Int
  /// First neuron (index within the population) and count.
  public var first: Int
  public var count: Int

  public init(population: Int, first: Int, count: Int) {
    self.population = population
    self.first = first
    self.count = count
  }

  public var range: Range<Int> { first..<(first + count) }
}

/// What a slice is expected to cost its processing element each tick, and the memory it needs.
public struct SliceLoad: Sendable, Equatable, Codable {
  public var cycles: Double
  public var localBytes: Int
  /// Chip memory for the slice's incoming synaptic rows.
  public var chipBytes: Int
  /// Expected incoming packets and synaptic events per tick.
  public var packets: Double
  public var synapticEvents: Double

  /// Cycles of a tick whose packets come in a burst: the expected count plus three standard
  /// deviations of a Poisson count (the synaptic events growing with them).
  public func burstCycles(_ costs: CoreCostModel) -> Double {
    guard packets > 0 else { return cycles }
    let extra = 3 * packets.squareRoot()
    return cycles + extra * (costs.cyclesPerPacket + costs.cyclesPerRow) + extra * synapticEvents / packets * costs.cyclesPerSynapse
  }

  public init(cycles: Double, localBytes: Int, chipBytes: Int, packets: Double, synapticEvents: Double) {
    self.cycles = cycles
    self.localBytes = localBytes
    self.chipBytes = chipBytes
    self.packets = packets
    self.synapticEvents = synapticEvents
  }
}
