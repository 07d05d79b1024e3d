import Hardware
import Model

/// Where the logical neurons of a network go on BrainScaleS-1 wafers, by the mapping pipeline's
/// strategies (docs/hardware.md §1.10; docs/peers.md §5.1):
/// - `sequential` fills working HICANNs in population order, denmem by denmem, in a serpentine over
///   each wafer's rows (neighbouring neurons on neighbouring HICANNs, a row's end next to the next
///   row's start), as marocco's default neuron placement fills its HICANN list;
/// - `random` and `graph` cut populations into slices of one neuron block and give them to the
///   pipeline's `Placer` on the wafer's HICANN grid (a `MachineGraph` whose chips are HICANNs, whose
///   processing elements are the 8 neuron blocks and whose links join grid neighbours): `random`
///   shuffles the slices over HICANNs in enum order, `graph` partitions the slice graph with METIS
///   and lays the parts next to the parts they talk to. Whole blocks leave a population's last
///   block partly empty, so these need more room than `sequential`.
/// V_reset is one value per floating-gate half (4 blocks, 128 columns); a population with another
/// V_reset starts the next half, or its block moves to the nearest HICANN with a half that fits.
enum HICANNPlacement {
  /// A placed neuron: global HICANN and first column.
  struct Site: Equatable { var hicann: Int, column: Int }

  /// The site of every neuron of the network (nil for spike sources, which enter through FPGAs).
  static func place(_ network: Network, system: BrainScaleS1System, strategy: PlacementStrategy, seed: UInt64)
    throws(BrainScaleS1MappingError) -> [Site?]
  {
    switch strategy {
    case .sequential: return try serpentine(network, system: system)
    case .random, .graph: return try blocks(network, system: system, strategy: strategy, seed: seed)
    }
  }

  static func neuronsPerBlock(_ system: BrainScaleS1System) -> Int { HICANN.columnsPerBlock / (system.denmemsPerNeuron / 2) }

  static func resetPotential(_ cell: CellType) -> Double {
    switch cell {
    case let .ifCurrExp(p), let .ifCondExp(p): return p.vReset
    case let .adexCondExp(p), let .adexCurrExp(p): return p.vReset
    default: return 0
    }
  }

  private static func serpentine(_ network: Network, system: BrainScaleS1System) throws(BrainScaleS1MappingError) -> [Site?] {
    var sites = [Site?](repeating: nil, count: network.neuronCount)
    let offsets = network.populationOffsets
    let width = system.denmemsPerNeuron / 2, perBlock = neuronsPerBlock(system)
    let working = (0..<system.hicanns).filter(system.works).sorted {
      let a = Wafer.coordinates[$0 % Wafer.hicanns], b = Wafer.coordinates[$1 % Wafer.hicanns]
      return ($0 / Wafer.hicanns, a.y, a.y % 2 == 0 ? a.x : -a.x) < ($1 / Wafer.hicanns, b.y, b.y % 2 == 0 ? b.x : -b.x)
    }
    var slot = 0  // over working HICANNs × 8 blocks × perBlock
    var resetOfHalf: [Int: Double] = [:]
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      let vReset = resetPotential(population.cellType)
      for i in 0..<population.size {
        while true {
          let h = slot / (HICANN.blocks * perBlock)
          guard h < working.count else { throw .hicannsExhausted(population: population.label, neuron: i, hicanns: working.count) }
          let column = (slot % (HICANN.blocks * perBlock)) / perBlock * HICANN.columnsPerBlock + (slot % perBlock) * width
          let half = working[h] * 2 + column / (HICANN.columns / 2)
          if let r = resetOfHalf[half], r != vReset {
            slot = (slot / (HICANN.blocks * perBlock / 2) + 1) * (HICANN.blocks * perBlock / 2)  // next half
            continue
          }
          resetOfHalf[half] = vReset
          sites[offsets[p] + i] = Site(hicann: working[h], column: column)
          slot += 1
          break
        }
      }
    }
    return sites
  }

  /// The wafers' HICANN grid as the pipeline's machine: links to the grid neighbours
  /// (`BrainScaleS1System.gridSteps`), none between wafers; a defect HICANN has no blocks and no links.
  static func machineGraph(_ system: BrainScaleS1System) -> MachineGraph {
    MachineGraph(linksPerChip: BrainScaleS1System.gridSteps.count, neighbour: system.gridNeighbours(),
                 workingPEs: (0..<system.hicanns).map { system.works($0) ? Array(0..<HICANN.blocks) : [] },
                 chipMemoryBytes: Int.max, tableCapacity: Int.max,
                 chipNames: (0..<system.hicanns).map { "HICANN \($0 % Wafer.hicanns) of wafer \($0 / Wafer.hicanns)" })
  }

  private static func blocks(_ network: Network, system: BrainScaleS1System, strategy: PlacementStrategy, seed: UInt64)
    throws(BrainScaleS1MappingError) -> [Site?]
  {
    let perBlock = neuronsPerBlock(system), width = system.denmemsPerNeuron / 2
    var slices: [PopulationSlice] = []
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      for first in stride(from: 0, to: population.size, by: perBlock) {
        slices.append(PopulationSlice(population: p, first: first, count: min(perBlock, population.size - first)))
      }
    }
    let machine = machineGraph(system)
    guard slices.count <= machine.liveChips.count * HICANN.blocks else {
      throw .placement("\(strategy.rawValue) placement needs \(slices.count) neuron blocks (whole blocks of up to \(perBlock) neurons per "
        + "population); the \(machine.liveChips.count) working HICANNs have \(machine.liveChips.count * HICANN.blocks) (sequential packs neurons across blocks)")
    }
    let graph: SliceGraph
    do {
      graph = try SliceGraph(slices: slices, traffic: ExpectedTraffic(network: network, defaultRate: 10), network: network)
    } catch {
      guard case let .connections(unreadable) = error else { throw .placement("\(error)") }
      throw .connections(unreadable)
    }
    let loads = slices.map { SliceLoad(cycles: Double($0.count), localBytes: 0, chipBytes: 0, packets: 0, synapticEvents: 0) }
    let chipOf: [Int]
    do {
      chipOf = try Placer(graph: graph, loads: loads, machine: machine, seed: seed).place(strategy, objective: .edgeCut).chip
    } catch {
      throw .placement("\(strategy.rawValue) placement of \(slices.count) neuron blocks failed: \(error)")
    }

    // Blocks within each HICANN, one V_reset per floating-gate half; a block that finds no half
    // moves to the nearest HICANN (grid hops, then index) with room in a half of its V_reset.
    let reset = slices.map { resetPotential(network.populations[$0.population].cellType) }
    var halfReset = [Double?](repeating: nil, count: system.hicanns * 2)
    var halfUsed = [Int](repeating: 0, count: system.hicanns * 2)
    var blockOf = [Int](repeating: -1, count: slices.count), hicannOf = chipOf
    func put(_ s: Int, on h: Int) -> Bool {
      let perHalf = HICANN.blocks / 2
      let open = (0..<2).filter { halfReset[h * 2 + $0] == reset[s] && halfUsed[h * 2 + $0] < perHalf }
      let empty = (0..<2).filter { halfReset[h * 2 + $0] == nil }
      guard let half = open.first ?? empty.first else { return false }
      halfReset[h * 2 + half] = reset[s]
      blockOf[s] = half * perHalf + halfUsed[h * 2 + half]
      halfUsed[h * 2 + half] += 1
      hicannOf[s] = h
      return true
    }
    var moved: [Int] = []
    for s in slices.indices.sorted(by: { (chipOf[$0], reset[$0], $0) < (chipOf[$1], reset[$1], $1) }) where !put(s, on: chipOf[s]) {
      moved.append(s)
    }
    for s in moved {
      let hops = machine.shortestPathTree(from: chipOf[s]).hops
      let near = machine.liveChips.sorted { (hops[$0] < 0 ? Int.max : hops[$0], $0) < (hops[$1] < 0 ? Int.max : hops[$1], $1) }
      guard near.contains(where: { put(s, on: $0) }) else {
        let population = network.populations[slices[s].population]
        throw .hicannsExhausted(population: population.label, neuron: slices[s].first, hicanns: machine.liveChips.count)
      }
    }
    var sites = [Site?](repeating: nil, count: network.neuronCount)
    let offsets = network.populationOffsets
    for (s, slice) in slices.enumerated() {
      for k in 0..<slice.count {
        sites[offsets[slice.population] + slice.first + k] = Site(hicann: hicannOf[s], column: blockOf[s] * HICANN.columnsPerBlock + k * width)
      }
    }
    return sites
  }
}
