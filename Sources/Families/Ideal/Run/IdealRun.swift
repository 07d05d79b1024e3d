import Fabric
import Hardware
import Mapping
import Model
import Traces

/// The chips of an `ideal` system that one rank owns.
///
/// Rank r owns a contiguous block of chips, builds only their synapses and steps only their
/// neurons. A window is as many steps as fit in the chip-to-chip latency, so packets for chips of
/// other ranks arrive at or after the window's end. Results do not depend on the rank count: chips
/// step on the absolute grid, each link is fed by one router in time order, and synaptic input
/// adds up in integers, so the order packets arrive in cannot change a bit.
final class IdealRun: FamilyRun {
  typealias Packet = IdealPacket

  let mapping: IdealMapping
  let network: Network
  let system: IdealSystem
  let options: RunOptions
  let localChips: Range<Int>
  var chips: [IdealChip] = []
  var fabric: Fabric
  var routes: IdealRoutes!
  /// For each chip-local neuron of each local chip: population index, or -1 when not recorded.
  var recordedPopulation: [[Int32]] = []
  var series: LinkSeries
  var seriesSteps: Int64

  init(mapping: IdealMapping, network: Network, system: IdealSystem, options: RunOptions, rank: Int) {
    self.mapping = mapping
    self.network = network
    self.system = system
    self.options = options
    let owned = mapping.decomposition.chips(ofRank: rank)
    localChips = (owned.first ?? 0)..<((owned.last ?? -1) + 1)
    // The crossbar and the series are built in `load`, once the memory estimate has been checked.
    fabric = Fabric(routerCount: 0, links: [], packetBits: system.packetBits)
    series = LinkSeries(links: [])
    seriesSteps = max(1, Int64((system.counterInterval / system.dt).rounded()))
  }

  var family: String { "ideal" }
  var placement: StripedPlacement { mapping.placement }
  var dt: Double { system.dt }
  /// The link latency in whole steps (a packet sent in step k arrives after the window of k).
  var windowSteps: Int64 { max(1, (system.link.latency + system.stepTime - 1) / system.stepTime) }
  var lookahead: Double { HardwareClock.bioMilliseconds(system.link.latency) }
  var speedup: Double { system.speedup }
  var seriesColumns: Int { localLinks.count }
  var seriesInterval: Double { system.counterInterval }

  var plan: String {
    "  lookahead    \(lookahead) ms (chip-to-chip latency), ~\(Int((options.duration / lookahead).rounded(.up)).grouped) windows\n"
      + "  output       \(options.output)/trace.h5"
  }

  /// The links this rank owns: those leaving its chips (contiguous, source-major).
  var localLinks: Range<Int> {
    let perChip = system.chips - 1
    return (localChips.lowerBound * perChip)..<(localChips.upperBound * perChip)
  }

  /// Every rank holds the whole crossbar (chips × (chips − 1) links); its own chips' neurons and synapses.
  var memoryEstimate: [(part: String, bytes: Double)] {
    let links = system.chips * (system.chips - 1), ranks = Double(mapping.decomposition.ranks)
    let buffer = system.link.picosecondsPerBit > 0 && system.link.bufferPackets != .max ? system.link.bufferPackets : 0
    return [
      ("crossbar of \(links.grouped) links", Fabric.estimatedBytes(links: links, routers: system.chips, bufferPackets: buffer)),
      ("series and totals of this rank's \(localLinks.count.grouped) links", Double(localLinks.count) * LinkSeries.bytesPerLink),
      ("neurons", Double(network.neuronCount) / ranks * 120),
      ("synapses (8 bytes each, 12 more while built)", network.expectedSynapseCount / ranks * 20),
    ]
  }

  func load() throws(RunError) -> [[PacketRecord]] {
    fabric = system.makeFabric()
    series = LinkSeries(links: Array(localLinks))
    let hosted = localChips.flatMap { placement.slicesOfChip[$0] }
    let maximumTransit = (0..<fabric.linkCount).map { fabric.maximumTransit($0) }.max() ?? 0
    let transitSteps = Int((maximumTransit + system.stepTime - 1) / system.stepTime) + 1
    do {
      // Reading stored connections can fail on some ranks only (each reads its own): the engine agrees.
      let generator = try SynapseGenerator(network: network, seed: options.seed) { population in
        hosted.filter { $0.population == population }.map { $0.first..<($0.first + $0.count) }
      }
      for c in localChips {
        chips.append(try IdealChip(index: c, slices: placement.slicesOfChip[c], generator: generator, dt: system.dt, maximumTransitSteps: transitSteps))
      }
    } catch {
      throw .load(error)
    }
    recordTraces()
    // Each chip asks the chips of its sources' keys for a route to it.
    let keys = chips.map { (chip: $0.index, keys: $0.sourceKeys) }
    return IdealRoutes.requests(sourceKeysOfChips: keys, placement: placement, decomposition: mapping.decomposition)
      .map { $0.map { IdealRouteRequest(key: $0.x, chip: $0.y).record } }
  }

  func connect(_ received: [PacketRecord]) {
    let requests = received.map(IdealRouteRequest.init)
    routes = IdealRoutes(received: requests.map { SIMD2($0.key, $0.chip) }, placement: placement, localChips: localChips)
    for c in chips.indices {
      let starts = routes.routeStart[c]
      chips[c].deliverInStep { starts[$0 + 1] > starts[$0] }
    }
  }

  /// A unit per slice of each chip, chips in order: a rank's units are its block of chips.
  var recordingUnits: RecordingUnits {
    var units = RecordingUnits()
    for chip in 0..<system.chips {
      let slices = placement.slicesOfChip[chip]
      for (slice, locals) in zip(slices, IdealChip.recordedNeurons(slices: slices, network: network).sampled) {
        units.append(owner: mapping.decomposition.rank(ofChip: chip), population: slice.population,
                     nodes: slice.first..<(slice.first + slice.count), chip: chip,
                     sampled: locals.map { (UInt64(slice.first + $0 - slice.chipOffset), $0) })
      }
    }
    return units
  }

  private func recordTraces() {
    for chip in chips {
      var populationOf = Array(repeating: Int32(-1), count: chip.neuronCount)
      for slice in chip.slices {
        for local in slice.chipOffset..<(slice.chipOffset + slice.count) where chip.spikeRecorded[local] {
          populationOf[local] = Int32(slice.population)
        }
      }
      recordedPopulation.append(populationOf)
    }
  }

  func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
    let dtTime = system.stepTime
    for k in window {
      let time = (k + 1) * dtTime
      for c in chips.indices {
        chips[c].step(k)
        route(chip: c, step: k, time: time, records: &records, outbox: &outbox)
      }
      records.sample(step: k) { chip, neuron in Float(self.chips[chip - self.localChips.lowerBound].v[neuron]) }
      if (k + 1) % seriesSteps == 0 {
        let row = series.row(fabric.counters)
        records.series(packets: row.packets, drops: row.drops)
      }
    }
  }

  /// Records the spikes chip `c` emitted in step k and sends them: to its own synapses directly,
  /// to other chips over the crossbar.
  @inline(__always)
  private func route(chip c: Int, step k: Int64, time: HardwareTime, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
    let spikes = chips[c].spikes
    guard !spikes.isEmpty else { return }
    let a = chips[c].index
    let timeMs = HardwareClock.bioMilliseconds(time)
    for local in spikes {
      let l = Int(local)
      let key = chips[c].globalIds[l]
      let population = recordedPopulation[c][l]
      if population >= 0 {
        records.spike(population: Int(population), time: timeMs, node: UInt64(Int(key) - placement.populationOffsets[Int(population)]))
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
          outbox[mapping.decomposition.rank(ofChip: b)].append(IdealPacket(arrival: arrival, key: key, chip: b).record)
        }
      }
    }
  }

  func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords) {
    for p in packets.lazy.map(IdealPacket.init) {
      deliverPacket(chip: p.chip - localChips.lowerBound, key: p.key, arrival: p.arrival)
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

  func counters() -> RunCounters {
    var counters = RunCounters()
    counters.add("synaptic_events", chips.reduce(0) { $0 + $1.synapticEvents })
    counters.add("packets", localLinks.reduce(0) { $0 + fabric.counters.packets[$1] })
    counters.add("drops", localLinks.reduce(0) { $0 + fabric.counters.totalDrops(link: $1) })
    counters.add("synapses", chips.reduce(0) { $0 + $1.synapseCount })
    return counters
  }

  func totals(_ counters: RunCounters) -> FamilyTotals {
    FamilyTotals(synapses: counters["synapses"], synapticEvents: UInt64(counters["synaptic_events"]), packets: UInt64(counters["packets"]),
                 drops: UInt64(counters["drops"]), fabric: fabricTotals())
  }

  private func fabricTotals() -> FabricTotals {
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
    return FabricTotals(linkColumns: linkColumns, latencyHistogram: fabric.latencyHistogram(links),
                        latencyBins: FabricCounters.latencyBins, routerColumns: routerColumns)
  }

  /// Per chip: its links (one to every other chip) and its router.
  var fabricRows: FabricRows {
    let owners = (0..<system.chips).map { mapping.decomposition.rank(ofChip: $0) }
    return FabricRows(links: owners.map { TraceSegment(rank: $0, count: system.chips - 1) }, routers: owners.map { TraceSegment(rank: $0, count: 1) })
  }
}
