import Distributed
import Engine
import Foundation
import Hardware
import Model
import TestSupport
import Testing
import Traces
@testable import neurofabric

/// A family defined only in the tests runs through `run`'s own code path, the one window loop and
/// the trace writers, with no edit outside the tests: the registry is the only seam.
@Suite struct FamilySeamTests {
  let registry = FamilyRegistry(FamilyRegistry.standard.families + [ClockworkFamily()])
  static let topology = "[system]\nfamily = \"clockwork\"\nchips = 3\nperiod = 10\n"

  /// Spikes of a clockwork neuron n in steps k with (n + k) % period == 0, of k in 0..<steps.
  func expectedSpikes(neurons: Int, steps: Int, period: Int) -> Int {
    (0..<neurons).reduce(0) { total, n in total + (0..<steps).filter { (n + $0) % period == 0 }.count }
  }

  @Test func aTestOnlyFamilyRunsThroughRun() throws {
    let dir = try TemporaryDirectory("clockwork")
    defer { dir.remove() }
    let system = dir.path("clockwork.toml")
    try Self.topology.write(toFile: system, atomically: true, encoding: .utf8)
    let command = try Run.parse(["--system", system, "--network", "chain:n=7", "--duration", "20ms", "--out", dir.path("run"), "--no-progress"])
    try Run.simulate(command, registry: registry, communicator: LocalCommunicator())
    let root = try HDF5File.open(dir.path("run/trace.h5")).root()
    #expect(try root.openGroup("provenance").stringAttribute("family") == ["clockwork"])
    let network = try StandardNetworks.build("chain:n=7")
    var spikes = 0, sent = 0
    for population in network.populations where network.records(.spikes, of: population.label) {
      let nodes = try root.openGroup("spikes/\(population.label)").openDataset("node_ids", as: UInt64.self).read()
      #expect(nodes == nodes.sorted(), "spikes of \(population.label) sorted by node id")
      spikes += nodes.count
    }
    for population in network.populations { sent += expectedSpikes(neurons: population.size, steps: 200, period: 10) }
    #expect(spikes > 0 && spikes <= sent)
    let received = try root.openGroup("fabric/routers").openDataset("received", as: UInt64.self).read()
    #expect(received.count == 3 && Int(received.reduce(0, +)) == sent, "every spike arrives at the next chip")
    let series = try root.openGroup("fabric/series").openMatrix("packets", as: UInt64.self).read()
    #expect(series.count == 200 * 3)
  }

  @Test func anUnknownFamilyIsNamedWithTheKnownOnes() throws {
    #expect {
      try FamilyRegistry.standard.parseSystem(Self.topology, file: "clockwork.toml")
    } throws: { "\($0)".contains("clockwork.toml:2") && "\($0)".contains("unknown family 'clockwork'") && "\($0)".contains("brainscales1") }
    #expect {
      try registry.parseSystem(Self.topology.replacingOccurrences(of: "period = 10", with: "period = 0"), file: "c.toml")
    } throws: { "\($0)".contains("c.toml:4") && "\($0)".contains("period") }
  }

  /// The in-memory sink receives what the rank file would: the same spikes, in step order.
  @Test func theInMemorySinkHoldsTheRun() throws {
    let network = try StandardNetworks.build("chain:n=4")
    let output = MemoryTraceOutput()
    let system = try registry.parseSystem(Self.topology, file: "clockwork.toml")
    let summary = try registry.run(network, on: system, options: RunOptions(duration: 5, seed: 1, output: "unused", progress: false),
                                   communicator: LocalCommunicator(), output: output).summary
    let sink = try #require(output.sinks[0])
    let recorded = sink.spikes.reduce(0) { $0 + $1.count }
    #expect(recorded == summary.spikes && recorded > 0)
    for spikes in sink.spikes { #expect(spikes.map(\.time) == spikes.map(\.time).sorted()) }
    #expect(sink.seriesRows == 50 && output.layout != nil && summary.windows == 10)
  }
}
