import Distributed
import Fabric
import Hardware
import Mapping
import Model
import Traces

/// A distributed run of a network on a SpiNNaker machine (ARCHITECTURE.md §4, HARDWARE.md §3, §5).
///
/// Every rank maps the network the same way (the mapping does not depend on the rank count) and
/// loads the PEs of the chips METIS gave it. Time advances tick by tick: the PEs update their
/// neurons and send their spikes; the packets of the tick are gathered on every rank and the
/// whole machine's routers move them (every rank computes the same router and link dynamics, so
/// no packet crosses ranks twice and the lookahead is one tick, the earliest a spike can be
/// consumed); each rank's PEs then take the deliveries to them in arrival order. The PEs' work is
/// divided among ranks; the routers are repeated on each, which is cheap next to the synapses.
public final class SpiNNakerSimulation: CollectiveRun {
  let network: Network
  public let system: SpiNNakerSystem
  let options: RunOptions
  public let communicator: Communicator
  public let mapping: NetworkMapping
  public let machine: MachineGraph
  let placer: PlacementStrategy
  public var phaseSeconds: [(phase: String, seconds: Double)] = []
  /// Owner of each chip (dead chips: rank 0, which writes their empty rows).
  let owner: [Int]
  /// Slices run on this rank, ascending, and their PEs.
  var localSlices: [Int] = []
  var pes: [SpiNNakerPE] = []
  /// Local PE of (chip, physical PE), or -1.
  var peOf: [Int32] = []
  var routers: SpiNNakerRouters
  var writer: RankTraceWriter!
  var spikeRecorded: [[Bool]] = []
  /// Per population: (local PE, neuron) sampled on this rank, in node order.
  var sampleSources: [[(pe: Int, neuron: Int)]] = []
  var sampleSteps: [Int64] = []
  var spikesPerSlice: [Int64] = []
  var ticks = 0

  public init(network: Network, system: SpiNNakerSystem, options: RunOptions, communicator: Communicator,
              placer: PlacementStrategy) throws(RunError) {
    self.network = network
    self.system = system
    self.options = options
    self.communicator = communicator
    self.placer = placer
    machine = system.machineGraph
    do {
      mapping = try NetworkMapping(network: network, machine: machine, costs: system.coreCosts, tick: system.timestep * 1e-3,
                                   options: MappingOptions(strategy: placer, seed: options.seed, ranks: communicator.size,
                                                           localPoissonInput: system.localPoissonInput))
    } catch {
      throw .mapping(error)
    }
    owner = mapping.rankOfChip.map { max(0, $0) }
    routers = SpiNNakerRouters(system: system, mapping: mapping)
  }

  public var tickLength: HardwareTime { HardwareClock.hardwareTime(bioMilliseconds: system.timestep) }
  var totalTicks: Int64 { Int64((options.duration / system.timestep).rounded()) }
  var localChips: [Int] { (0..<machine.chipCount).filter { owner[$0] == communicator.rank } }
  /// Links leaving this rank's chips, chip by chip.
  var localLinks: [Int] { localChips.flatMap { routers.links(of: $0) } }
  /// Bio time between rows of `/fabric/series` (ms): 1 ms, or the tick when it is longer.
  var seriesInterval: Double { max(1, system.timestep) }

  public func run() throws(RunError) -> RunSummary {
    try phase("load") { () throws(RunError) in try load() }
    try phase("open traces") { () throws(RunError) in try openTraces() }
    let totals = try phase("run") { () throws(RunError) in try loop() }
    let energy = try phase("write") { () throws(RunError) in try finish(synapticEvents: totals.events) }
    let peak = try collective("summary") { try communicator.allreduce(peakMemoryBytes(), .max) }
    var notes = [
      "router            \(totals.routerLine)",
      "processing elems  \(totals.peLine)",
    ]
    notes.append("energy (estimate) " + energy)
    return RunSummary(windows: ticks, steps: totalTicks, lookahead: system.timestep, spikes: totals.spikes,
                      synapses: totals.synapses, synapticEvents: totals.events, packets: totals.packets, drops: totals.drops, phaseSeconds: phaseSeconds,
                      peakMemoryBytes: peak, tracePath: options.output + "/trace.h5", notes: notes)
  }

  // MARK: - Phases

  private func load() throws(RunError) {
    if let stimulus = network.stimuli.first { throw .load(.unsupportedStimulus(target: stimulus.target)) }
    let generator = SynapseGenerator(network: network, seed: options.seed)
    let placement = mapping.placement
    localSlices = (0..<mapping.graph.count).filter { owner[placement.chip[$0]] == communicator.rank }
    var failure: RunError?
    do throws(SpiNNakerBuildError) {
      for s in localSlices { pes.append(try SpiNNakerPE(slice: s, mapping: mapping, generator: generator, system: system)) }
    } catch {
      failure = .load(error)
    }
    try agree(failure, phase: "loading the processing elements")
    peOf = Array(repeating: -1, count: machine.chipCount * system.pesPerChip)
    for (i, s) in localSlices.enumerated() { peOf[placement.chip[s] * system.pesPerChip + placement.pe[s]] = Int32(i) }
  }

  private func openTraces() throws(RunError) {
    var recorded = network.populations.map {
      RecordedPopulation(name: $0.label, recordsSpikes: network.records(.spikes, of: $0.label), sampledNodes: [])
    }
    sampleSources = network.populations.map { _ in [] }
    for (i, pe) in pes.enumerated() {
      let (spikes, sampled) = network.recorded(population: pe.population, neurons: pe.first..<(pe.first + pe.count))
      spikeRecorded.append(spikes)
      for neuron in sampled {
        sampleSources[pe.population].append((i, neuron))
        recorded[pe.population].sampledNodes.append(UInt64(pe.first + neuron))
      }
    }
    sampleSteps = RunFiles.sampleSteps(network, step: system.timestep)
    spikesPerSlice = Array(repeating: 0, count: mapping.graph.count)
    writer = try createRankFile(options.output, populations: recorded, links: localLinks.count)
  }

  private struct Totals {
    var spikes = 0, events: UInt64 = 0, packets: UInt64 = 0, drops: UInt64 = 0, synapses: Int64 = 0
    var routerLine = "", peLine = ""
  }

  private func loop() throws(RunError) -> Totals {
    let ranks = communicator.size, h = tickLength, steps = totalTicks
    let seriesTicks = max(1, Int64((seriesInterval / system.timestep).rounded()))
    let graph = mapping.graph, placement = mapping.placement, keys = mapping.keys
    let sends = (0..<graph.count).map { !graph.edges(of: $0).isEmpty }
    let wanted = (0..<machine.chipCount).map { owner[$0] == communicator.rank }
    var series = LinkSeries(links: localLinks)
    var outgoing: [PacketRecord] = []
    var deliveries: [SpiNNakerRouters.Delivery] = []
    var progress = ProgressReporter(enabled: options.progress && communicator.rank == 0, duration: options.duration)
    var lastFlush = WallClock.now()
    var failure: RunError?
    for k in 0..<steps {
      let status = try collective("tick") { try communicator.allreduce(failure == nil ? Int64.max : Int64(communicator.rank), .min) }
      if status != .max {
        if let failure { throw failure }
        throw .stoppedByOtherRank(rank: Int(status), phase: "the run")
      }
      ticks += 1
      let tickStart = k * h, stamp = Double(k + 1) * system.timestep
      outgoing.removeAll(keepingCapacity: true)
      for i in pes.indices {
        pes[i].update(tick: k, at: tickStart)
        let s = pes[i].slice
        for (j, neuron) in pes[i].spikes.enumerated() {
          if spikeRecorded[i][Int(neuron)] {
            writer.recordSpike(population: pes[i].population, time: stamp, node: UInt64(pes[i].first + Int(neuron)))
            spikesPerSlice[s] += 1
          }
          if sends[s] {
            outgoing.append(PacketRecord(time: pes[i].spikeTimes[j], key: keys.key(slice: s, atom: Int(neuron)), node: UInt32(placement.chip[s])))
          }
        }
      }
      for p in sampleSources.indices where !sampleSources[p].isEmpty && (k + 1) % sampleSteps[p] == 0 {
        writer.recordSamples(population: p, sampleSources[p].map { Float(pes[$0.pe].membrane($0.neuron)) })
      }
      // Every rank gets every packet of the tick, in one deterministic order.
      var packets = try collective("exchange") {
        try communicator.alltoallv(records: Array(repeating: outgoing, count: ranks).flatMap { $0 },
                                   counts: Array(repeating: outgoing.count, count: ranks)).records
      }
      packets.sort(by: PacketRecord.precedes)
      deliveries.removeAll(keepingCapacity: true)
      routers.route(packets, wanted: wanted, into: &deliveries)
      deliveries.sort { ($0.chip, $0.pe, $0.time, $0.key) < ($1.chip, $1.pe, $1.time, $1.key) }
      var a = 0
      while a < deliveries.count {
        var b = a + 1
        while b < deliveries.count && deliveries[b].chip == deliveries[a].chip && deliveries[b].pe == deliveries[a].pe { b += 1 }
        let i = peOf[Int(deliveries[a].chip) * system.pesPerChip + Int(deliveries[a].pe)]
        if i >= 0 { pes[Int(i)].receive(deliveries[a..<b], tick: k, tickLength: h) }
        a = b
      }
      do {
        if (k + 1) % seriesTicks == 0 {
          let row = series.row(routers.fabric.counters)
          try writer.recordSeries(packets: row.packets, drops: row.drops)
        }
        if writer.pendingSpikeCount >= 1 << 16 { try writer.write(toDisk: false) }
        if WallClock.now() - lastFlush >= options.flushInterval {
          try writer.write(toDisk: true)
          lastFlush = WallClock.now()
        }
      } catch {
        failure = .output(path: writer.path, reason: "\(error)")
      }
      progress.update(bioTime: stamp)
    }
    try agree(failure, phase: "the run")  // every rank, so a failure in the last tick cannot leave the others in another collective
    progress.update(bioTime: options.duration, force: true)
    let local: [Int64] = [
      pes.reduce(0) { $0 + Int64($1.synapticEvents) },
      pes.reduce(0) { $0 + Int64($1.overruns) },
      pes.reduce(0) { $0 + Int64($1.queueDrops) },
      pes.reduce(0) { $0 + Int64($1.saturations) },
      pes.reduce(0) { $0 + Int64($1.synapseCount + $1.localInputCount) },
    ]
    let sums = try collective("summary") { try communicator.allreduce(local, .sum) }
    let spikes = try collective("summary") { try communicator.allreduce(spikesPerSlice, .sum) }
    spikesPerSlice = spikes
    var totals = Totals()
    totals.spikes = Int(spikes.reduce(0, +))
    totals.events = UInt64(sums[0])
    totals.synapses = sums[4]
    totals.packets = routers.fabric.counters.packets.reduce(0, +)
    let dropped = routers.dropped.reduce(0, +), lost = routers.lost.reduce(0, +)
    totals.drops = lost + UInt64(sums[2]) + routers.missed.reduce(0, +)
    func sum(_ counts: [UInt64]) -> String { Int(counts.reduce(0, +)).grouped }
    let reinjected = sum(routers.reinjected), lostText = Int(lost).grouped, droppedText = Int(dropped).grouped
    totals.routerLine = "\(sum(routers.localPackets)) local, \(sum(routers.externalPackets)) external, "
      + "\(sum(routers.defaultRouted)) default-routed, \(sum(routers.emergencyRouted)) emergency-routed, "
      + "\(droppedText) dropped (\(reinjected) reinjected, \(lostText) lost), \(sum(routers.missed)) missed"
    let overruns = Int(sums[1]).grouped, queueDrops = Int(sums[2]).grouped, saturations = Int(sums[3]).grouped
    totals.peLine = "\(mapping.graph.count) PEs, \(overruns) timer overruns, \(queueDrops) packets dropped at full input queues, "
      + "\(saturations) ring-buffer saturations"
    return totals
  }

  /// Writes the rank files and, on rank 0, trace.h5 with `/mapping` and `/energy`; returns the energy line.
  private func finish(synapticEvents events: UInt64) throws(RunError) -> String {
    let links = localLinks, chips = localChips
    let linkColumns = routers.fabric.linkColumns(links) + [("direction", links.map { UInt64(routers.direction(of: $0)) })]
    let coordinates = system.chips
    let routerColumns: [(name: String, values: [UInt64])] = [
      ("chip", chips.map { UInt64($0) }),
      ("x", chips.map { UInt64(coordinates[$0].x) }),
      ("y", chips.map { UInt64(coordinates[$0].y) }),
      ("packets", chips.map { routers.localPackets[$0] + routers.externalPackets[$0] }),
      ("local_multicast", chips.map { routers.localPackets[$0] }),
      ("external_multicast", chips.map { routers.externalPackets[$0] }),
      ("default_routed", chips.map { routers.defaultRouted[$0] }),
      ("emergency_routed", chips.map { routers.emergencyRouted[$0] }),
      ("dropped", chips.map { routers.dropped[$0] }),
      ("reinjected", chips.map { routers.reinjected[$0] }),
      ("lost", chips.map { routers.lost[$0] }),
      ("missed", chips.map { routers.missed[$0] }),
      ("drops", chips.map { routers.lost[$0] + routers.missed[$0] }),
    ]
    let placement = mapping.placement
    let peColumns: [(name: String, values: [UInt64])] = [
      ("slice", pes.map { UInt64($0.slice) }),
      ("chip", pes.map { UInt64(placement.chip[$0.slice]) }),
      ("pe", pes.map { UInt64(placement.pe[$0.slice]) }),
      ("population", pes.map { UInt64($0.population) }),
      ("first", pes.map { UInt64($0.first) }),
      ("neurons", pes.map { UInt64($0.count) }),
      ("synapses", pes.map { UInt64($0.synapseCount) }),
      ("overruns", pes.map(\.overruns)),
      ("packets_received", pes.map(\.packetsReceived)),
      ("input_queue_drops", pes.map(\.queueDrops)),
      ("synaptic_events", pes.map(\.synapticEvents)),
      ("saturations", pes.map(\.saturations)),
      ("late_events", pes.map(\.lateEvents)),
      ("cycles", pes.map { UInt64(($0.neuronCycles + $0.packetCycles + $0.synapseCycles).rounded()) }),
    ]
    let totals = FabricTotals(linkColumns: linkColumns, latencyHistogram: routers.fabric.latencyHistogram(links),
                              latencyBins: FabricCounters.latencyBins, routerColumns: routerColumns, peColumns: peColumns)
    try finishRankFile(writer, fabric: totals)

    let cycles = try collective("gather") {
      try communicator.allreduce([pes.reduce(0) { $0 + $1.neuronCycles }, pes.reduce(0) { $0 + $1.packetCycles },
                                  pes.reduce(0) { $0 + $1.synapseCycles }], .sum)
    }
    let energy = energyEstimate(cycles: cycles)
    let sampleRows = writer.sampleRows, seriesRows = writer.seriesRows
    try writeMasterFile(options.output) {
      try writeMaster(sampleRows: sampleRows, seriesRows: seriesRows, linkColumns: linkColumns.map(\.name),
                          routerColumns: routerColumns.map(\.name), peColumns: peColumns.map(\.name), energy: energy)
    }
    let total = energy.reduce(0) { $0 + $1.joules }
    return String(format: "%.4g J: ", total) + energy.map { String(format: "%@ %.3g J", $0.name, $0.joules) }.joined(separator: ", ")
      + (events > 0 ? String(format: "; %.3g nJ per synaptic event", total / Double(events) * 1e9) : "")
  }

  /// Energy per event class (HARDWARE.md §3.8): idle chips for the run's bio time (SpiNNaker runs in
  /// real time), router traversals, and CPU work priced at the active-core power per cycle.
  func energyEstimate(cycles: [Double]) -> [(name: String, joules: Double)] {
    let e = system.energy
    let perCycle = e.activeCoreWatts / (system.clockMHz * 1e6)
    let traversals = Double(routers.localPackets.reduce(0, +) + routers.externalPackets.reduce(0, +))
    return [
      ("idle_chips", e.idleChipWatts * Double(machine.liveChips.count) * options.duration * 1e-3),
      ("router_traversals", traversals * e.routerNanojoules * 1e-9),
      ("neuron_updates", cycles[0] * perCycle),
      ("packet_handling", cycles[1] * perCycle),
      ("synaptic_events", cycles[2] * perCycle),
    ]
  }

  private func writeMaster(sampleRows: [Int], seriesRows: Int, linkColumns: [String], routerColumns: [String],
                           peColumns: [String], energy: [(name: String, joules: Double)]) throws {
    let ranks = communicator.size, graph = mapping.graph, placement = mapping.placement
    let rankOfSlice = (0..<graph.count).map { owner[placement.chip[$0]] }
    let layoutPopulations = network.populations.enumerated().map { p, population -> TraceLayout.Population in
      let slices = Array(graph.firstSlice[p]..<graph.firstSlice[p + 1])
      var nodes: [UInt64] = [], sampleSegments: [TraceSegment] = []
      for s in slices {
        let sampled = network.recorded(population: p, neurons: graph.slices[s].range).sampled
        nodes += sampled.map { UInt64(graph.slices[s].first + $0) }
        sampleSegments.append(TraceSegment(rank: rankOfSlice[s], count: sampled.count))
      }
      return TraceLayout.Population(
        name: population.label, size: population.size,
        spikeSegments: network.records(.spikes, of: population.label)
          ? slices.map { TraceSegment(rank: rankOfSlice[$0], count: Int(spikesPerSlice[$0])) } : nil,
        sampledNodes: nodes, sampleSegments: sampleSegments, sampleRows: sampleRows[p],
        sampleInterval: Double(sampleSteps[p]) * system.timestep)
    }
    let layout = TraceLayout(
      rankFiles: (0..<ranks).map { RunFiles.rankFileName($0) }, populations: layoutPopulations,
      linkColumns: linkColumns, routerColumns: routerColumns, peColumns: peColumns,
      linkSegments: (0..<machine.chipCount).map { TraceSegment(rank: owner[$0], count: routers.links(of: $0).count) },
      routerSegments: (0..<machine.chipCount).map { TraceSegment(rank: owner[$0], count: 1) },
      peSegments: rankOfSlice.map { TraceSegment(rank: $0, count: 1) },
      latencyBins: FabricCounters.latencyBins, seriesRows: seriesRows, seriesInterval: seriesInterval)
    let context = MappingReportWriter.Context(system: system, path: options.systemName, network: options.networkName,
                                              placer: placer, seed: options.seed)
    try MasterTraceWriter.write(path: options.output + "/trace.h5", layout: layout, provenance: { group in
      try self.writeProvenance(group, options: options, family: system.family, windows: ticks, lookahead: system.timestep, dt: system.timestep, speedup: 1.0)
    }, extra: { root in
      try MappingReportWriter.write(mapping, machine: machine, context: context, to: root)
      let group = try root.createGroup("energy")
      try group.setAttribute("units", "J")
      try group.setAttribute("source", "HARDWARE.md §3.8 (SpiNNaker1 figures as the documented default)")
      for (name, joules) in energy { try group.setAttribute(name, joules) }
      try group.setAttribute("total", energy.reduce(0) { $0 + $1.joules })
    })
  }
}
