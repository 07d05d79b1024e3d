import Fabric
import Foundation
import Hardware
import Mapping
import Model
import Traces

/// The HICANNs of BrainScaleS-1 wafers that one rank owns (docs/hardware.md §1, §5).
///
/// A synaptic event between ranks crosses at least one HICANN segment of L1, or only the FPGAs of
/// L2 when ranks own whole wafers, so a window of that latency in steps runs without exchange.
/// Each HICANN orders its bus events and arrivals by (time, bus or entry, cell), so collisions,
/// drops and spikes are the same for any rank count.
final class BrainScaleS1Run: FamilyRun {
  typealias Packet = BrainScaleS1Packet

  let placement: BrainScaleS1Placement
  let network: Network
  let options: RunOptions
  /// The HICANNs of this rank, ascending, and the local index of every HICANN (-1 elsewhere).
  let localHICANNs: [Int]
  let localIndex: [Int]
  private(set) var hicanns: [BrainScaleS1HICANN] = []
  var recordsSpikes: [Bool] = []
  /// Local HICANNs with neurons, buses or synapses (the others have nothing to step).
  var active: [Int] = []
  // Per-window scratch, kept between windows: what each step of a stretch recorded.
  var feeds: [[(hicann: Int, latency: HardwareTime)]] = []
  var spikesOfStep: [[(population: Int, time: Double, node: UInt64)]] = []
  var seriesPackets: [[UInt64]] = []
  var seriesDrops: [[UInt64]] = []
  var series: CounterSeries

  init(placement: BrainScaleS1Placement, network: Network, options: RunOptions, rank: Int) {
    self.placement = placement
    self.network = network
    self.options = options
    let owners = placement.decomposition.rankOfChip
    localHICANNs = owners.indices.filter { owners[$0] == rank }
    var index = [Int](repeating: -1, count: placement.system.hicanns)
    for (i, h) in localHICANNs.enumerated() { index[h] = i }
    localIndex = index
    series = CounterSeries(links: localHICANNs.count)
  }

  /// The owned HICANNs' denmems (every one, used or not) and the synapses and bus entries configured
  /// on them; every rank also holds the whole mapping (all HICANNs' configurations).
  var memoryEstimate: [(part: String, bytes: Double)] {
    func configured(_ hicanns: some Sequence<Int>) -> Double {
      hicanns.reduce(0.0) { $0 + Double(mapping.inputs[$1].targetNeuron.count) * 8 + Double(mapping.inputs[$1].entrySource.count) * 16 }
    }
    return [
      // Measured: a second wafer of unused HICANNs adds about 1 MiB (8 bytes a denmem, rounded up).
      ("denmems of \(localHICANNs.count.grouped) HICANNs", Double(localHICANNs.count * HICANN.denmems) * 8),
      ("synapses and bus entries of this rank's HICANNs", configured(localHICANNs)),
      ("the mapping of all \(system.hicanns.grouped) HICANNs", configured(0..<system.hicanns)),
    ]
  }

  var system: BrainScaleS1System { placement.system }
  var mapping: BrainScaleS1Mapping { placement.mapping }
  var owners: [Int] { placement.decomposition.rankOfChip }
  var family: String { system.family }
  var dt: Double { system.dt }
  var speedup: Double { system.speedup }
  var mismatch: String? { system.mismatchModelled ? (system.calibrated ? "calibrated" : "uncalibrated") : "off" }
  var seriesColumns: Int { localHICANNs.count }
  var seriesInterval: Double { 1 }
  var segment: HardwareTime { system.hardwareTime(nanoseconds: system.l1.segmentLatencyNanoseconds) }
  /// Steps a HICANN runs alone while its state is in cache: no event reaches another HICANN sooner.
  var stretch: Int64 { max(1, segment / system.stepTime - 1) }
  var seriesSteps: Int64 { max(1, Int64((1.0 / system.dt).rounded())) }

  /// Steps per window, less one (a spike is put on its bus at the next step): the Layer-2 latency
  /// when every wafer lies on one rank (only the FPGAs join ranks), else one L1 segment.
  var windowSteps: Int64 {
    let wholeWafers = (0..<system.wafers).allSatisfy { w in Set(owners[(w * Wafer.hicanns)..<((w + 1) * Wafer.hicanns)]).count == 1 }
    let latency = wholeWafers ? system.l2.waferToWaferLatencyNanoseconds : system.l1.segmentLatencyNanoseconds
    return max(1, system.hardwareTime(nanoseconds: latency) / system.stepTime - 1)
  }

  var plan: String {
    "  run          \(Int(steps).grouped) steps of \(system.integrationStepNanoseconds) ns (\(system.dt) ms bio) in windows of \(windowSteps) steps on \(placement.decomposition.ranks) rank(s); output \(options.output)/trace.h5"
  }

  func load() throws(RunError) -> [[PacketRecord]] {
    hicanns = localHICANNs.map { BrainScaleS1HICANN(index: $0, configuration: mapping.configuration(ofHICANN: $0), system: mapping.system, network: network, seed: options.seed) }
    active = hicanns.indices.filter { !hicanns[$0].cells.isEmpty || !hicanns[$0].buses.isEmpty || !mapping.inputs[hicanns[$0].index].entrySource.isEmpty }
    recordsSpikes = network.populations.map { network.records(.spikes, of: $0.label) }
    feeds = mapping.buses.map { $0.route.deliveries.map { (hicann: $0.hicann, latency: HardwareTime($0.hops + 1) * segment) } }
    spikesOfStep = Array(repeating: [], count: Int(stretch))
    seriesPackets = Array(repeating: [UInt64](repeating: 0, count: hicanns.count), count: Int(stretch))
    seriesDrops = seriesPackets
    return []
  }

  /// A unit per placed cell, in cell order, on its HICANN: a placement need not keep ids in rank
  /// order, so the master file takes each neuron's spikes from the rank of its HICANN.
  var recordingUnits: RecordingUnits {
    let offsets = network.populationOffsets
    var sampled = [Bool](repeating: false, count: network.neuronCount)
    for cell in mapping.sampledCells { sampled[cell] = true }
    var units = RecordingUnits()
    for (p, population) in network.populations.enumerated() {
      for i in 0..<population.size where mapping.neuronOfCell[offsets[p] + i] >= 0 {
        let cell = offsets[p] + i, neuron = Int(mapping.neuronOfCell[cell]), hicann = mapping.neurons[neuron].hicann
        units.append(owner: owners[hicann], population: p, nodes: i..<(i + 1), chip: hicann,
                     sampled: sampled[cell] ? [(UInt64(i), neuron - mapping.neuronsOfHICANN[hicann].lowerBound)] : [])
      }
    }
    return units
  }

  private func deliver(_ packet: BrainScaleS1Packet) {
    switch packet.path {
    case .layer2:
      let bus = mapping.inputBus[Int(packet.cell) * system.wafers + packet.hicann / Wafer.hicanns]!
      hicanns[localIndex[packet.hicann]].receiveFromFPGA(bus: bus, cell: packet.cell, time: packet.arrival)
    case .layer1:
      hicanns[localIndex[packet.hicann]].receive(cell: packet.cell, time: packet.arrival)
    }
  }

  /// Each HICANN runs a stretch of `stretch` steps while its state is in cache: no event reaches
  /// another HICANN sooner (every feed crosses at least one L1 segment), so the result is what
  /// stepping all HICANNs step by step gives. The spikes and series rows of the steps are kept per
  /// step and recorded in step order; samples go straight to their step's row.
  func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
    let l2Latency = system.hardwareTime(nanoseconds: system.l2.waferToWaferLatencyNanoseconds)
    for i in active { hicanns[i].playBack(until: window.upperBound * system.stepTime) }
    var s0 = window.lowerBound
    while s0 < window.upperBound {
      let s1 = min(window.upperBound, s0 + stretch)
      for i in active {
        for k in s0..<s1 {
          let r = Int(k - s0)
          hicanns[i].step(k)
          for (j, n) in hicanns[i].spikeNeurons.enumerated() {
            let neuron = mapping.neurons[mapping.neuronsOfHICANN[hicanns[i].index].lowerBound + Int(n)]
            guard recordsSpikes[neuron.population] else { continue }
            spikesOfStep[r].append((neuron.population, system.bioMilliseconds(hicanns[i].spikeTimes[j]), UInt64(neuron.index)))
          }
          for (bus, cell, time) in hicanns[i].passed {
            for f in feeds[Int(bus)] {
              let packet = BrainScaleS1Packet(arrival: time + f.latency, cell: cell, hicann: f.hicann, path: .layer1)
              if localIndex[f.hicann] >= 0 { deliver(packet) } else { outbox[owners[f.hicann]].append(packet.record) }
            }
          }
          for (bus, cell, time) in hicanns[i].l2 {
            let target = mapping.buses[Int(bus)].hicann
            outbox[owners[target]].append(BrainScaleS1Packet(arrival: time + l2Latency, cell: cell, hicann: target, path: .layer2).record)
          }
          records.sample(step: k, chip: hicanns[i].index) { Float(self.hicanns[i].neurons.membrane($0)) }
          if (k + 1) % seriesSteps == 0 {
            seriesPackets[r][i] = hicanns[i].sentToFPGA
            seriesDrops[r][i] = hicanns[i].lateOutput
          }
        }
      }
      for k in s0..<s1 {
        let r = Int(k - s0)
        for spike in spikesOfStep[r] { records.spike(population: spike.population, time: spike.time, node: spike.node) }
        spikesOfStep[r].removeAll(keepingCapacity: true)
        if (k + 1) % seriesSteps == 0 {
          let row = series.row(packets: seriesPackets[r], drops: seriesDrops[r])
          records.series(packets: row.packets, drops: row.drops)
        }
      }
      s0 = s1
    }
  }

  func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords) {
    for packet in packets { deliver(BrainScaleS1Packet(packet)) }
  }

  func counters() -> RunCounters {
    var counters = RunCounters()
    counters.add("synaptic_events", hicanns.reduce(0) { $0 + $1.synapticEvents })
    counters.add("bus_events", hicanns.reduce(0) { $0 + $1.busEvents.reduce(0, +) })
    counters.add("collisions", hicanns.reduce(0) { $0 + $1.collisions.reduce(0, +) })
    counters.add("sent_to_fpga", hicanns.reduce(0) { $0 + $1.sentToFPGA })
    counters.add("late", hicanns.reduce(0) { $0 + $1.lateInput + $1.lateOutput })
    return counters
  }

  func totals(_ counters: RunCounters) -> FamilyTotals {
    let busEvents = UInt64(counters["bus_events"]), collisions = UInt64(counters["collisions"])
    let sent = UInt64(counters["sent_to_fpga"]), late = UInt64(counters["late"])
    let notes = [
      "layer 1           \(Int(busEvents).grouped) bus events, \(Int(collisions).grouped) lost in collisions",
      "layer 2           \(Int(sent).grouped) spikes to other wafers, \(Int(late).grouped) dropped late at the FPGAs",
      "time              \(String(format: "%.3g", options.duration / system.speedup * 1000)) µs of hardware time (speed-up \(Int(system.speedup)))",
    ]
    return FamilyTotals(synapses: Int64(mapping.inputs.reduce(0) { $0 + $1.targetNeuron.count }),
                        synapticEvents: UInt64(counters["synaptic_events"]), packets: busEvents, drops: collisions + late, notes: notes,
                        fabric: fabricTotals())
  }

  private func fabricTotals() -> FabricTotals {
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
    return FabricTotals(linkColumns: linkColumns, latencyHistogram: [UInt64](repeating: 0, count: FabricCounters.latencyBins * hicanns.count),
                        latencyBins: FabricCounters.latencyBins, routerColumns: routerColumns)
  }

  var fabricRows: FabricRows { FabricRows(rowOwners: owners) }

  func writeGroups(to root: HDF5Group) throws { try placement.write(to: root) }
}
