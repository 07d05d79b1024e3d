import Hardware
import Model

extension BrainScaleS2Mapping {
  /// Checks a saved mapping against `network` on `system` before a chip is configured from it:
  /// every neuron of every population on its own circuits of a chip that exists, sources on none,
  /// every routing entry's input, bus, row-select, label and synapses in range, synapses only where
  /// a projection runs and as many as the projections' quantisation kept, FPGA routes to chips
  /// that exist; and that its synapses are the network's, generated from the mapping `seed`
  /// (`BrainScaleS2Synapses`). Linear in the state's size, but for sorting the synapses.
  public func check(network: Network, system: BrainScaleS2System, seed: UInt64) throws(MappingStateError) {
    let require = MappingStateError.require
    let populations = network.populations, cells = network.neuronCount
    try require(chipCount == system.chips, "it places neurons on \(chipCount) chip(s), the system has \(system.chips)")
    try MappingStateError.requireCount("the population offsets", cellOffsets.count, populations.count)
    try require(cellOffsets == network.populationOffsets, "the populations start at cells \(cellOffsets), the network's at \(network.populationOffsets)")
    try MappingStateError.requireCount("the circuits per neuron", circuitsPerNeuron.count, populations.count)
    for (p, population) in populations.enumerated() {
      let k = circuitsPerNeuron[p], label = population.label
      if population.cellType.isSource {
        try require(k == 0, "population '\(label)' takes \(k) circuits per neuron, a spike source none")
      } else {
        try require(k >= 0 && k <= system.maxCircuitsPerNeuron, "population '\(label)' takes \(k) circuits per neuron, at most \(system.maxCircuitsPerNeuron)")
      }
    }
    try MappingStateError.requireCount("the logical neuron of each cell", neuronOfCell.count, cells)
    var populationOfCell = [Int32](repeating: 0, count: cells)
    for (p, offset) in cellOffsets.enumerated() {
      for i in 0..<populations[p].size { populationOfCell[offset + i] = Int32(p) }
    }

    // Neurons: each cell of a neuron population exactly once, on circuits nobody else uses.
    let placed = populations.filter { !$0.cellType.isSource }.reduce(0) { $0 + $1.size }
    try require(neurons.count == placed, "it places \(neurons.count) neurons, the network has \(placed) (spike sources take no circuit)")
    var used = [Bool](repeating: false, count: chipCount * HICANNX.circuits)
    for (i, n) in neurons.enumerated() {
      try require(n.population >= 0 && n.population < populations.count, "neuron \(i) is of population \(n.population), the network has \(populations.count)")
      let population = populations[n.population], label = population.label
      try require(!population.cellType.isSource, "neuron \(i) is of population '\(label)', a spike source, which takes no circuit")
      try require(n.index >= 0 && n.index < population.size, "neuron \(i) is neuron \(n.index) of population '\(label)', which has \(population.size)")
      try require(n.chip >= 0 && n.chip < chipCount, "neuron \(n.index) of population '\(label)' is on chip \(n.chip), the system has \(chipCount)")
      try require(n.hemisphere >= 0 && n.hemisphere < HICANNX.hemispheres,
                  "neuron \(n.index) of population '\(label)' is in hemisphere \(n.hemisphere), a chip has \(HICANNX.hemispheres)")
      try require(n.circuits >= 1 && n.circuits == circuitsPerNeuron[n.population] && n.circuits <= system.maxCircuitsPerNeuron,
                  "neuron \(n.index) of population '\(label)' takes \(n.circuits) circuits, its population's neurons \(circuitsPerNeuron[n.population]) (at most \(system.maxCircuitsPerNeuron))")
      try require(n.column >= 0 && n.column <= HICANNX.columns - n.circuits,
                  "neuron \(n.index) of population '\(label)' takes \(n.circuits) column(s) from column \(n.column), a hemisphere has \(HICANNX.columns)")
      try require(neuronOfCell[cellOffsets[n.population] + n.index] == Int32(i),
                  "neuron \(n.index) of population '\(label)' is placed twice, or its cell names another logical neuron")
      for column in n.columns {
        let circuit = n.chip * HICANNX.circuits + n.hemisphere * HICANNX.columns + column
        try require(!used[circuit], "neuron \(n.index) of population '\(label)' shares circuit \(n.hemisphere * HICANNX.columns + column) of chip \(n.chip) with another neuron")
        used[circuit] = true
      }
    }
    for (cell, n) in neuronOfCell.enumerated() {
      let population = populations[Int(populationOfCell[cell])]
      try require(population.cellType.isSource ? n == -1 : n >= 0 && Int(n) < neurons.count,
                  "cell \(cell) (population '\(population.label)') names logical neuron \(n), the mapping has \(neurons.count)\(population.cellType.isSource ? " and spike sources none" : "")")
    }
    try MappingStateError.requireCount("the neurons of each chip", neuronsOfChip.count, chipCount)
    var next = 0
    for (c, range) in neuronsOfChip.enumerated() {
      try require(range.lowerBound == next && range.upperBound <= neurons.count && range.allSatisfy { neurons[$0].chip == c },
                  "the neurons listed on chip \(c) (\(range)) are not the neurons placed there")
      try require(range.count <= system.neuronsPerChip, "chip \(c) holds \(range.count) neurons, at most \(system.neuronsPerChip)")
      next = range.upperBound
    }
    try require(next == neurons.count, "the chips list \(next) neurons, the mapping has \(neurons.count)")

    // Routing: entries in range, synapses onto the chip's neurons where projections run.
    var projects = Set<Int>()
    for projection in network.projections {
      if let pre = network.populationIndex(projection.pre), let post = network.populationIndex(projection.post) { projects.insert(pre * populations.count + post) }
    }
    try MappingStateError.requireCount("the chip routing tables", chips.count, chipCount)
    var synapses = 0, held: [(cells: UInt64, weight: UInt32)] = []
    for (c, routing) in chips.enumerated() {
      let entries = routing.entrySource.count
      for (name, count) in [("inputs", routing.entryInput.count), ("buses", routing.entryBus.count), ("row selects", routing.entryRowSelect.count),
                            ("labels", routing.entryLabel.count), ("synapse starts", routing.targetStart.count - 1)] {
        try require(count == entries, "chip \(c)'s routing has \(entries) sources but \(count) \(name)")
      }
      try require(routing.targetStart.first == 0 && routing.targetStart.last.map(Int.init) == routing.targetNeuron.count
                    && routing.targetWeight.count == routing.targetNeuron.count,
                  "chip \(c)'s synapse table starts at \(routing.targetStart.first ?? -1) and ends at \(routing.targetStart.last ?? -1), it holds \(routing.targetNeuron.count) neurons and \(routing.targetWeight.count) weights")
      let local = neuronsOfChip[c]
      for e in 0..<entries {
        let source = Int(routing.entrySource[e]), input = Int(routing.entryInput[e])
        try require(source < cells, "entry \(e) of chip \(c) has source cell \(source), the network has \(cells)")
        try require(input < HICANNX.eventOutputs + HICANNX.l2Channels, "entry \(e) of chip \(c) uses crossbar input \(input), there are \(HICANNX.eventOutputs + HICANNX.l2Channels)")
        if input < HICANNX.eventOutputs {
          let n = Int(neuronOfCell[source])
          try require(n >= 0 && local.contains(n) && HICANNX.eventOutput(column: neurons[n].column) == input,
                      "entry \(e) of chip \(c) takes source cell \(source) from event output \(input), where it does not fire")
        }
        try require(Int(routing.entryBus[e]) < HICANNX.hemispheres * HICANNX.busesPerHemisphere && Int(routing.entryRowSelect[e]) < HICANNX.rowSelects
                      && Int(routing.entryLabel[e]) < HICANNX.labelsPerDriver,
                    "entry \(e) of chip \(c) uses bus \(routing.entryBus[e]), row select \(routing.entryRowSelect[e]) and label \(routing.entryLabel[e]), of \(HICANNX.hemispheres * HICANNX.busesPerHemisphere), \(HICANNX.rowSelects) and \(HICANNX.labelsPerDriver)")
        let (start, end) = (Int(routing.targetStart[e]), Int(routing.targetStart[e + 1]))
        try require(start <= end, "the synapses of entry \(e) of chip \(c) end before they start")
        let pre = Int(populationOfCell[source])
        for j in start..<end {
          let target = Int(routing.targetNeuron[j])
          try require(target >= 0 && target < local.count, "synapse \(j) of chip \(c) is onto its neuron \(target), the chip holds \(local.count)")
          let neuron = neurons[local.lowerBound + target], post = neuron.population
          held.append((UInt64(source) << 32 | UInt64(cellOffsets[post] + neuron.index), routing.targetWeight[j].bitPattern))
          try require(projects.contains(pre * populations.count + post),
                      "synapse \(j) of chip \(c) runs from '\(populations[pre].label)' to '\(populations[post].label)', which no projection connects")
          try require(routing.targetWeight[j].isFinite && abs(routing.targetWeight[j]) <= 1e9, "synapse \(j) of chip \(c) has weight \(routing.targetWeight[j])")
        }
      }
      synapses += routing.targetNeuron.count
      for node in routing.crossbarNodes {
        try require(Int(node.input) < HICANNX.crossbarInputs && Int(node.output) < HICANNX.crossbarOutputs,
                    "chip \(c) enables crossbar node \(node.input) → \(node.output), the crossbar has \(HICANNX.crossbarInputs) × \(HICANNX.crossbarOutputs)")
      }
      let buses = HICANNX.hemispheres * HICANNX.busesPerHemisphere  // the trace's /mapping has a column per bus
      try MappingStateError.requireCount("chip \(c)'s synapse drivers per bus", routing.busDrivers.count, buses)
      try MappingStateError.requireCount("chip \(c)'s driver groups per bus", routing.busGroups.count, buses)
      try require(routing.busGroups.allSatisfy { $0 >= 0 && $0 <= HICANNX.driversPerBus }, "chip \(c) uses \(routing.busGroups) driver groups per bus, at most \(HICANNX.driversPerBus)")
      try require(routing.busDrivers.allSatisfy { $0 >= 0 && $0 <= HICANNX.driversPerBus }, "chip \(c) uses \(routing.busDrivers) synapse drivers per bus, at most \(HICANNX.driversPerBus)")
      try require(routing.fpgaOutputEntries >= 0 && routing.fpgaOutputEntries <= HICANNX.fpgaOutputEntries
                    && routing.fpgaInputEntries >= 0 && routing.fpgaInputEntries <= HICANNX.fpgaInputEntries,
                  "chip \(c) uses \(routing.fpgaOutputEntries) FPGA output and \(routing.fpgaInputEntries) input entries, at most \(HICANNX.fpgaOutputEntries) and \(HICANNX.fpgaInputEntries)")
    }
    try MappingStateError.requireCount("the quantisation records", quantisation.count, network.projections.count)
    for (p, projection) in network.projections.enumerated() {
      try require(quantisation[p].projection == projection.label, "quantisation record \(p) is of projection '\(quantisation[p].projection)', the network's is '\(projection.label)'")
      let q = quantisation[p]  // counts of synapses, summed below
      try require(q.synapses >= 0 && q.synapses <= 1 << 40 && q.zeroed >= 0 && q.zeroed <= q.synapses,
                  "quantisation record \(p) keeps \(q.synapses) synapses and zeroes \(q.zeroed)")
    }
    let kept = quantisation.reduce(0) { $0 + $1.synapses - $1.zeroed }
    try require(synapses == kept, "the chips hold \(synapses) synapses, the projections' quantisation kept \(kept)")
    try checkSynapses(held.sorted { $0 < $1 }, network: network, system: system, seed: seed)

    // FPGA routes and readout.
    try MappingStateError.requireCount("the remote-chip starts", remoteChipStart.count, cells + 1)
    try require(remoteChipStart.first == 0 && remoteChipStart.last.map(Int.init) == remoteChips.count
                  && zip(remoteChipStart, remoteChipStart.dropFirst()).allSatisfy { $0 <= $1 },
                "the FPGA routes' starts do not span the \(remoteChips.count) routes in order")
    if let chip = remoteChips.first(where: { $0 < 0 || Int($0) >= chipCount }) {
      throw MappingStateError("an FPGA route goes to chip \(chip), the system has \(chipCount)")
    }
    try MappingStateError.requireCount("the sampled cells per chip", sampledCells.count, chipCount)
    for (c, sampled) in sampledCells.enumerated() {
      try require(sampled.count <= system.madc.channels, "chip \(c) samples \(sampled.count) cells, its MADC has \(system.madc.channels) channels")
      for cell in sampled {
        try require(cell >= 0 && cell < cells && neuronOfCell[cell] >= 0 && neurons[Int(neuronOfCell[cell])].chip == c,
                    "chip \(c) samples cell \(cell), which is not one of its neurons")
      }
    }
  }

  /// The chips' synapses against the network's: the first that one of them lacks, by cells and weight.
  /// Made as the mapper makes them: 6-bit, or exact when `system` runs without `weights`.
  private func checkSynapses(_ held: [(cells: UInt64, weight: UInt32)], network: Network, system: BrainScaleS2System, seed: UInt64) throws(MappingStateError) {
    let expected: [(cells: UInt64, weight: UInt32)]
    do { expected = try BrainScaleS2Synapses(network: network, system: system, seed: seed).kept } catch { throw MappingStateError("its network's synapses cannot be made: \(error)") }
    if held.elementsEqual(expected, by: { $0 == $1 }) { return }
    let i = (0..<min(held.count, expected.count)).first { held[$0] != expected[$0] } ?? min(held.count, expected.count)
    let extra = i < held.count && (i == expected.count || held[i] < expected[i])
    let synapse = extra ? held[i] : expected[i]
    throw MappingStateError("its synapses are not the network's (mapping seed \(seed)): \(extra ? "the network has no" : "the chips hold no") synapse from cell "
                            + "\(synapse.cells >> 32) to cell \(synapse.cells & 0xFFFF_FFFF) of weight \(Float(bitPattern: synapse.weight))")
  }
}
