import Distributed
import Engine
import Fabric
import Model
import Testing
import Traces

/// The engine's window loop with a fake family: windows of the family's length on the absolute step
/// grid, set-up records and packets handed back in the one order, spikes counted per recording unit
/// into the master file's layout, and the counters reduced, with no family code beyond the fake.
@Suite struct WindowLoopTests {
  /// Neuron k % size of the recorded population spikes in step k; every step sends one packet whose time falls
  /// as k rises, so the exchange must reorder them.
  final class EchoRun: FamilyRun {
    let network: Network, options: RunOptions
    var windows: [Range<Int64>] = [], setUp: [PacketRecord] = [], received: [[PacketRecord]] = []
    var reduced: RunCounters?
    init(network: Network, options: RunOptions) { (self.network, self.options) = (network, options) }
    var p: Int { network.populations.firstIndex { network.records(.spikes, of: $0.label) }! }

    var family: String { "echo" }
    var dt: Double { 0.1 }
    var windowSteps: Int64 { 4 }
    var seriesColumns: Int { 1 }
    var fabricRows: FabricRows { FabricRows(rowOwners: [0]) }
    var recordingUnits: RecordingUnits {
      var units = RecordingUnits()
      let size = network.populations[p].size
      units.append(owner: 0, population: p, nodes: 0..<(size / 2))
      units.append(owner: 0, population: p, nodes: (size / 2)..<size)
      return units
    }

    func load() throws(RunError) -> [[PacketRecord]] { [[PacketRecord(time: 5, key: 2, node: 0), PacketRecord(time: 1, key: 9, node: 0)]] }
    func connect(_ records: [PacketRecord]) { setUp = records }

    func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]]) {
      windows.append(window)
      for k in window {
        records.spike(population: p, time: Double(k + 1) * dt, node: UInt64(Int(k) % network.populations[p].size))
        outbox[0].append(PacketRecord(time: HardwareTime(1_000 - k), key: UInt32(k), node: 0))
        records.series(packets: [UInt64(k)], drops: [0])
      }
    }

    func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords) { received.append(packets) }

    func counters() -> RunCounters {
      var counters = RunCounters()
      counters.add("windows", windows.count)
      counters.add(real: "steps", Double(windows.reduce(0) { $0 + $1.count }))
      counters.add(maximum: "longest", Double(windows.map(\.count).max() ?? 0))
      return counters
    }

    func totals(_ counters: RunCounters) -> FamilyTotals {
      reduced = counters
      let column: [(name: String, values: [UInt64])] = [("chip", [0]), ("drops", [0])]
      return FamilyTotals(synapses: 0, synapticEvents: 0, packets: 0, drops: 0,
                          fabric: FabricTotals(linkColumns: column, latencyHistogram: [0], latencyBins: 1, routerColumns: column))
    }
  }

  @Test(arguments: [2.0, 2.1, 0.3])
  func windowsPacketsSpikesAndCounters(duration: Double) throws {
    let network = try StandardNetworks.build("chain:n=6")
    let run = EchoRun(network: network, options: RunOptions(duration: duration, seed: 1, output: "unused", progress: false))
    let output = MemoryTraceOutput()
    let summary = try Simulation(run, options: run.options, communicator: LocalCommunicator(), output: output).run()
    let steps = Int64((duration / 0.1).rounded())
    #expect(run.windows == stride(from: 0, to: steps, by: 4).map { $0..<min(steps, $0 + 4) })
    #expect(summary.windows == run.windows.count && summary.steps == steps)
    #expect(run.setUp.map(\.time) == [1, 5], "set-up records in the engine's order")
    for (window, packets) in zip(run.windows, run.received) {
      #expect(packets.map(\.key) == window.reversed().map(UInt32.init), "each window's packets sorted by time")
    }
    #expect(summary.spikes == Int(steps))
    let layout = try #require(output.layout)
    let counts = try #require(layout.populations[run.p].spikeSegments).map(\.count)
    let size = Int64(network.populations[run.p].size)
    #expect(counts == [(0..<steps).filter { $0 % size < size / 2 }.count, (0..<steps).filter { $0 % size >= size / 2 }.count])
    #expect(run.reduced?["windows"] == Int64(run.windows.count))
    #expect(run.reduced?.real("steps") == Double(steps) && run.reduced?.maximum("longest") == Double(min(4, steps)))
    #expect(output.sinks[0]?.seriesRows == Int(steps))
  }
}
