import Hardware
import Model

extension BrainScaleS1Mapping {
  /// Checks a saved mapping against `network` on `system` before a HICANN is configured from it.
  ///
  /// The state carries its own copy of the system; it must be the run's (its name aside, which a
  /// topology without `[system] name` takes from its file name), since the placement, the routes
  /// around defects and the driver chains were made for it and the HICANNs are built from it.
  /// Then: every non-source neuron of every population placed exactly once, on aligned columns of
  /// one neuron block of a working HICANN, in (HICANN, column) order (so no two share a column),
  /// one V_reset per floating-gate half; every bus on a sending repeater of a working HICANN, its
  /// sources with distinct usable addresses and each source's bus (own, or the FPGA input of a
  /// wafer) naming it back; every route's HLine, VLine and crossbar switch on the HICANN's lines,
  /// segments and synapse drivers held by one bus and no defect; every HICANN's synapse entries
  /// sorted by source, fed by a bus that carries the source and reaches the HICANN (routed, or
  /// directly after its grid distance when the state's system runs without `synapse-loss`), onto the
  /// HICANN's neurons, only where a projection connects the populations and within its gain; the
  /// gains within the network's weights; the synapse loss per projection leaving exactly the
  /// synapses realised (and, for a fixed in-degree of one weight, the network's count); traced
  /// membranes those the network records, at most 2 per reticle. The state has no owner ranks:
  /// ranks own reticles by the run's rank count (`DomainDecomposition.reticles`). Linear in the
  /// state's size (and the system's line count).
  public func check(network: Network, system run: BrainScaleS1System) throws(MappingStateError) {
    let require = MappingStateError.require
    var named = system
    named.name = run.name
    try require(named == run, "it embeds a system that is not the run's: \(Self.difference(system, run))")
    let populations = network.populations, cells = network.neuronCount, hicanns = system.hicanns, wafers = system.wafers
    try MappingStateError.requireCount("the population offsets", cellOffsets.count, populations.count)
    try require(cellOffsets == network.populationOffsets, "the populations start at cells \(cellOffsets), the network's at \(network.populationOffsets)")
    try MappingStateError.requireCount("the logical neuron of each cell", neuronOfCell.count, cells)
    try MappingStateError.requireCount("the bus of each cell", busOfCell.count, cells)
    var populationOfCell = [Int32](repeating: 0, count: cells)
    for (p, offset) in cellOffsets.enumerated() {
      for i in 0..<populations[p].size { populationOfCell[offset + i] = Int32(p) }
    }
    func where_(_ h: Int) -> String { "HICANN \(h % Wafer.hicanns) of wafer \(h / Wafer.hicanns)" }
    func cellName(_ cell: Int) -> String {
      let p = Int(populationOfCell[cell])
      return "neuron \(cell - cellOffsets[p]) of population '\(populations[p].label)'"
    }

    // Neurons: every cell of a neuron population exactly once, on its own columns of one block.
    let placed = populations.filter { !$0.cellType.isSource }.reduce(0) { $0 + $1.size }
    try require(neurons.count == placed, "it places \(neurons.count) neurons, the network has \(placed) (spike sources take no denmem)")
    let width = system.denmemsPerNeuron / 2
    var halfReset = [Double?](repeating: nil, count: hicanns * 2)
    for (i, n) in neurons.enumerated() {
      try require(n.population >= 0 && n.population < populations.count, "neuron \(i) is of population \(n.population), the network has \(populations.count)")
      let population = populations[n.population], label = population.label
      try require(!population.cellType.isSource, "neuron \(i) is of population '\(label)', a spike source, which takes no denmem")
      try require(n.index >= 0 && n.index < population.size, "neuron \(i) is neuron \(n.index) of population '\(label)', which has \(population.size)")
      let name = "neuron \(n.index) of population '\(label)'"
      try require(n.hicann >= 0 && n.hicann < hicanns, "\(name) is on HICANN \(n.hicann), the system has \(hicanns)")
      try require(system.works(n.hicann), "\(name) is on \(where_(n.hicann)), a defect")
      try require(n.denmems == system.denmemsPerNeuron, "\(name) takes \(n.denmems) denmems, the system's neurons \(system.denmemsPerNeuron)")
      let offset = n.column % HICANN.columnsPerBlock
      try require(n.column >= 0 && n.column < HICANN.columns && offset % width == 0 && offset + width <= HICANN.columnsPerBlock,
                  "\(name) takes \(width) columns from column \(n.column) of \(where_(n.hicann)), not \(width) columns of one 32-column neuron block")
      // Aligned in their block and in strict (HICANN, column) order, no two neurons share a column.
      try require(i == 0 || (neurons[i - 1].hicann, neurons[i - 1].column) < (n.hicann, n.column),
                  "\(name) is not after the neuron before it in HICANN and column order (two neurons on one column, or out of order)")
      try require(neuronOfCell[cellOffsets[n.population] + n.index] == Int32(i),
                  "\(name) is placed twice, or its cell names another logical neuron")
      let half = n.hicann * 2 + n.column / (HICANN.columns / 2), reset = HICANNPlacement.resetPotential(population.cellType)
      try require(halfReset[half] == nil || halfReset[half] == reset,
                  "\(name) has V_reset \(reset) in floating-gate half \(half % 2) of \(where_(n.hicann)), which holds \(halfReset[half] ?? 0) (one value per half)")
      halfReset[half] = reset
    }
    for (cell, n) in neuronOfCell.enumerated() {
      let source = populations[Int(populationOfCell[cell])].cellType.isSource
      try require(source ? n == -1 : n >= 0 && Int(n) < neurons.count,
                  "\(cellName(cell)) names logical neuron \(n), the mapping has \(neurons.count)\(source ? " and spike sources none" : "")")
    }
    try MappingStateError.requireCount("the neurons of each HICANN", neuronsOfHICANN.count, hicanns)
    var next = 0
    for (h, range) in neuronsOfHICANN.enumerated() where !range.isEmpty {
      try require(range.lowerBound == next && range.upperBound <= neurons.count && neurons[range.lowerBound].hicann == h
                    && neurons[range.upperBound - 1].hicann == h && (range.upperBound == neurons.count || neurons[range.upperBound].hicann != h),
                  "the neurons listed on \(where_(h)) (\(range)) are not the neurons placed there")
      next = range.upperBound
    }
    try require(next == neurons.count, "the HICANNs list \(next) neurons, the mapping has \(neurons.count)")

    // Buses: a sending repeater each, sources with usable addresses, each source's bus naming it.
    let usable = Set(HICANN.usableAddresses)
    var repeaterBus = [Int32](repeating: -1, count: hicanns * HICANN.blocks)
    var sources = 0
    var listed = [Bool](repeating: false, count: cells), listedInput = Set<Int>()
    for (b, bus) in buses.enumerated() {
      try require(bus.hicann >= 0 && bus.hicann < hicanns && bus.repeater >= 0 && bus.repeater < HICANN.blocks,
                  "bus \(b) starts at repeater \(bus.repeater) of HICANN \(bus.hicann), the system has \(hicanns) HICANNs of \(HICANN.blocks) repeaters")
      try require(system.works(bus.hicann), "bus \(b) starts on \(where_(bus.hicann)), a defect")
      try require(repeaterBus[bus.hicann * HICANN.blocks + bus.repeater] < 0,
                  "buses \(repeaterBus[bus.hicann * HICANN.blocks + bus.repeater]) and \(b) both start at repeater \(bus.repeater) of \(where_(bus.hicann))")
      repeaterBus[bus.hicann * HICANN.blocks + bus.repeater] = Int32(b)
      try require(bus.sources.count == bus.addresses.count && bus.sources.count <= HICANN.addressesPerBus,
                  "bus \(b) carries \(bus.sources.count) sources with \(bus.addresses.count) addresses, at most \(HICANN.addressesPerBus)")
      var addresses = UInt64(0)
      for (k, cell) in bus.sources.enumerated() {
        let address = bus.addresses[k]
        try require(usable.contains(address) && addresses & (1 << UInt64(address)) == 0,
                    "source \(k) of bus \(b) has L1 address \(address), not a usable one or taken on the bus")
        addresses |= 1 << UInt64(address)
        try require(cell >= 0 && cell < cells, "source \(k) of bus \(b) is cell \(cell), the network has \(cells)")
        let n = Int(neuronOfCell[cell])
        let own = n >= 0 && neurons[n].hicann / Wafer.hicanns == bus.hicann / Wafer.hicanns
        try require(own ? busOfCell[cell] == Int32(b) : inputBus[cell * wafers + bus.hicann / Wafer.hicanns] == Int32(b),
                    "bus \(b) carries \(cellName(cell)), whose \(own ? "own bus" : "FPGA input on wafer \(bus.hicann / Wafer.hicanns)") is another")
        let first = own ? !listed[cell] : listedInput.insert(cell * wafers + bus.hicann / Wafer.hicanns).inserted
        try require(first, "bus \(b) carries \(cellName(cell)) twice")
        if own { listed[cell] = true }
      }
      sources += bus.sources.count
    }
    for (cell, b) in busOfCell.enumerated() {
      let n = Int(neuronOfCell[cell])
      guard n >= 0 else {
        try require(b == -1, "\(cellName(cell)), a spike source, sends on bus \(b) (the FPGA plays it in)")
        continue
      }
      let neuron = neurons[n], repeater = neuron.block / system.blocksPerBus * system.blocksPerBus
      try require(b >= 0 && Int(b) < buses.count && buses[Int(b)].hicann == neuron.hicann && buses[Int(b)].repeater == repeater,
                  "\(cellName(cell)) sends on bus \(b), not the bus of repeater \(repeater) of its \(where_(neuron.hicann))")
    }
    for (key, b) in inputBus {
      try require(key >= 0 && key < cells * wafers, "an FPGA input is keyed \(key), the network has \(cells) cells on \(wafers) wafer(s)")
      let cell = key / wafers, wafer = key % wafers, n = Int(neuronOfCell[cell])
      try require(n < 0 || neurons[n].hicann / Wafer.hicanns != wafer, "\(cellName(cell)) has an FPGA input on its own wafer \(wafer)")
      try require(b >= 0 && Int(b) < buses.count && buses[Int(b)].hicann / Wafer.hicanns == wafer,
                  "the FPGA input of \(cellName(cell)) on wafer \(wafer) is bus \(b), not one of that wafer")
    }
    // Each source listed once per bus: every bus, own or FPGA input, names its sources back.
    try require(sources == placed + inputBus.count, "the buses carry \(sources) sources, the neurons and FPGA inputs are \(placed + inputBus.count)")

    // Routes: lines and switches of the HICANNs, each segment and driver held by one bus.
    var hLineOwner = [Int32](repeating: -1, count: hicanns * HICANN.hLines)
    var vLineOwner = [Int32](repeating: -1, count: hicanns * HICANN.vLines)
    var driverOwner = [Int32](repeating: -1, count: hicanns * 2 * HICANN.driversPerSide)
    for d in system.defectHLines where d.hicann.global < hicanns && (0..<HICANN.hLines).contains(d.line) { hLineOwner[d.hicann.global * HICANN.hLines + d.line] = -2 }
    for d in system.defectVLines where d.hicann.global < hicanns && (0..<HICANN.vLines).contains(d.line) { vLineOwner[d.hicann.global * HICANN.vLines + d.line] = -2 }
    var feedOf: [Int: Int] = [:]   // bus × hicanns + HICANN → hops
    for (b, bus) in buses.enumerated() {
      let route = bus.route
      func take(_ owner: inout [Int32], _ s: L1Route.Segment, lines: Int, kind: String) throws(MappingStateError) {
        try require(s.hicann >= 0 && s.hicann < hicanns && s.line >= 0 && s.line < lines && system.works(s.hicann),
                    "bus \(b) runs on \(kind) \(s.line) of HICANN \(s.hicann), the system has \(hicanns) HICANNs (working) of \(lines) \(kind)s")
        let holder = owner[s.hicann * lines + s.line]
        try require(holder == -1 || holder == Int32(b),
                    "bus \(b) runs on \(kind) \(s.line) of \(where_(s.hicann)), \(holder == -2 ? "a defect" : "which bus \(holder) holds")")
        owner[s.hicann * lines + s.line] = Int32(b)
      }
      for s in route.hLines { try take(&hLineOwner, s, lines: HICANN.hLines, kind: "HLine") }
      for s in route.vLines { try take(&vLineOwner, s, lines: HICANN.vLines, kind: "VLine") }
      for x in route.crossbarSwitches {
        try require(x.hicann >= 0 && x.hicann < hicanns && (0..<HICANN.hLines).contains(x.hLine) && (0..<HICANN.vLines).contains(x.vLine)
                      && HICANN.crossbarSwitch(vLine: x.vLine, hLine: x.hLine),
                    "bus \(b) sets crossbar switch HLine \(x.hLine) → VLine \(x.vLine) of HICANN \(x.hicann), which does not exist")
      }
      for a in route.arrivals {
        try require(a.hicann >= 0 && a.hicann < hicanns && system.works(a.hicann), "bus \(b) feeds HICANN \(a.hicann), the system has \(hicanns) (working)")
        let at = "bus \(b) feeds \(where_(a.hicann))"
        try require(a.vLine >= 0 && a.vLine < HICANN.vLines && a.side == (a.vLine < HICANN.vLines / 2 ? 0 : 1)
                      && a.switchRow >= 0 && a.switchRow < HICANN.switchRowsPerSide,
                    "\(at) from VLine \(a.vLine) through synapse-switch row \(a.switchRow) of side \(a.side)")
        try require(a.drivers >= 1 && a.drivers <= system.maxDriverChain && a.firstDriver >= 0 && a.firstDriver + a.drivers <= HICANN.driversPerSide,
                    "\(at) through drivers \(a.firstDriver)..<\(a.firstDriver + a.drivers) of side \(a.side), a side has \(HICANN.driversPerSide) and a chain at most \(system.maxDriverChain)")
        try require(a.hops >= 0 && a.hops <= route.hLines.count + route.vLines.count,
                    "\(at) after \(a.hops) HICANN segments, the route has \(route.hLines.count + route.vLines.count)")
        try require(feedOf.updateValue(a.hops, forKey: b * hicanns + a.hicann) == nil, "\(at) twice")
        for d in a.firstDriver..<(a.firstDriver + a.drivers) {
          let i = (a.hicann * 2 + a.side) * HICANN.driversPerSide + d
          try require(driverOwner[i] < 0, "\(at) through synapse driver \(d) of side \(a.side), which bus \(driverOwner[i]) feeds")
          driverOwner[i] = Int32(b)
        }
      }
      // Without `synapse-loss`, targets no route reached are fed directly, after their grid distance.
      for d in route.direct ?? [] {
        try require(!system.losesSynapses, "bus \(b) feeds HICANN \(d.hicann) without a route, which only a mapping without synapse-loss does")
        try require(d.hicann >= 0 && d.hicann < hicanns && system.works(d.hicann) && d.hicann / Wafer.hicanns == bus.hicann / Wafer.hicanns,
                    "bus \(b) feeds HICANN \(d.hicann) directly, the system has \(hicanns) (working) and the bus starts on wafer \(bus.hicann / Wafer.hicanns)")
        let grid = L1Route.DirectFeed(source: bus.hicann, target: d.hicann).hops
        try require(d.hops == grid, "bus \(b) feeds \(where_(d.hicann)) directly after \(d.hops) HICANN segments, its grid distance is \(grid)")
        try require(feedOf.updateValue(d.hops, forKey: b * hicanns + d.hicann) == nil, "bus \(b) feeds \(where_(d.hicann)) twice")
      }
    }

    // Synapses: sorted entries of buses that carry the source and reach the HICANN, onto its
    // neurons, where a projection connects the populations, within the projection's weights.
    try MappingStateError.requireCount("the loss records", loss.count, network.projections.count)
    try MappingStateError.requireCount("the projection gains", weightScale.count, network.projections.count)
    var largest: [Int: Double] = [:]   // pre × populations + post → the largest weight a projection between them realises
    for (p, projection) in network.projections.enumerated() {
      try require(loss[p].projection == projection.label, "loss record \(p) is of projection '\(loss[p].projection)', the network's is '\(projection.label)'")
      try require(weightScale[p].isFinite && weightScale[p] >= 0, "projection '\(projection.label)' has gain \(weightScale[p])")
      // What the network says of the projection's weights and, for a fixed in-degree of one
      // weight, its synapses, whatever the seed (stored and listed connections carry their own).
      switch projection.connector {
      case .fromList, .stored: break
      default:
        let most = max(abs(projection.weight.lowerBound), abs(projection.weight.upperBound)), gain = weightScale[p] * Double(HICANN.maxWeight)
        try require(gain <= most * (1 + 1e-6), "projection '\(projection.label)' realises weights up to \(gain), the network's are at most \(most)")
        if case let .constant(w) = projection.weight, w != 0 {
          try require(weightScale[p] == 0 || abs(gain - abs(w)) <= abs(w) * 1e-6,
                      "projection '\(projection.label)' realises weights up to \(gain), the network's are \(abs(w))")
          if case let .fixedIndegree(k, _) = projection.connector, let post = network.populationIndex(projection.post) {
            try require(loss[p].synapses == k * populations[post].size,
                        "projection '\(projection.label)' records \(loss[p].synapses) synapses, the network's \(k) onto each of \(populations[post].size) neurons make \(k * populations[post].size)")
          }
        }
      }
      if let pre = network.populationIndex(projection.pre), let post = network.populationIndex(projection.post) {
        largest[pre * populations.count + post] = max(largest[pre * populations.count + post] ?? 0, weightScale[p] * Double(HICANN.maxWeight))
      }
    }
    try MappingStateError.requireCount("the HICANN inputs", inputs.count, hicanns)
    var synapses = 0
    for (h, input) in inputs.enumerated() {
      let entries = input.entrySource.count, local = neuronsOfHICANN[h]
      try require(input.entryBus.count == entries && input.entryHops.count == entries && input.targetStart.count == entries + 1,
                  "\(where_(h))'s synapse entries have \(entries) sources, \(input.entryBus.count) buses, \(input.entryHops.count) hops and \(input.targetStart.count - 1) starts")
      try require(input.targetStart.first == 0 && input.targetStart.last.map(Int.init) == input.targetNeuron.count
                    && input.targetWeight.count == input.targetNeuron.count,
                  "\(where_(h))'s synapse table starts at \(input.targetStart.first ?? -1) and ends at \(input.targetStart.last ?? -1), it holds \(input.targetNeuron.count) neurons and \(input.targetWeight.count) weights")
      for e in 0..<entries {
        let source = Int(input.entrySource[e]), b = Int(input.entryBus[e])
        try require(source < cells, "entry \(e) of \(where_(h)) has source cell \(source), the network has \(cells)")
        try require(e == 0 || input.entrySource[e - 1] < input.entrySource[e], "entry \(e) of \(where_(h)) is not after entry \(e - 1) in source order")
        try require(b >= 0 && b < buses.count && (busOfCell[source] == Int32(b) || inputBus[source * wafers + h / Wafer.hicanns] == Int32(b)),
                    "entry \(e) of \(where_(h)) takes \(cellName(source)) from bus \(b), which does not carry it")
        let hops = feedOf[b * hicanns + h]
        try require(hops.map { $0 == Int(input.entryHops[e]) } ?? false,
                    "entry \(e) of \(where_(h)) takes \(cellName(source)) from bus \(b), which \(hops == nil ? "does not reach it" : "reaches it after \(hops!) segments, not \(input.entryHops[e])")")
        let (start, end) = (Int(input.targetStart[e]), Int(input.targetStart[e + 1]))
        try require(start < end, "the synapses of entry \(e) of \(where_(h)) end before they start")
        let pre = Int(populationOfCell[source])
        for j in start..<end {
          let target = Int(input.targetNeuron[j])
          try require(target >= 0 && target < local.count, "synapse \(j) of \(where_(h)) is onto its neuron \(target), the HICANN holds \(local.count)")
          let post = neurons[local.lowerBound + target].population
          let bound = largest[pre * populations.count + post]
          try require(bound != nil, "synapse \(j) of \(where_(h)) runs from '\(populations[pre].label)' to '\(populations[post].label)', which no projection connects")
          let w = Double(input.targetWeight[j])
          try require(w.isFinite && abs(w) <= bound! * (1 + 1e-6), "synapse \(j) of \(where_(h)) has weight \(w), the projections from '\(populations[pre].label)' to '\(populations[post].label)' at most \(bound!)")
        }
      }
      synapses += input.targetNeuron.count
    }
    let limit = 1 << 48
    var kept = 0
    for l in loss {
      try require(l.lost.allSatisfy { LossCause(rawValue: $0.key) != nil && $0.value >= 0 && $0.value <= limit } && l.synapses >= 0 && l.synapses <= limit
                    && l.totalLost <= l.synapses,
                  "projection '\(l.projection)' records \(l.synapses) synapses and losses \(l.lost.sorted { $0.key < $1.key })")
      kept += l.synapses - l.totalLost
    }
    try require(synapses == kept, "the HICANNs hold \(synapses) synapses, the loss records leave \(kept)")

    // Traced membranes: those the network records, at most 2 per reticle.
    let recorded = populations.indices.flatMap { p in
      network.recorded(population: p, neurons: 0..<populations[p].size).sampled.map { cellOffsets[p] + $0 }
    }.filter { neuronOfCell[$0] >= 0 }
    try require(sampledCells == recorded, "it traces \(sampledCells.count) membranes, the network records \(recorded.count)\(sampledCells.count == recorded.count ? " others" : "")")
    var traced = [Int](repeating: 0, count: wafers * Wafer.reticles)
    for cell in sampledCells {
      let h = neurons[Int(neuronOfCell[cell])].hicann, r = h / Wafer.hicanns * Wafer.reticles + Wafer.reticleOf[h % Wafer.hicanns]
      traced[r] += 1
      try require(traced[r] <= 2, "reticle \(r % Wafer.reticles) of wafer \(r / Wafer.reticles) traces \(traced[r]) membranes, its analog outputs 2")
    }
  }

  /// The first setting in which two systems differ, as `name: state's, run's`.
  static func difference(_ a: BrainScaleS1System, _ b: BrainScaleS1System) -> String {
    let settings: [(String, String, String)] = [
      ("wafers", "\(a.wafers)", "\(b.wafers)"), ("denmems_per_neuron", "\(a.denmemsPerNeuron)", "\(b.denmemsPerNeuron)"),
      ("blocks_per_bus", "\(a.blocksPerBus)", "\(b.blocksPerBus)"), ("max_driver_chain", "\(a.maxDriverChain)", "\(b.maxDriverChain)"),
      ("strict", "\(a.strict)", "\(b.strict)"), ("without", "\(a.without.sorted())", "\(b.without.sorted())"), ("speedup", "\(a.speedup)", "\(b.speedup)"), ("step_ns", "\(a.integrationStepNanoseconds)", "\(b.integrationStepNanoseconds)"),
      ("defect HICANNs", "\(a.defectHICANNs.sorted().map { [$0.wafer, $0.hicann] })", "\(b.defectHICANNs.sorted().map { [$0.wafer, $0.hicann] })"),
      ("defect HLines", "\(a.defectHLines.count)", "\(b.defectHLines.count)"), ("defect VLines", "\(a.defectVLines.count)", "\(b.defectVLines.count)"),
      ("[layer1]", "\(a.l1)", "\(b.l1)"), ("[layer2]", "\(a.l2)", "\(b.l2)"),
      ("[mismatch]", "\(a.mismatchEnabled) \(a.calibrated) \(a.mismatch)", "\(b.mismatchEnabled) \(b.calibrated) \(b.mismatch)"),
    ]
    if let (name, mine, theirs) = settings.first(where: { $0.1 != $0.2 }) { return "\(name) is \(mine), the run's \(theirs)" }
    return "its defect lines differ from the run's"
  }
}
