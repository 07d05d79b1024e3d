import Distributed
import Engine
import Foundation
import Hardware
import Mapping
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

  /// `map --out` and `inspect` take the test-only family through the registry too; it saves no
  /// mapping state, so `run --mapping` of its map file is refused by name.
  @Test func aTestOnlyFamilyMapsAndIsInspected() throws {
    let dir = try TemporaryDirectory("clockwork-map")
    defer { dir.remove() }
    let system = dir.path("clockwork.toml")
    try Self.topology.write(toFile: system, atomically: true, encoding: .utf8)
    try Map.map(try Map.parse(["--system", system, "--network", "chain:n=5", "--out", dir.path("map.h5")]), registry: registry)
    #expect(try HDF5File.open(dir.path("map.h5")).root().openGroup("mapping").stringAttribute("family") == ["clockwork"])
    #expect {
      try Run.simulate(try Run.parse(["--system", system, "--network", "chain:n=5", "--duration", "5ms", "--mapping", dir.path("map.h5"),
                                      "--out", dir.path("run"), "--no-progress"]), registry: registry, communicator: LocalCommunicator())
    } throws: { _ in true }
    try Run.simulate(try Run.parse(["--system", system, "--network", "chain:n=5", "--duration", "5ms", "--out", dir.path("run2"), "--no-progress"]),
                     registry: registry, communicator: LocalCommunicator())
    let (text, problems) = try Inspect.parse([dir.path("run2/trace.h5")]).summary(registry: registry)
    #expect(problems == 0)
    #expect(text.contains("received"), "\(text)")
  }

  /// A placer the family's mapper does not follow is an error, not ignored.
  @Test func aPlacerTheFamilyDoesNotHaveIsRefused() throws {
    let network = try StandardNetworks.build("chain:n=5")
    for (topology, placer) in [("Topologies/ideal-crossbar.toml", PlacementStrategy.graph), ("Topologies/bss2-chip.toml", .random)] {
      let system = try FamilyRegistry.standard.readSystem(path: packageRoot.appendingPathComponent(topology).path)
      #expect {
        try FamilyRegistry.standard.map(network, onto: system, options: MapOptions(placer: placer))
      } throws: { "\($0)".contains("--placer \(placer.rawValue): \(system.family) systems are placed by sequential only") }
    }
    let result = try runProcess(neurofabric, ["map", "--system", "Topologies/ideal-crossbar.toml", "--network", "brunel:N=200", "--placer", "random"],
                                directory: packageRoot.path)
    #expect(result.status != 0 && result.output.contains("placed by sequential only"), "\(result.output)")
  }

  /// `info --json` says what each family takes, from the registry (the Python backend reads it).
  @Test func infoDescribesTheFamilies() throws {
    let result = try runProcess(neurofabric, ["info", "--json"])
    #expect(result.status == 0, "\(result.output)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    let families = try #require(object["families"] as? [[String: Any]])
    #expect(families.map { $0["names"] as? [String] ?? [] } == FamilyRegistry.standard.families.map(\.names))
    let byName = Dictionary(uniqueKeysWithValues: families.flatMap { f in (f["names"] as? [String] ?? []).map { ($0, f) } })
    #expect(byName["ideal"]?["step_key"] as? String == "dt")
    #expect(byName["spinnaker2"]?["step_key"] as? String == "timestep")
    #expect(byName["brainscales2"]?["step_key"] == nil, "analog families integrate continuous time")
    #expect(byName["spinnaker2"]?["placers"] as? [String] == ["sequential", "random", "graph"])
    #expect(byName["ideal"]?["placers"] as? [String] == ["sequential"])
    #expect((byName["brainscales1"]?["label_columns"] as? [String])?.contains("hicann") == true)
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
