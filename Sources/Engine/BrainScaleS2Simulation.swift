import Distributed
import Fabric
import Hardware
import Mapping
import Model
import Traces

/// A distributed run of a network on a BrainScaleS-2 system (ARCHITECTURE.md §4, HARDWARE.md §2, §5).
///
/// Every rank computes the same mapping and owns a contiguous block of chips. The analog neurons
/// step on the absolute grid of the integration step; events go through each chip's crossbar
/// cycle by cycle. The only events that cross chips (and so ranks) go through the FPGAs, whose
/// path takes at least the lookahead, so a window of that many steps runs without exchange and
/// one alltoallv per window carries the FPGA events. Each chip orders its events by (time,
/// crossbar input, entry), so arbitration and drops are the same for any rank count.
public final class BrainScaleS2Simulation: CollectiveRun {
  let network: Network
  public let system: BrainScaleS2System
  let options: RunOptions
  public let communicator: Communicator
  public let mapping: BrainScaleS2Mapping
  let localChips: Range<Int>
  public private(set) var chips: [BrainScaleS2Chip] = []
  var writer: RankTraceWriter!
  public var phaseSeconds: [(phase: String, seconds: Double)] = []
  /// Per population: (local chip, neuron) sampled by the MADCs of this rank, in chip order.
  var sampleSources: [[(chip: Int, neuron: Int)]] = []
  var sampleSteps: [Int64] = []
  /// Spikes recorded per (population, chip), for the master file's segments.
  var spikeCounts: [[Int]] = []
  var recordsSpikes: [Bool] = []
  var windows = 0

  public init(network: Network, system: BrainScaleS2System, options: RunOptions, communicator: Communicator) throws(RunError) {
    self.network = network
    self.system = system
    self.options = options
    self.communicator = communicator
    do {
      mapping = try BrainScaleS2Mapping(network: network, system: system, seed: options.seed)
    } catch {
      throw .brainscales2(error)
    }
    localChips = StripedPlacement.chips(ofRank: communicator.rank, chips: system.chips, ranks: communicator.size)
  }

  /// Steps per window: the shortest chip-to-chip path (on-chip latency + FPGA path) in whole steps.
  public var windowSteps: Int64 { max(1, (system.onChipLatency + system.chipToChipLatency) / system.stepTime) }
  var totalSteps: Int64 { Int64((options.duration / system.dt).rounded()) }
  func owner(ofChip c: Int) -> Int {
    (0..<communicator.size).first { StripedPlacement.chips(ofRank: $0, chips: system.chips, ranks: communicator.size).contains(c) }!
  }

  public func run() throws(RunError) -> RunSummary {
    try phase("load") { load() }
    try phase("open traces") { () throws(RunError) in try openTraces() }
    let totals = try phase("run") { () throws(RunError) in try loop() }
    try phase("write") { () throws(RunError) in try finish() }
    let peak = try collective("summary") { try communicator.allreduce(peakMemoryBytes(), .max) }
    let drops = totals.drops
    var notes = ["crossbar          \(Int(totals.busEvents).grouped) PADI events, \(Int(totals.l2Events).grouped) events to the FPGAs, "
      + "\(Int(drops).grouped) dropped at busy outputs (\(String(format: "%.3g", totals.busEvents + drops > 0 ? 100 * Double(drops) / Double(totals.busEvents + drops) : 0)) %)"]
    notes.append("time              \(String(format: "%.3g", options.duration / system.speedup)) ms of hardware time (speed-up \(Int(system.speedup)))")
    return RunSummary(windows: windows, steps: totalSteps, lookahead: Double(windowSteps) * system.dt, spikes: totals.spikes,
                      synapses: Int64(mapping.chips.reduce(0) { $0 + $1.targetNeuron.count }), synapticEvents: totals.events,
                      packets: totals.l2Events, drops: drops, phaseSeconds: phaseSeconds, peakMemoryBytes: peak,
                      tracePath: options.output + "/trace.h5", notes: notes)
  }

  private func load() {
    chips = localChips.map { BrainScaleS2Chip(index: $0, mapping: mapping, network: network, system: system, seed: options.seed) }
  }

  private func openTraces() throws(RunError) {
    recordsSpikes = network.populations.map { network.records(.spikes, of: $0.label) }
    var recorded = network.populations.map { RecordedPopulation(name: $0.label, recordsSpikes: network.records(.spikes, of: $0.label), sampledNodes: []) }
    sampleSources = network.populations.map { _ in [] }
    let offsets = network.populationOffsets
    for (c, chip) in localChips.enumerated() {
      for cell in mapping.sampledCells[chip] {
        let n = mapping.neurons[Int(mapping.neuronOfCell[cell])]
        sampleSources[n.population].append((c, Int(mapping.neuronOfCell[cell]) - mapping.neuronsOfChip[chip].lowerBound))
        recorded[n.population].sampledNodes.append(UInt64(cell - offsets[n.population]))
      }
    }
    sampleSteps = network.populations.map { population in
      let interval = network.recordings.first { $0.population == population.label && $0.variables.contains(.v) }?.interval ?? 0.1
      return max(1, Int64((interval / system.dt).rounded()))
    }
    spikeCounts = network.populations.map { _ in [Int](repeating: 0, count: system.chips) }
    writer = try createRankFile(options.output, populations: recorded, links: chips.count)
  }

  private struct Totals {
    var spikes = 0, events: UInt64 = 0, busEvents: UInt64 = 0, l2Events: UInt64 = 0, drops: UInt64 = 0
  }

  private func loop() throws(RunError) -> Totals {
    let ranks = communicator.size, steps = totalSteps, window = windowSteps, h = system.stepTime
    let seriesSteps = max(1, Int64((1.0 / system.dt).rounded()))
    let owners = (0..<system.chips).map { owner(ofChip: $0) }
    var outbox = Array(repeating: [PacketRecord](), count: ranks)
    var series = CounterSeries(links: chips.count)
    var progress = ProgressReporter(enabled: options.progress && communicator.rank == 0, duration: options.duration)
    var lastFlush = WallClock.now()
    var failure: RunError?
    var k0: Int64 = 0
    while k0 < steps {
      try agree(failure, phase: "the run")
      let k1 = min(steps, k0 + window)
      windows += 1
      for c in chips.indices { chips[c].playBack(until: k1 * h) }
      for k in k0..<k1 {
        for c in chips.indices {
          chips[c].step(k)
          for (j, n) in chips[c].spikeNeurons.enumerated() {
            let cell = chips[c].cells[Int(n)]
            let neuron = mapping.neurons[Int(mapping.neuronOfCell[cell])]
            guard recordsSpikes[neuron.population] else { continue }
            writer.recordSpike(population: neuron.population, time: system.bioMilliseconds(chips[c].spikeTimes[j]), node: UInt64(neuron.index))
            spikeCounts[neuron.population][chips[c].index] += 1
          }
          for (cell, time) in chips[c].sent {
            for r in Int(mapping.remoteChipStart[cell])..<Int(mapping.remoteChipStart[cell + 1]) {
              let target = Int(mapping.remoteChips[r])
              outbox[owners[target]].append(PacketRecord(time: time, key: UInt32(cell), node: UInt32(target)))
            }
          }
        }
        for p in sampleSources.indices where !sampleSources[p].isEmpty && (k + 1) % sampleSteps[p] == 0 {
          writer.recordSamples(population: p, sampleSources[p].map { Float(system.madc.quantise(chips[$0.chip].neurons.membrane($0.neuron))) })
        }
        endOfStep(writer, step: k, seriesSteps: seriesSteps, failure: &failure) {
          series.row(packets: chips.map { $0.l2Events }, drops: chips.map { $0.totalDrops })
        }
      }
      let received = try exchange(&outbox)
      for packet in received { chips[Int(packet.node) - localChips.lowerBound].receive(cell: packet.key, time: packet.time) }
      flushIfDue(writer, interval: options.flushInterval, last: &lastFlush, failure: &failure)
      progress.update(bioTime: Double(k1) * system.dt)
      k0 = k1
    }
    try agree(failure, phase: "the run")
    progress.update(bioTime: options.duration, force: true)
    let local: [Int64] = [
      Int64(spikeCounts.joined().reduce(0, +)),
      Int64(chips.reduce(0) { $0 + $1.synapticEvents }),
      Int64(chips.reduce(0) { $0 + $1.busEvents }),
      Int64(chips.reduce(0) { $0 + $1.l2Events }),
      Int64(chips.reduce(0) { $0 + $1.totalDrops }),
    ]
    let sums = try collective("summary") { try communicator.allreduce(local, .sum) }
    let counts = try collective("summary") { try communicator.allreduce(spikeCounts.flatMap { $0.map(Int64.init) }, .sum) }
    spikeCounts = network.populations.indices.map { p in (0..<system.chips).map { Int(counts[p * system.chips + $0]) } }
    return Totals(spikes: Int(sums[0]), events: UInt64(sums[1]), busEvents: UInt64(sums[2]), l2Events: UInt64(sums[3]), drops: UInt64(sums[4]))
  }

  /// Writes the rank files and, on rank 0, trace.h5 with `/mapping`.
  private func finish() throws(RunError) {
    let latencyNs = (system.onChipLatencyNanoseconds + system.chipToChipLatencyNanoseconds).rounded()
    let bin = min(FabricCounters.latencyBins - 1, latencyNs < 1 ? 0 : Int(latencyNs).bitWidth - Int(latencyNs).leadingZeroBitCount)
    var histogram = [UInt64](repeating: 0, count: FabricCounters.latencyBins * chips.count)
    for c in chips.indices { histogram[bin * chips.count + c] = chips[c].l2Events }
    let linkColumns: [(name: String, values: [UInt64])] = [
      ("chip", chips.map { UInt64($0.index) }),
      ("packets", chips.map(\.l2Events)),
      ("drops", chips.map(\.l2Drops)),
    ]
    var routerColumns: [(name: String, values: [UInt64])] = [("chip", chips.map { UInt64($0.index) })]
    for o in 0..<HICANNX.crossbarOutputs {
      let name = o < 8 ? "padi_events_\(o)" : "l2_events_\(o - 8)"
      routerColumns.append((name, chips.map { $0.outputEvents[o] }))
    }
    for i in 0..<HICANNX.crossbarInputs { routerColumns.append(("input_drops_\(i)", chips.map { $0.inputDrops[i] })) }
    routerColumns.append(("drops", chips.map(\.totalDrops)))
    routerColumns.append(("synaptic_events", chips.map(\.synapticEvents)))
    let totals = FabricTotals(linkColumns: linkColumns, latencyHistogram: histogram, latencyBins: FabricCounters.latencyBins,
                              routerColumns: routerColumns)
    try finishRankFile(writer, fabric: totals)
    let sampleRows = writer.sampleRows, seriesRows = writer.seriesRows
    try writeMasterFile(options.output) {
      try writeMaster(sampleRows: sampleRows, seriesRows: seriesRows, linkColumns: linkColumns.map(\.name), routerColumns: routerColumns.map(\.name))
    }
  }

  private func writeMaster(sampleRows: [Int], seriesRows: Int, linkColumns: [String], routerColumns: [String]) throws {
    let ranks = communicator.size, owners = (0..<system.chips).map { owner(ofChip: $0) }
    let offsets = network.populationOffsets
    let populations = network.populations.enumerated().map { p, population -> TraceLayout.Population in
      var nodes: [UInt64] = [], segments: [TraceSegment] = []
      for c in 0..<system.chips {
        let sampled = mapping.sampledCells[c].filter { mapping.neurons[Int(mapping.neuronOfCell[$0])].population == p }
        nodes += sampled.map { UInt64($0 - offsets[p]) }
        segments.append(TraceSegment(rank: owners[c], count: sampled.count))
      }
      return TraceLayout.Population(
        name: population.label, size: population.size,
        spikeSegments: recordsSpikes[p] ? (0..<system.chips).map { TraceSegment(rank: owners[$0], count: spikeCounts[p][$0]) } : nil,
        sampledNodes: nodes, sampleSegments: segments, sampleRows: sampleRows[p], sampleInterval: Double(sampleSteps[p]) * system.dt)
    }
    let layout = TraceLayout(
      rankFiles: (0..<ranks).map { RunFiles.rankFileName($0) }, populations: populations,
      linkColumns: linkColumns, routerColumns: routerColumns,
      linkSegments: owners.map { TraceSegment(rank: $0, count: 1) }, routerSegments: owners.map { TraceSegment(rank: $0, count: 1) },
      latencyBins: FabricCounters.latencyBins, seriesRows: seriesRows, seriesInterval: 1.0)
    try MasterTraceWriter.write(path: options.output + "/trace.h5", layout: layout, provenance: { group in
      try self.writeProvenance(group, options: options, family: system.family, windows: windows, lookahead: Double(windowSteps) * system.dt, dt: system.dt, speedup: system.speedup,
                                mismatch: system.mismatchEnabled ? (system.calibrated ? "calibrated" : "uncalibrated") : "off")
    }, extra: { root in
      try BrainScaleS2MappingWriter.write(mapping, network: network, system: system, to: root)
    })
  }
}
