import Fabric
import Foundation
import Hardware
import Mapping
import Model
import Traces

/// The BrainScaleS-2 chips one rank owns (docs/hardware.md §2, §5).
///
/// The analog neurons step on the absolute grid of the integration step; events go through each
/// chip's crossbar cycle by cycle. The only events that cross chips (and so ranks) go through the
/// FPGAs, whose path takes at least the lookahead, so a window of that many steps runs without
/// exchange. Each chip orders its events by (time, crossbar input, entry), so arbitration and drops
/// are the same for any rank count.
final class BrainScaleS2Run: FamilyRun {
  typealias Packet = BrainScaleS2Packet

  let placement: BrainScaleS2Placement
  let network: Network
  let options: RunOptions
  let localChips: [Int]
  /// The local index of every chip (-1 elsewhere).
  let localIndex: [Int]
  private(set) var chips: [BrainScaleS2Chip] = []
  var recordsSpikes: [Bool] = []
  var series: CounterSeries
  let seriesSteps: Int64

  init(placement: BrainScaleS2Placement, network: Network, options: RunOptions, rank: Int) {
    self.placement = placement
    self.network = network
    self.options = options
    localChips = placement.decomposition.chips(ofRank: rank)
    var index = [Int](repeating: -1, count: placement.system.chips)
    for (i, c) in localChips.enumerated() { index[c] = i }
    localIndex = index
    series = CounterSeries(links: localChips.count)
    seriesSteps = max(1, Int64((1.0 / placement.system.dt).rounded()))
  }

  var system: BrainScaleS2System { placement.system }
  var mapping: BrainScaleS2Mapping { placement.mapping }
  var owners: [Int] { placement.decomposition.rankOfChip }
  var family: String { system.family }
  var dt: Double { system.dt }
  /// The MADCs sample every 0.1 ms unless the recording says otherwise.
  var sampleSteps: [Int64] { RunFiles.sampleSteps(network, step: system.dt, defaultInterval: 0.1) }
  /// Steps per window: the shortest chip-to-chip path (on-chip latency + FPGA path, or the on-chip
  /// latency alone without `fpga-latency`) in whole steps, so no event crosses ranks within a window.
  var windowSteps: Int64 { max(1, (system.onChipLatency + system.fpgaPathLatency) / system.stepTime) }
  var speedup: Double { system.speedup }
  var mismatch: String? { system.mismatchSetting }
  var seriesColumns: Int { localChips.count }
  var seriesInterval: Double { 1 }

  /// The owned chips' analog circuits (every one, used or not) and the synapses and routing entries
  /// configured on them; every rank also holds the whole mapping (all chips' configurations).
  var memoryEstimate: [(part: String, bytes: Double)] {
    func configured(_ chips: some Sequence<Int>) -> Double {
      chips.reduce(0.0) { $0 + Double(mapping.chips[$1].targetNeuron.count) * 8 + Double(mapping.chips[$1].entrySource.count) * 24 }
    }
    return [
      // As BrainScaleS-1's denmems: a circuit's share of the chip state, rounded up to 8 bytes.
      ("analog circuits of \(localChips.count.grouped) chips", Double(localChips.count * HICANNX.circuits) * 8),
      ("neurons placed on them (AdEx state and fixed-pattern draws)", Double(localChips.reduce(0) { $0 + mapping.neuronsOfChip[$1].count }) * 256),
      ("synapses and routing of this rank's chips", configured(localChips)),
      ("the mapping of all \(system.chips.grouped) chips", configured(0..<system.chips)),
    ]
  }

  var plan: String {
    "  run          \(Int(steps).grouped) steps of \(system.integrationStepNanoseconds) ns (\(system.dt) ms bio) in windows of \(windowSteps) steps on \(placement.decomposition.ranks) rank(s); output \(options.output)/trace.h5"
  }

  func load() throws(RunError) -> [[PacketRecord]] {
    chips = localChips.map { BrainScaleS2Chip(index: $0, configuration: mapping.configuration(ofChip: $0), network: network, system: system, seed: options.seed) }
    recordsSpikes = network.populations.map { network.records(.spikes, of: $0.label) }
    return []
  }

  /// A unit per population on each chip, chips in order: the nodes of the population the chip holds.
  var recordingUnits: RecordingUnits {
    let offsets = network.populationOffsets
    var units = RecordingUnits()
    for c in 0..<system.chips {
      var nodes = network.populations.map { _ in (first: Int.max, end: Int.min) }
      for n in mapping.neuronsOfChip[c] {
        let neuron = mapping.neurons[n], held = nodes[neuron.population]
        nodes[neuron.population] = (min(held.first, neuron.index), max(held.end, neuron.index + 1))
      }
      var sampled = network.populations.map { _ in [(node: UInt64, neuron: Int)]() }
      for cell in mapping.sampledCells[c] {
        let neuron = Int(mapping.neuronOfCell[cell]), p = mapping.neurons[neuron].population
        sampled[p].append((UInt64(cell - offsets[p]), neuron - mapping.neuronsOfChip[c].lowerBound))
      }
      for p in network.populations.indices where nodes[p].first < nodes[p].end {
        units.append(owner: owners[c], population: p, nodes: nodes[p].first..<nodes[p].end, chip: c, sampled: sampled[p])
      }
    }
    return units
  }

  func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
    for c in chips.indices { chips[c].playBack(until: window.upperBound * system.stepTime) }
    for k in window {
      for c in chips.indices {
        chips[c].step(k)
        for (j, n) in chips[c].spikeNeurons.enumerated() {
          let cell = chips[c].cells[Int(n)]
          let neuron = mapping.neurons[Int(mapping.neuronOfCell[cell])]
          guard recordsSpikes[neuron.population] else { continue }
          records.spike(population: neuron.population, time: system.bioMilliseconds(chips[c].spikeTimes[j]), node: UInt64(neuron.index))
        }
        for (cell, time) in chips[c].sent {
          for r in Int(mapping.remoteChipStart[cell])..<Int(mapping.remoteChipStart[cell + 1]) {
            let target = Int(mapping.remoteChips[r])
            outbox[owners[target]].append(BrainScaleS2Packet(arrival: time, cell: cell, chip: target).record)
          }
        }
      }
      records.sample(step: k) { chip, neuron in Float(self.system.madc.quantise(self.chips[self.localIndex[chip]].neurons.membrane(neuron))) }
      if (k + 1) % seriesSteps == 0 {
        let row = series.row(packets: chips.map { $0.l2Events }, drops: chips.map { $0.totalDrops })
        records.series(packets: row.packets, drops: row.drops)
      }
    }
  }

  func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords) {
    let first = localChips.first ?? 0
    for packet in packets.lazy.map(BrainScaleS2Packet.init) { chips[packet.chip - first].receive(cell: packet.cell, time: packet.arrival) }
  }

  func counters() -> RunCounters {
    var counters = RunCounters()
    counters.add("synaptic_events", chips.reduce(0) { $0 + $1.synapticEvents })
    counters.add("bus_events", chips.reduce(0) { $0 + $1.busEvents })
    counters.add("l2_events", chips.reduce(0) { $0 + $1.l2Events })
    counters.add("drops", chips.reduce(0) { $0 + $1.totalDrops })
    return counters
  }

  func totals(_ counters: RunCounters) -> FamilyTotals {
    let busEvents = UInt64(counters["bus_events"]), l2Events = UInt64(counters["l2_events"]), drops = UInt64(counters["drops"])
    let notes = [
      "crossbar          \(Int(busEvents).grouped) PADI events, \(Int(l2Events).grouped) events to the FPGAs, "
        + "\(Int(drops).grouped) dropped at busy outputs (\(String(format: "%.3g", busEvents + drops > 0 ? 100 * Double(drops) / Double(busEvents + drops) : 0)) %)",
      "time              \(String(format: "%.3g", options.duration / system.speedup)) ms of hardware time (speed-up \(Int(system.speedup)))",
    ]
    return FamilyTotals(synapses: Int64(mapping.chips.reduce(0) { $0 + $1.targetNeuron.count }),
                        synapticEvents: UInt64(counters["synaptic_events"]), packets: l2Events, drops: drops, notes: notes, fabric: fabricTotals())
  }

  private func fabricTotals() -> FabricTotals {
    let latencyNs = (system.onChipLatencyNanoseconds + system.fpgaPathLatencyNanoseconds).rounded()
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
    return FabricTotals(linkColumns: linkColumns, latencyHistogram: histogram, latencyBins: FabricCounters.latencyBins,
                        routerColumns: routerColumns)
  }

  var fabricRows: FabricRows { FabricRows(rowOwners: owners) }

  func writeGroups(to root: HDF5Group) throws { try placement.write(to: root) }
}
