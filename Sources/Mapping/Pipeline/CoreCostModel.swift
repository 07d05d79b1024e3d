/// What a slice of neurons costs the processing element that runs it, per timer tick and in
/// memory, and the budget it must fit: slicing keeps every slice within it. The figures are the
/// family's (the SpiNNaker defaults and their sources are in `SpiNNakerSystem`).
public struct CoreCostModel: Sendable, Equatable {
  /// Most neurons (atoms) per processing element.
  public var maxAtoms: Int
  /// CPU cycles in one timer tick (clock × tick).
  public var cyclesPerTick: Double
  /// Share of the tick the mapper may plan to use; the rest absorbs bursts.
  public var usableFraction: Double
  public var fixedCycles: Double
  public var cyclesPerNeuron: Double
  /// Receiving a packet and looking up its synaptic row.
  public var cyclesPerPacket: Double
  /// Fetching one synaptic row (DMA set-up and completion).
  public var cyclesPerRow: Double
  public var cyclesPerSynapse: Double
  /// Drawing one neuron's local (on-PE) Poisson input each tick.
  public var cyclesPerLocalSource: Double
  /// Local memory of a processing element and what code, neuron state and ring buffers take of it.
  public var localMemoryBytes: Int
  public var fixedBytes: Int
  public var bytesPerNeuron: Int
  /// Chip memory per synapse (one synaptic word in a row).
  public var bytesPerSynapse: Int

  public init(maxAtoms: Int, cyclesPerTick: Double, usableFraction: Double, fixedCycles: Double, cyclesPerNeuron: Double,
              cyclesPerPacket: Double, cyclesPerRow: Double, cyclesPerSynapse: Double, cyclesPerLocalSource: Double = 0, localMemoryBytes: Int,
              fixedBytes: Int, bytesPerNeuron: Int, bytesPerSynapse: Int) {
    self.maxAtoms = maxAtoms
    self.cyclesPerTick = cyclesPerTick
    self.usableFraction = usableFraction
    self.fixedCycles = fixedCycles
    self.cyclesPerNeuron = cyclesPerNeuron
    self.cyclesPerPacket = cyclesPerPacket
    self.cyclesPerRow = cyclesPerRow
    self.cyclesPerSynapse = cyclesPerSynapse
    self.cyclesPerLocalSource = cyclesPerLocalSource
    self.localMemoryBytes = localMemoryBytes
    self.fixedBytes = fixedBytes
    self.bytesPerNeuron = bytesPerNeuron
    self.bytesPerSynapse = bytesPerSynapse
  }

  public var cycleBudget: Double { cyclesPerTick * usableFraction }
}
