import Fabric
import Foundation
import Hardware
import Mapping
import Model
import Traces

/// The PEs of a SpiNNaker machine that one rank owns (docs/hardware.md §3, §5).
///
/// Every rank loads the PEs of the chips the mapping gave it. A window is one tick: the PEs update
/// their neurons and send their spikes; the packets of the tick go to every rank and the whole
/// machine's routers move them (every rank computes the same router and link dynamics, so no
/// packet crosses ranks twice and the lookahead is one tick, the earliest a spike can be
/// consumed); each rank's PEs then take the deliveries to them in arrival order. The PEs' work is
/// divided among ranks; the routers are repeated on each, which is cheap next to the synapses.
final class SpiNNakerRun: FamilyRun {
  typealias Packet = SpiNNakerPacket

  let spinnaker: SpiNNakerMapping
  let network: Network
  let options: RunOptions
  let rank: Int
  /// Slices run on this rank, ascending, and their PEs.
  var localSlices: [Int] = []
  var pes: [SpiNNakerPE] = []
  /// Local PE of (chip, physical PE), or -1.
  var peOf: [Int32] = []
  /// Built in `load`, once the memory estimate has been checked.
  var routers: SpiNNakerRouters!
  var spikeRecorded: [[Bool]] = []
  let sends: [Bool]
  let sliceMap: SpiNNakerSliceMap
  let wanted: [Bool]
  var series: LinkSeries!
  var outgoing: [PacketRecord] = []
  var deliveries: [SpiNNakerRouters.Delivery] = []
  var energy: [(name: String, joules: Double)] = []

  init(mapping: SpiNNakerMapping, network: Network, options: RunOptions, rank: Int) {
    spinnaker = mapping
    self.network = network
    self.options = options
    self.rank = rank
    sliceMap = mapping.mapping.sliceMap
    let graph = mapping.mapping.graph
    sends = (0..<graph.count).map { !graph.edges(of: $0).isEmpty }
    wanted = mapping.decomposition.rankOfChip.map { $0 == rank }
  }

  var system: SpiNNakerSystem { spinnaker.system }
  var mapping: NetworkMapping { spinnaker.mapping }
  var machine: MachineGraph { spinnaker.machine }
  var owner: [Int] { spinnaker.decomposition.rankOfChip }
  var family: String { system.family }
  var tickLength: HardwareTime { HardwareClock.hardwareTime(bioMilliseconds: system.timestep) }
  var dt: Double { system.timestep }
  var windowSteps: Int64 { 1 }
  var localChips: [Int] { spinnaker.decomposition.chips(ofRank: rank) }
  /// Links leaving this rank's chips, chip by chip.
  var localLinks: [Int] { localChips.flatMap { routers.links(of: $0) } }
  var seriesColumns: Int { localLinks.count }
  /// Bio time between rows of `/fabric/series` (ms): 1 ms, or the tick when it is longer.
  var seriesInterval: Double { max(1, system.timestep) }
  var seriesTicks: Int64 { max(1, Int64((seriesInterval / system.timestep).rounded())) }

  var plan: String {
    "  run          \(Int(steps).grouped) ticks of \(system.timestep) ms on \(spinnaker.decomposition.ranks) rank(s); output \(options.output)/trace.h5"
  }

  /// Every rank runs the whole machine's routers and links; its own PEs' synapses.
  var memoryEstimate: [(part: String, bytes: Double)] {
    let chips = system.chips.count, links = chips * 6, buffer = system.link.bufferPackets
    return [
      ("routers and links of \(chips.grouped) chips", Fabric.estimatedBytes(links: links, routers: chips, bufferPackets: buffer)
        + Double(chips) * (12 * 8 + 4 * Double(mapping.graph.count))),
      ("series and totals of this rank's links", Double(spinnaker.decomposition.chips(ofRank: rank).count * 6) * LinkSeries.bytesPerLink),
      ("synapses (4-byte words, 12 bytes more while built)", network.expectedSynapseCount / Double(spinnaker.decomposition.ranks) * 16),
    ]
  }

  func load() throws(RunError) -> [[PacketRecord]] {
    routers = SpiNNakerRouters(system: system, tables: mapping.tables, slices: sliceMap)
    if let stimulus = network.stimuli.first { throw .load(SpiNNakerBuildError.unsupportedStimulus(target: stimulus.target)) }
    let placement = mapping.placement
    localSlices = (0..<mapping.graph.count).filter { owner[placement.chip[$0]] == rank }
    let hosted = localSlices.map { mapping.graph.slices[$0] }
    do {
      // Reading stored connections can fail on some ranks only (each reads its own): the engine agrees.
      let generator = try SynapseGenerator(network: network, seed: options.seed) { population in
        hosted.filter { $0.population == population }.map(\.range)
      }
      for s in localSlices { pes.append(try SpiNNakerPE(slice: s, slices: sliceMap, generator: generator, system: system)) }
    } catch {
      throw .load(error)
    }
    peOf = Array(repeating: -1, count: machine.chipCount * system.pesPerChip)
    for (i, s) in localSlices.enumerated() { peOf[placement.chip[s] * system.pesPerChip + placement.pe[s]] = Int32(i) }
    recordTraces()
    return []
  }

  private func recordTraces() {
    for pe in pes { spikeRecorded.append(network.recorded(population: pe.population, neurons: pe.first..<(pe.first + pe.count)).spikes) }
    series = LinkSeries(links: localLinks)
  }

  /// A unit per slice (a PE's neurons), in slice order; its chip is the PE's index (chip × PEs per chip + PE).
  var recordingUnits: RecordingUnits {
    let graph = mapping.graph, placement = mapping.placement
    var units = RecordingUnits()
    for s in 0..<graph.count {
      let slice = graph.slices[s]
      units.append(owner: owner[placement.chip[s]], population: slice.population, nodes: slice.range,
                   chip: placement.chip[s] * system.pesPerChip + placement.pe[s],
                   sampled: network.recorded(population: slice.population, neurons: slice.range).sampled.map { (UInt64(slice.first + $0), $0) })
    }
    return units
  }

  /// One tick (windows are one tick long): the PEs update and send; every rank gets every packet.
  func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
    let placement = mapping.placement, keys = mapping.keys
    for k in window {
      let tickStart = k * tickLength, stamp = Double(k + 1) * system.timestep
      outgoing.removeAll(keepingCapacity: true)
      for i in pes.indices {
        pes[i].update(tick: k, at: tickStart)
        let s = pes[i].slice
        for (j, neuron) in pes[i].spikes.enumerated() {
          if spikeRecorded[i][Int(neuron)] {
            records.spike(population: pes[i].population, time: stamp, node: UInt64(pes[i].first + Int(neuron)))
          }
          if sends[s] {
            outgoing.append(SpiNNakerPacket(emitted: pes[i].spikeTimes[j], key: keys.key(slice: s, atom: Int(neuron)), sourceChip: placement.chip[s]).record)
          }
        }
      }
      records.sample(step: k) { pe, neuron in Float(self.pes[Int(self.peOf[pe])].membrane(neuron)) }
    }
    for r in outbox.indices { outbox[r].append(contentsOf: outgoing) }
  }

  /// The tick's packets of every rank, in one deterministic order, through the routers of the
  /// whole machine; this rank's PEs take theirs.
  func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords) {
    let k = window.lowerBound
    deliveries.removeAll(keepingCapacity: true)
    routers.route(packets, wanted: wanted, into: &deliveries)
    deliveries.sort { ($0.chip, $0.pe, $0.time, $0.key) < ($1.chip, $1.pe, $1.time, $1.key) }
    var a = 0
    while a < deliveries.count {
      var b = a + 1
      while b < deliveries.count && deliveries[b].chip == deliveries[a].chip && deliveries[b].pe == deliveries[a].pe { b += 1 }
      let i = peOf[Int(deliveries[a].chip) * system.pesPerChip + Int(deliveries[a].pe)]
      if i >= 0 { pes[Int(i)].receive(deliveries[a..<b], tick: k, tickLength: tickLength) }
      a = b
    }
    if (k + 1) % seriesTicks == 0 {
      let row = series.row(routers.fabric.counters)
      records.series(packets: row.packets, drops: row.drops)
    }
  }

  func counters() -> RunCounters {
    var counters = RunCounters()
    counters.add("synaptic_events", pes.reduce(0) { $0 + Int64($1.synapticEvents) })
    counters.add("overruns", pes.reduce(0) { $0 + Int64($1.overruns) })
    counters.add("input_queue_drops", pes.reduce(0) { $0 + Int64($1.queueDrops) })
    counters.add("saturations", pes.reduce(0) { $0 + Int64($1.saturations) })
    counters.add("synapses", pes.reduce(0) { $0 + Int64($1.synapseCount + $1.localInputCount) })
    counters.add("late_events", pes.reduce(0) { $0 + Int64($1.lateEvents) })
    counters.add(real: "neuron_cycles", pes.reduce(0) { $0 + $1.neuronCycles })
    counters.add(real: "packet_cycles", pes.reduce(0) { $0 + $1.packetCycles })
    counters.add(real: "synapse_cycles", pes.reduce(0) { $0 + $1.synapseCycles })
    // Cycles per tick against the tick's budget: planned (mean traffic), measured mean, busiest tick.
    let budget = system.coreCosts.cyclesPerTick, ticks = Double(max(1, steps))
    counters.add(maximum: "planned_load", (pes.map { mapping.loads[$0.slice].cycles }.max() ?? 0) / budget)
    counters.add(maximum: "measured_load", (pes.map { ($0.neuronCycles + $0.packetCycles + $0.synapseCycles) / ticks }.max() ?? 0) / budget)
    counters.add(maximum: "busiest_load", (pes.map(\.maxTickCycles).max() ?? 0) / budget)
    return counters
  }

  func totals(_ counters: RunCounters) -> FamilyTotals {
    energy = energyEstimate(cycles: [counters.real("neuron_cycles"), counters.real("packet_cycles"), counters.real("synapse_cycles")])
    let events = UInt64(counters["synaptic_events"]), overruns = counters["overruns"], queueDrops = counters["input_queue_drops"]
    let lost = routers.lost.reduce(0, +), dropped = routers.dropped.reduce(0, +)
    func sum(_ counts: [UInt64]) -> String { Int(counts.reduce(0, +)).grouped }
    let routerLine = "\(sum(routers.localPackets)) local, \(sum(routers.externalPackets)) external, "
      + "\(sum(routers.defaultRouted)) default-routed, \(sum(routers.emergencyRouted)) emergency-routed, "
      + "\(Int(dropped).grouped) dropped (\(sum(routers.reinjected)) reinjected, \(Int(lost).grouped) lost), \(sum(routers.missed)) missed"
    let budget = system.coreCosts.cyclesPerTick, ticks = Double(max(1, steps))
    let busiest = counters.maximum("busiest_load")
    let loadLine = String(format: "cycles per tick (of %.0f): planned up to %.0f %%, measured mean up to %.0f %%, busiest tick %.0f %%",
                          budget, 100 * counters.maximum("planned_load"), 100 * counters.maximum("measured_load"), 100 * busiest)
    let overrunShare = Double(overruns) / (Double(mapping.graph.count) * ticks)
    let peLine = "\(mapping.graph.count) PEs, \(Int(overruns).grouped) timer overruns (\(String(format: "%.2f", 100 * overrunShare)) % of PE ticks), "
      + "\(Int(queueDrops).grouped) packets dropped at full input queues, "
      + "\(Int(counters["saturations"]).grouped) ring-buffer saturations, \(Int(counters["late_events"]).grouped) synaptic events later than their delay"
    let total = energy.reduce(0) { $0 + $1.joules }
    let energyLine = String(format: "%.4g J: ", total) + energy.map { String(format: "%@ %.3g J", $0.name, $0.joules) }.joined(separator: ", ")
      + (events > 0 ? String(format: "; %.3g nJ per synaptic event", total / Double(events) * 1e9) : "")
    return FamilyTotals(synapses: counters["synapses"], synapticEvents: events,
                        packets: routers.fabric.counters.packets.reduce(0, +), drops: lost + UInt64(queueDrops) + routers.missed.reduce(0, +),
                        notes: ["router            \(routerLine)", "processing elems  \(peLine)", "PE load           \(loadLine)"]
                          + (overrunShare > Self.overrunWarningShare ? [overrunWarning(share: overrunShare, busiest: busiest)] : [])
                          + ["energy (estimate) " + energyLine],
                        energyJoules: total, fabric: fabricTotals())
  }

  /// Overruns in more than this share of PE ticks make the run summary warn (1 %).
  static let overrunWarningShare = 0.01

  /// What overruns mean for the results, and what to change: the CPU plan holds Poisson bursts of
  /// the expected rates; a network that synchronises makes larger ones.
  func overrunWarning(share: Double, busiest: Double) -> String {
    String(format: "WARNING           PEs overran in %.1f %% of their ticks (busiest tick %.0f %% of the budget): the network's bursts exceed "
      + "the CPU plan, so updates, spikes and synaptic input come late; raise [chip] clock or lower [costs] usable_fraction", 100 * share, 100 * busiest)
  }

  /// Energy per event class (docs/hardware.md §3.8): idle chips for the run's bio time (SpiNNaker
  /// runs in real time), router traversals, and CPU work priced at the active-core power per cycle.
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

  private func fabricTotals() -> FabricTotals {
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
      ("planned_cycles", pes.map { UInt64(mapping.loads[$0.slice].cycles.rounded()) }),
      ("burst_cycles", pes.map { UInt64(mapping.loads[$0.slice].burstCycles(system.coreCosts).rounded()) }),
      ("max_tick_cycles", pes.map { UInt64($0.maxTickCycles.rounded()) }),
    ]
    return FabricTotals(linkColumns: linkColumns, latencyHistogram: routers.fabric.latencyHistogram(links),
                        latencyBins: FabricCounters.latencyBins, routerColumns: routerColumns, peColumns: peColumns)
  }

  /// Per chip its links and its router; per slice its PE.
  var fabricRows: FabricRows {
    let placement = mapping.placement
    return FabricRows(links: (0..<machine.chipCount).map { TraceSegment(rank: owner[$0], count: routers.links(of: $0).count) },
                      routers: (0..<machine.chipCount).map { TraceSegment(rank: owner[$0], count: 1) },
                      pes: (0..<mapping.graph.count).map { TraceSegment(rank: owner[placement.chip[$0]], count: 1) })
  }

  /// `/mapping` and `/energy`.
  func writeGroups(to root: HDF5Group) throws {
    try spinnaker.write(to: root)
    let group = try root.createGroup("energy")
    try group.setAttribute("units", "J")
    try group.setAttribute("source", "docs/hardware.md §3.8 (SpiNNaker1 figures as the documented default)")
    for (name, joules) in energy { try group.setAttribute(name, joules) }
    try group.setAttribute("total", energy.reduce(0) { $0 + $1.joules })
  }
}
