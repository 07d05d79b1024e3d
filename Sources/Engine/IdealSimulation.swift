#if canImport(Glibc)
import Glibc
#endif
import Distributed
import Fabric
import Hardware
import Mapping
import Model
import Traces

/// A distributed run of a network on an `ideal` system: the conservative window loop of
/// ARCHITECTURE.md §4 over a `Communicator`.
///
/// Every rank computes the same placement; rank r owns a contiguous block of chips, builds only
/// their synapses and steps only their neurons. A window runs every step whose time is before
/// `t0 + lookahead`, where t0 is the earliest next event over all ranks and the lookahead is the
/// chip-to-chip latency; packets for chips of other ranks arrive at or after the window's end and
/// are exchanged with one alltoallv per window. Results do not depend on the rank count: chips step
/// on the absolute grid, each link is fed by one router in time order, and synaptic input adds up
/// in integers, so the order packets arrive in cannot change a bit.
public final class IdealSimulation: CollectiveRun {
  let network: Network
  let system: IdealSystem
  let options: RunOptions
  public let communicator: Communicator
  public let placement: StripedPlacement
  let localChips: Range<Int>
  var chips: [IdealChip] = []
  var fabric: Fabric
  var routes: RoutingTables!
  var writer: RankTraceWriter!
  /// For each chip-local neuron of each local chip: population index, or -1 when not recorded.
  var recordedPopulation: [[Int32]] = []
  /// Per population: the (local chip, neuron) pairs sampled on this rank, in node order.
  var sampleSources: [[(chip: Int, local: Int)]] = []
  var sampleSteps: [Int64] = []
  public var phaseSeconds: [(phase: String, seconds: Double)] = []
  var windows = 0

  public init(network: Network, system: IdealSystem, options: RunOptions, communicator: Communicator) {
    self.network = network
    self.system = system
    self.options = options
    self.communicator = communicator
    placement = StripedPlacement(network: network, chips: system.chips, liveChips: system.liveChips)
    localChips = StripedPlacement.chips(ofRank: communicator.rank, chips: system.chips, ranks: communicator.size)
    fabric = system.makeFabric()
  }

  /// The lookahead: the latency of the links between chips (all rank-crossing links have it).
  public var lookahead: HardwareTime { system.link.latency }

  /// Runs the whole pipeline: map, build, run, write. Throws on this rank's own failure, or
  /// `stoppedByOtherRank` when another rank failed; every rank returns or throws, none hangs.
  public func run() throws(RunError) -> RunSummary {
    try phase("map+build") { () throws(RunError) in try build() }
    try phase("open traces") { () throws(RunError) in try openTraces() }
    let totals = try phase("run") { () throws(RunError) in try loop() }
    try phase("write") { () throws(RunError) in try finish() }
    let peak = try collective("summary") { try communicator.allreduce(peakMemoryBytes(), .max) }
    return RunSummary(windows: windows, steps: totalSteps, lookahead: HardwareClock.bioMilliseconds(lookahead),
                      spikes: totals.spikes, synapses: totals.synapses, synapticEvents: totals.events, packets: totals.packets, drops: totals.drops,
                      phaseSeconds: phaseSeconds, peakMemoryBytes: peak, tracePath: options.output + "/trace.h5")
  }

  var totalSteps: Int64 { Int64((options.duration / system.dt).rounded()) }

  // MARK: - Phases

  private func build() throws(RunError) {
    let generator = SynapseGenerator(network: network, seed: options.seed)
    let maximumTransit = (0..<fabric.linkCount).map { fabric.maximumTransit($0) }.max() ?? 0
    let transitSteps = Int((maximumTransit + system.stepTime - 1) / system.stepTime) + 1
    var failure: RunError?
    do {
      for c in localChips {
        chips.append(try IdealChip(index: c, placement: placement, generator: generator, dt: system.dt, maximumTransitSteps: transitSteps))
      }
    } catch {
      failure = .build(error)
    }
    try agree(failure, phase: "build")
    let keys = chips.map { (chip: $0.index, keys: $0.sourceKeys) }
    routes = try collective("routing") {
      try RoutingTables(sourceKeysOfLocalChips: keys, placement: placement, localChips: localChips,
                        chipCount: system.chips, communicator: communicator)
    }
    for c in chips.indices {
      let starts = routes.routeStart[c]
      chips[c].deliverInStep { starts[$0 + 1] > starts[$0] }
    }
  }

  private func openTraces() throws(RunError) {
    let populations = network.populations.indices.map { p -> RecordedPopulation in
      RecordedPopulation(name: network.populations[p].label, recordsSpikes: network.records(.spikes, of: network.populations[p].label),
                         sampledNodes: [])
    }
    var recorded = populations
    sampleSources = network.populations.map { _ in [] }
    for (c, chip) in chips.enumerated() {
      var populationOf = Array(repeating: Int32(-1), count: chip.neuronCount)
      for (g, slice) in chip.slices.enumerated() {
        for local in slice.chipOffset..<(slice.chipOffset + slice.count) where chip.spikeRecorded[local] {
          populationOf[local] = Int32(slice.population)
        }
        for local in chip.sampled[g] {
          sampleSources[slice.population].append((c, local))
          recorded[slice.population].sampledNodes.append(UInt64(slice.first + local - slice.chipOffset))
        }
      }
      recordedPopulation.append(populationOf)
    }
    sampleSteps = RunFiles.sampleSteps(network, step: system.dt)
    writer = try createRankFile(options.output, populations: recorded, links: localLinks.count)
  }

  /// The links this rank owns: those leaving its chips (contiguous, source-major).
  var localLinks: Range<Int> {
    let perChip = system.chips - 1
    return (localChips.lowerBound * perChip)..<(localChips.upperBound * perChip)
  }

  private func loop() throws(RunError) -> (spikes: Int, events: UInt64, packets: UInt64, drops: UInt64, synapses: Int64) {
    let dtTime = system.stepTime, steps = totalSteps, ranks = communicator.size
    let seriesSteps = max(1, Int64((system.counterInterval / system.dt).rounded()))
    var outbox = Array(repeating: [PacketRecord](), count: ranks)
    var series = LinkSeries(links: Array(localLinks))
    var progress = ProgressReporter(enabled: options.progress && communicator.rank == 0, duration: options.duration)
    var lastFlush = WallClock.now()
    var failure: RunError?
    var k: Int64 = 0
    while true {
      let next = k < steps ? (k + 1) * dtTime : .max
      let status = try collective("window") { try communicator.allreduce([next, failure == nil ? .max : Int64(communicator.rank)], .min) }
      if status[1] != .max {
        if let failure { throw failure }
        throw .stoppedByOtherRank(rank: Int(status[1]), phase: "the run")
      }
      guard status[0] != .max else { break }
      let end = status[0] + lookahead
      windows += 1
      while failure == nil && k < steps && (k + 1) * dtTime < end {
        let time = (k + 1) * dtTime
        for c in chips.indices {
          chips[c].step(k)
          route(chip: c, step: k, time: time, outbox: &outbox)
        }
        for p in sampleSources.indices where !sampleSources[p].isEmpty && (k + 1) % sampleSteps[p] == 0 {
          writer.recordSamples(population: p, sampleSources[p].map { Float(chips[$0.chip].v[$0.local]) })
        }
        do {
          if (k + 1) % seriesSteps == 0 {
            let row = series.row(fabric.counters)
            try writer.recordSeries(packets: row.packets, drops: row.drops)
          }
          if writer.pendingSpikeCount >= 1 << 16 { try writer.write(toDisk: false) }
        } catch {
          failure = .output(path: writer.path, reason: "\(error)")
        }
        k += 1
      }
      let received = try collective("exchange") {
        try communicator.alltoallv(records: Array(outbox.joined()), counts: outbox.map(\.count)).records
      }
      for r in outbox.indices { outbox[r].removeAll(keepingCapacity: true) }
      deliver(received.sorted(by: PacketRecord.precedes))
      if failure == nil && WallClock.now() - lastFlush >= options.flushInterval {
        do { try writer.write(toDisk: true) } catch { failure = .output(path: writer.path, reason: "\(error)") }
        lastFlush = WallClock.now()
      }
      progress.update(bioTime: Double(k) * system.dt)
    }
    progress.update(bioTime: options.duration, force: true)
    let local: [Int64] = [
      Int64(writer.spikeCounts.reduce(0, +) + writer.pendingSpikeCount),
      Int64(chips.reduce(0) { $0 + $1.synapticEvents }),
      Int64(localLinks.reduce(0) { $0 + fabric.counters.packets[$1] }),
      Int64(localLinks.reduce(0) { $0 + fabric.counters.totalDrops(link: $1) }),
      Int64(chips.reduce(0) { $0 + $1.synapseCount }),
    ]
    let sums = try collective("summary") { try communicator.allreduce(local, .sum) }
    return (Int(sums[0]), UInt64(sums[1]), UInt64(sums[2]), UInt64(sums[3]), sums[4])
  }

  /// Records the spikes chip `c` emitted in step k and sends them: to its own synapses directly,
  /// to other chips over the crossbar.
  @inline(__always)
  private func route(chip c: Int, step k: Int64, time: HardwareTime, outbox: inout [[PacketRecord]]) {
    let spikes = chips[c].spikes
    guard !spikes.isEmpty else { return }
    let a = chips[c].index, ranks = communicator.size
    let timeMs = HardwareClock.bioMilliseconds(time)
    for local in spikes {
      let l = Int(local)
      let key = chips[c].globalIds[l]
      let population = recordedPopulation[c][l]
      if population >= 0 {
        writer.recordSpike(population: Int(population), time: timeMs,
                           node: UInt64(Int(key) - placement.populationOffsets[Int(population)]))
      }
      chips[c].deliver(key: key, baseStep: k, earliestStep: k + 1)
      let first = routes.routeStart[c][l], end = routes.routeStart[c][l + 1]
      guard end > first else { continue }
      fabric.inject(router: a)
      for r in first..<end {
        let b = Int(routes.routeChips[c][r])
        guard let arrival = fabric.send(link: system.link(from: a, to: b), time: time) else { continue }
        if localChips.contains(b) {
          deliverPacket(chip: b - localChips.lowerBound, key: key, arrival: arrival)
        } else {
          outbox[StripedPlacement.rank(ofChip: b, chips: system.chips, ranks: ranks)]
            .append(PacketRecord(time: arrival, key: key, node: UInt32(b)))
        }
      }
    }
  }

  private func deliver(_ packets: [PacketRecord]) {
    for p in packets {
      deliverPacket(chip: Int(p.node) - localChips.lowerBound, key: p.key, arrival: p.time)
    }
  }

  /// A packet that crossed the fabric: its synaptic delays count from its emission, which the
  /// nominal latency recovers (extra queueing delays it further), but nothing lands before arrival.
  @inline(__always)
  private func deliverPacket(chip c: Int, key: UInt32, arrival: HardwareTime) {
    let dtTime = system.stepTime
    let base = arrival - system.link.latency
    let baseStep = (base + dtTime - 1) / dtTime - 1
    let earliest = (arrival + dtTime - 1) / dtTime - 1
    chips[c].deliver(key: key, baseStep: baseStep, earliestStep: earliest)
  }

  private func finish() throws(RunError) {
    let counters = fabric.counters
    let links = Array(localLinks)
    let linkColumns = fabric.linkColumns(links) + [("dead", links.map { fabric.deadLink[$0] ? 1 : 0 })]
    let routerColumns: [(name: String, values: [UInt64])] = [
      ("chip", localChips.map { UInt64($0) }),
      ("packets", localChips.map { counters.routerPackets[$0] }),
      ("drops", localChips.map { counters.routerDrops[$0] }),
      ("neurons", chips.map { UInt64($0.neuronCount) }),
      ("synapses", chips.map { UInt64($0.synapseCount) }),
      ("synaptic_events", chips.map { $0.synapticEvents }),
      ("late_events", chips.map { $0.lateEvents }),
      ("dead", localChips.map { fabric.deadRouter[$0] ? 1 : 0 }),
    ]
    let totals = FabricTotals(linkColumns: linkColumns, latencyHistogram: fabric.latencyHistogram(links),
                              latencyBins: FabricCounters.latencyBins, routerColumns: routerColumns)
    try finishRankFile(writer, fabric: totals)

    // Counts per rank, gathered as a sum of vectors with one slot per rank.
    let ranks = communicator.size, populations = network.populations.count
    var mine = Array(repeating: Int64(0), count: ranks * populations)
    for (p, count) in writer.spikeCounts.enumerated() { mine[communicator.rank * populations + p] = Int64(count) }
    let spikeCounts = try collective("gather") { try communicator.allreduce(mine, .sum) }
    let sampleRows = writer.sampleRows, seriesRows = writer.seriesRows
    try writeMasterFile(options.output) {
      try writeMaster(spikeCounts: spikeCounts, sampleRows: sampleRows, seriesRows: seriesRows,
                          linkColumns: linkColumns.map(\.name), routerColumns: routerColumns.map(\.name))
    }
  }

  private func writeMaster(spikeCounts: [Int64], sampleRows: [Int], seriesRows: Int, linkColumns: [String], routerColumns: [String]) throws {
    let ranks = communicator.size, populations = network.populations.count
    let rankChips = (0..<ranks).map { StripedPlacement.chips(ofRank: $0, chips: system.chips, ranks: ranks) }
    // Sampled node ids of every chip, per population: rank 0 knows the whole placement.
    var sampledOfChip = Array(repeating: [[UInt64]](repeating: [], count: populations), count: system.chips)
    for chip in 0..<system.chips {
      let slices = placement.slicesOfChip[chip]
      for (slice, locals) in zip(slices, IdealChip.recordedNeurons(slices: slices, network: network).sampled) {
        sampledOfChip[chip][slice.population] += locals.map { UInt64(slice.first + $0 - slice.chipOffset) }
      }
    }
    let layoutPopulations = network.populations.enumerated().map { p, population -> TraceLayout.Population in
      let sampled = rankChips.map { chips in chips.flatMap { sampledOfChip[$0][p] } }
      return TraceLayout.Population(
        name: population.label, size: population.size,
        spikeSegments: network.records(.spikes, of: population.label)
          ? TraceSegment.perRank((0..<ranks).map { Int(spikeCounts[$0 * populations + p]) }) : nil,
        sampledNodes: Array(sampled.joined()), sampleSegments: TraceSegment.perRank(sampled.map(\.count)),
        sampleRows: sampleRows[p], sampleInterval: Double(sampleSteps[p]) * system.dt)
    }
    let layout = TraceLayout(
      rankFiles: (0..<ranks).map { RunFiles.rankFileName($0) }, populations: layoutPopulations,
      linkColumns: linkColumns, routerColumns: routerColumns,
      linkSegments: TraceSegment.perRank(rankChips.map { $0.count * (system.chips - 1) }),
      routerSegments: TraceSegment.perRank(rankChips.map(\.count)),
      latencyBins: FabricCounters.latencyBins, seriesRows: seriesRows, seriesInterval: system.counterInterval)
    try MasterTraceWriter.write(path: options.output + "/trace.h5", layout: layout) { group in
      try self.writeProvenance(group, options: options, family: "ideal", windows: windows, lookahead: HardwareClock.bioMilliseconds(lookahead), dt: system.dt, speedup: system.speedup)
    }
  }

}

/// The release of NeuroFabric, printed by `--version` and `info` and written into trace provenance.
public let neuroFabricVersion = "0.2.0"
