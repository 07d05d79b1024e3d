import Distributed
import Fabric
import Hardware
import Mapping
import Model
import Traces

/// A distributed run of a network on BrainScaleS-1 wafers (ARCHITECTURE.md §4, HARDWARE.md §1, §5).
///
/// Every rank computes the same mapping and owns a block of reticles (whole wafers when it can). A
/// synaptic event between ranks crosses at least one HICANN segment of L1, or only the FPGAs of L2
/// when ranks own whole wafers, so a window of that latency in steps runs without exchange; one alltoallv per window carries the events for other
/// ranks' HICANNs. Each HICANN orders its bus events and arrivals by (time, bus or entry, cell),
/// so collisions, drops and spikes are the same for any rank count.
public final class BrainScaleS1Simulation: CollectiveRun {
  let network: Network
  public let system: BrainScaleS1System
  let options: RunOptions
  public let communicator: Communicator
  public let mapping: BrainScaleS1Mapping
  /// Owner of each HICANN: ranks own blocks of reticles (whole wafers when there are as many wafers
  /// as ranks or more), and the HICANNs of this rank, ascending, with their local index.
  let owners: [Int]
  let localHICANNs: [Int]
  let localIndex: [Int]
  public private(set) var hicanns: [BrainScaleS1HICANN] = []
  var writer: RankTraceWriter!
  public var phaseSeconds: [(phase: String, seconds: Double)] = []
  var sampleSources: [[(hicann: Int, neuron: Int)]] = []
  var sampleSteps: [Int64] = []
  /// Spikes recorded per cell (global index), for the master file's segments.
  var spikeCounts: [Int] = []
  var recordsSpikes: [Bool] = []
  var windows = 0
  /// Local HICANNs with neurons, buses or synapses (the others have nothing to step).
  var active: [Int] = []
  /// Marks a packet for an FPGA input bus (Layer 2) rather than for a HICANN's drivers.
  static let layer2: UInt32 = 1 << 31

  public init(network: Network, system: BrainScaleS1System, options: RunOptions, communicator: Communicator,
              placer: PlacementStrategy = .sequential, sourceRate: (Int) -> Double) throws(RunError) {
    self.network = network
    self.system = system
    self.options = options
    self.communicator = communicator
    do {
      mapping = try BrainScaleS1Mapping(network: network, system: system, seed: options.seed, placer: placer, sourceRate: sourceRate)
    } catch {
      throw .brainscales1(error)
    }
    let reticles = system.wafers * Wafer.reticles, ranks = communicator.size
    let rankOfReticle = (0..<reticles).map { r in (0..<ranks).first { StripedPlacement.chips(ofRank: $0, chips: reticles, ranks: ranks).contains(r) }! }
    let owners = (0..<system.hicanns).map { rankOfReticle[$0 / Wafer.hicanns * Wafer.reticles + Wafer.reticleOf[$0 % Wafer.hicanns]] }
    let rank = communicator.rank
    self.owners = owners
    localHICANNs = owners.indices.filter { owners[$0] == rank }
    var index = [Int](repeating: -1, count: system.hicanns)
    for (i, h) in localHICANNs.enumerated() { index[h] = i }
    localIndex = index
  }

  /// Steps per window, less one (a spike is put on its bus at the next step): the Layer-2 latency
  /// when every wafer lies on one rank (only the FPGAs join ranks), else one L1 segment.
  public var windowSteps: Int64 {
    let wholeWafers = (0..<system.wafers).allSatisfy { w in Set(owners[(w * Wafer.hicanns)..<((w + 1) * Wafer.hicanns)]).count == 1 }
    let latency = wholeWafers ? system.l2.waferToWaferLatencyNanoseconds : system.l1.segmentLatencyNanoseconds
    return max(1, system.hardwareTime(nanoseconds: latency) / system.stepTime - 1)
  }
  var totalSteps: Int64 { Int64((options.duration / system.dt).rounded()) }

  public func run() throws(RunError) -> RunSummary {
    try phase("load") {
      hicanns = localHICANNs.map { BrainScaleS1HICANN(index: $0, mapping: mapping, network: network, seed: options.seed) }
      active = hicanns.indices.filter { !hicanns[$0].cells.isEmpty || !hicanns[$0].buses.isEmpty || !mapping.inputs[hicanns[$0].index].entrySource.isEmpty }
    }
    try phase("open traces") { () throws(RunError) in try openTraces() }
    let totals = try phase("run") { () throws(RunError) in try loop() }
    try phase("write") { () throws(RunError) in try finish() }
    let peak = try collective("summary") { try communicator.allreduce(peakMemoryBytes(), .max) }
    let notes = [
      "layer 1           \(Int(totals.busEvents).grouped) bus events, \(Int(totals.collisions).grouped) lost in collisions",
      "layer 2           \(Int(totals.sent).grouped) spikes to other wafers, \(Int(totals.late).grouped) dropped late at the FPGAs",
      "time              \(String(format: "%.3g", options.duration / system.speedup * 1000)) µs of hardware time (speed-up \(Int(system.speedup)))",
    ]
    return RunSummary(windows: windows, steps: totalSteps, lookahead: Double(windowSteps) * system.dt, spikes: totals.spikes,
                      synapses: Int64(mapping.inputs.reduce(0) { $0 + $1.targetNeuron.count }), synapticEvents: totals.events,
                      packets: totals.busEvents, drops: totals.collisions + totals.late, phaseSeconds: phaseSeconds,
                      peakMemoryBytes: peak, tracePath: options.output + "/trace.h5", notes: notes)
  }

  private func openTraces() throws(RunError) {
    recordsSpikes = network.populations.map { network.records(.spikes, of: $0.label) }
    var recorded = network.populations.map { RecordedPopulation(name: $0.label, recordsSpikes: network.records(.spikes, of: $0.label), sampledNodes: []) }
    sampleSources = network.populations.map { _ in [] }
    let offsets = network.populationOffsets
    for cell in mapping.sampledCells {
      let n = mapping.neurons[Int(mapping.neuronOfCell[cell])]
      guard localIndex[n.hicann] >= 0 else { continue }
      sampleSources[n.population].append((localIndex[n.hicann], Int(mapping.neuronOfCell[cell]) - mapping.neuronsOfHICANN[n.hicann].lowerBound))
      recorded[n.population].sampledNodes.append(UInt64(cell - offsets[n.population]))
    }
    sampleSteps = RunFiles.sampleSteps(network, step: system.dt)
    spikeCounts = [Int](repeating: 0, count: network.neuronCount)
    writer = try createRankFile(options.output, populations: recorded, links: hicanns.count)
  }

  private struct Totals {
    var spikes = 0, events: UInt64 = 0, busEvents: UInt64 = 0, collisions: UInt64 = 0, sent: UInt64 = 0, late: UInt64 = 0
  }

  private func loop() throws(RunError) -> Totals {
    let ranks = communicator.size, steps = totalSteps, window = windowSteps, h = system.stepTime
    let segment = system.hardwareTime(nanoseconds: system.l1.segmentLatencyNanoseconds)
    let l2Latency = system.hardwareTime(nanoseconds: system.l2.waferToWaferLatencyNanoseconds)
    let seriesSteps = max(1, Int64((1.0 / system.dt).rounded()))
    let feeds = mapping.buses.map { $0.route.feeds.map { (hicann: $0.hicann, latency: HardwareTime($0.hops + 1) * segment) } }
    var outbox = Array(repeating: [PacketRecord](), count: ranks)
    var progress = ProgressReporter(enabled: options.progress && communicator.rank == 0, duration: options.duration)
    var lastFlush = WallClock.now()
    var failure: RunError?
    var k0: Int64 = 0
    let stretch = max(1, segment / h - 1)
    var spikesOfStep = [[(population: Int, time: Double, node: UInt64)]](repeating: [], count: Int(stretch))
    var samples = sampleSources.map { [Float](repeating: 0, count: Int(stretch) * $0.count) }
    var sampledOfHICANN = [[(population: Int, column: Int, neuron: Int)]](repeating: [], count: hicanns.count)
    for (p, sources) in sampleSources.enumerated() {
      for (column, source) in sources.enumerated() { sampledOfHICANN[source.hicann].append((p, column, source.neuron)) }
    }
    var seriesPackets = [[UInt64]](repeating: [UInt64](repeating: 0, count: hicanns.count), count: Int(stretch))
    var seriesDrops = seriesPackets
    var series = CounterSeries(links: hicanns.count)
    func deliver(_ packet: PacketRecord) {
      if packet.node & Self.layer2 != 0 {
        let target = Int(packet.node & ~Self.layer2)
        let bus = mapping.inputBus[Int(packet.key) * system.wafers + target / Wafer.hicanns]!
        hicanns[localIndex[target]].receiveFromFPGA(bus: bus, cell: packet.key, time: packet.time)
      } else {
        hicanns[localIndex[Int(packet.node)]].receive(cell: packet.key, time: packet.time)
      }
    }
    while k0 < steps {
      try agree(failure, phase: "the run")
      let k1 = min(steps, k0 + window)
      windows += 1
      for i in active { hicanns[i].playBack(until: k1 * h) }
      // Each HICANN runs a stretch of `stretch` steps while its state is in cache: no event
      // reaches another HICANN sooner (every feed crosses at least one L1 segment), so the result
      // is what stepping all HICANNs step by step gives. What the steps record is kept per step
      // and written in step order.
      var s0 = k0
      while s0 < k1 {
        let s1 = min(k1, s0 + stretch)
        for i in active {
          for k in s0..<s1 {
            let r = Int(k - s0)
            hicanns[i].step(k)
            for (j, n) in hicanns[i].spikeNeurons.enumerated() {
              let neuron = mapping.neurons[mapping.neuronsOfHICANN[hicanns[i].index].lowerBound + Int(n)]
              guard recordsSpikes[neuron.population] else { continue }
              spikesOfStep[r].append((neuron.population, system.bioMilliseconds(hicanns[i].spikeTimes[j]), UInt64(neuron.index)))
              spikeCounts[mapping.cellOf(neuron)] += 1
            }
            for (bus, cell, time) in hicanns[i].passed {
              for f in feeds[Int(bus)] {
                let packet = PacketRecord(time: time + f.latency, key: cell, node: UInt32(f.hicann))
                if localIndex[f.hicann] >= 0 { deliver(packet) } else { outbox[owners[f.hicann]].append(packet) }
              }
            }
            for (bus, cell, time) in hicanns[i].l2 {
              let target = mapping.buses[Int(bus)].hicann
              outbox[owners[target]].append(PacketRecord(time: time + l2Latency, key: cell, node: UInt32(target) | Self.layer2))
            }
            for (p, column, neuron) in sampledOfHICANN[i] where (k + 1) % sampleSteps[p] == 0 {
              samples[p][r * sampleSources[p].count + column] = Float(hicanns[i].neurons.membrane(neuron))
            }
            if (k + 1) % seriesSteps == 0 {
              seriesPackets[r][i] = hicanns[i].sentToFPGA
              seriesDrops[r][i] = hicanns[i].lateOutput
            }
          }
        }
        for k in s0..<s1 {
          let r = Int(k - s0)
          for spike in spikesOfStep[r] { writer.recordSpike(population: spike.population, time: spike.time, node: spike.node) }
          spikesOfStep[r].removeAll(keepingCapacity: true)
          for p in sampleSources.indices where !sampleSources[p].isEmpty && (k + 1) % sampleSteps[p] == 0 {
            let n = sampleSources[p].count
            writer.recordSamples(population: p, Array(samples[p][(r * n)..<((r + 1) * n)]))
          }
          endOfStep(writer, step: k, seriesSteps: seriesSteps, failure: &failure) {
            series.row(packets: seriesPackets[r], drops: seriesDrops[r])
          }
        }
        s0 = s1
      }
      let received = try exchange(&outbox)
      for packet in received { deliver(packet) }
      flushIfDue(writer, interval: options.flushInterval, last: &lastFlush, failure: &failure)
      progress.update(bioTime: Double(k1) * system.dt)
      k0 = k1
    }
    try agree(failure, phase: "the run")
    progress.update(bioTime: options.duration, force: true)
    let local: [Int64] = [
      Int64(spikeCounts.reduce(0, +)),
      Int64(hicanns.reduce(0) { $0 + $1.synapticEvents }),
      Int64(hicanns.reduce(0) { $0 + $1.busEvents.reduce(0, +) }),
      Int64(hicanns.reduce(0) { $0 + $1.collisions.reduce(0, +) }),
      Int64(hicanns.reduce(0) { $0 + $1.sentToFPGA }),
      Int64(hicanns.reduce(0) { $0 + $1.lateInput + $1.lateOutput }),
    ]
    let sums = try collective("summary") { try communicator.allreduce(local, .sum) }
    spikeCounts = try collective("summary") { try communicator.allreduce(spikeCounts.map(Int64.init), .sum) }.map { Int($0) }
    return Totals(spikes: Int(sums[0]), events: UInt64(sums[1]), busEvents: UInt64(sums[2]), collisions: UInt64(sums[3]),
                  sent: UInt64(sums[4]), late: UInt64(sums[5]))
  }

  /// Writes the rank files and, on rank 0, trace.h5 with `/mapping`.
  private func finish() throws(RunError) {
    let linkColumns: [(name: String, values: [UInt64])] = [
      ("hicann", hicanns.map { UInt64($0.index) }),
      ("packets", hicanns.map(\.sentToFPGA)),
      ("drops", hicanns.map(\.lateOutput)),
    ]
    let routerColumns: [(name: String, values: [UInt64])] = [
      ("hicann", hicanns.map { UInt64($0.index) }),
      ("wafer", hicanns.map { UInt64($0.index / Wafer.hicanns) }),
      ("x", hicanns.map { UInt64(Wafer.coordinates[$0.index % Wafer.hicanns].x) }),
      ("y", hicanns.map { UInt64(Wafer.coordinates[$0.index % Wafer.hicanns].y) }),
      ("reticle", hicanns.map { UInt64(Wafer.reticleOf[$0.index % Wafer.hicanns]) }),
      ("bus_events", hicanns.map { $0.busEvents.reduce(0, +) }),
      ("collisions", hicanns.map { $0.collisions.reduce(0, +) }),
      ("late_input", hicanns.map(\.lateInput)),
      ("late_output", hicanns.map(\.lateOutput)),
      ("sent_to_fpga", hicanns.map(\.sentToFPGA)),
      ("drops", hicanns.map { $0.collisions.reduce(0, +) + $0.lateInput + $0.lateOutput }),
      ("synaptic_events", hicanns.map(\.synapticEvents)),
    ]
    let totals = FabricTotals(linkColumns: linkColumns, latencyHistogram: [UInt64](repeating: 0, count: FabricCounters.latencyBins * hicanns.count),
                              latencyBins: FabricCounters.latencyBins, routerColumns: routerColumns)
    try finishRankFile(writer, fabric: totals)
    let sampleRows = writer.sampleRows, seriesRows = writer.seriesRows
    try writeMasterFile(options.output) {
      try writeMaster(sampleRows: sampleRows, seriesRows: seriesRows, linkColumns: linkColumns.map(\.name), routerColumns: routerColumns.map(\.name))
    }
  }

  /// The blocks of the ranks' id-sorted spikes that concatenate to all spikes sorted by id, neuron
  /// by neuron (the writer merges runs on one rank): a placement need not keep ids in rank order.
  private func spikeSegments(population p: Int) -> [TraceSegment] {
    let cells = network.populationOffsets[p]..<(network.populationOffsets[p] + network.populations[p].size)
    return cells.map { TraceSegment(rank: owners[mapping.neurons[Int(mapping.neuronOfCell[$0])].hicann], count: spikeCounts[$0]) }
  }

  private func writeMaster(sampleRows: [Int], seriesRows: Int, linkColumns: [String], routerColumns: [String]) throws {
    let ranks = communicator.size
    let offsets = network.populationOffsets
    let populations = network.populations.enumerated().map { p, population -> TraceLayout.Population in
      var nodes: [UInt64] = [], segments: [TraceSegment] = []
      for r in 0..<ranks {
        let sampled = mapping.sampledCells.filter {
          let n = mapping.neurons[Int(mapping.neuronOfCell[$0])]
          return n.population == p && owners[n.hicann] == r
        }
        nodes += sampled.map { UInt64($0 - offsets[p]) }
        segments.append(TraceSegment(rank: r, count: sampled.count))
      }
      return TraceLayout.Population(
        name: population.label, size: population.size,
        spikeSegments: recordsSpikes[p] ? spikeSegments(population: p) : nil,
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
      try BrainScaleS1MappingWriter.write(mapping, network: network, to: root)
    })
  }
}
