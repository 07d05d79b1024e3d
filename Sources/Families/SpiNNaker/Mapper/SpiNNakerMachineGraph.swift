import Hardware

extension SpiNNakerSystem {
  /// The machine as the mapper sees it: working PEs per chip, and the six links of every live chip
  /// to the live chip in each direction (wrapping on a torus); dead chips and links are absent.
  public var machineGraph: MachineGraph {
    MachineGraph(linksPerChip: 6, neighbour: neighbours, workingPEs: workingPEs, chipMemoryBytes: chipMemoryBytes,
                 tableCapacity: routerEntries, chipNames: chips.map { "(\($0.x), \($0.y))" })
  }

  /// The cost model the slicer uses: the tick's cycles at this clock and the per-event costs.
  public var coreCosts: CoreCostModel {
    CoreCostModel(maxAtoms: maxAtomsPerPE, cyclesPerTick: clockMHz * 1000 * timestep, usableFraction: costs.usableFraction,
                  fixedCycles: costs.fixedCycles, cyclesPerNeuron: costs.neuronCycles, cyclesPerPacket: costs.packetCycles,
                  cyclesPerRow: costs.rowCycles, cyclesPerSynapse: costs.synapseCycles,
                  cyclesPerLocalSource: costs.localSourceCycles, localMemoryBytes: localMemoryBytes,
                  fixedBytes: costs.fixedBytes, bytesPerNeuron: costs.bytesPerNeuron, bytesPerSynapse: costs.bytesPerSynapse)
  }
}

extension NetworkMapping {
  /// The slices as the PEs and routers are loaded with them.
  public var sliceMap: SpiNNakerSliceMap {
    SpiNNakerSliceMap(population: graph.slices.map(\.population), first: graph.slices.map(\.first), count: graph.slices.map(\.count),
                      firstSlice: graph.firstSlice, sliceOfNeuron: graph.sliceOfNeuron, neuronOffset: graph.neuronOffset, keyBase: keys.base, atomBits: keys.atomBits, sliceBits: keys.sliceBits,
                      runsOnTarget: traffic.isLocal)
  }
}
