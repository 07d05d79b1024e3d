import Foundation
import Testing
import Engine
import Hardware
import Mapping
import Model
import TestSupport
import Traces

@Suite struct MapCommandTests {
  @Test func everyShippedSpiNNakerTopologyReads() throws {
    let expected = ["spinnaker2-chip.toml": 1, "spinnaker2-board.toml": 48, "spinnaker2-3boards.toml": 144,
                    "spinnaker2-24boards.toml": 1152, "spinnaker1-board.toml": 48]
    for (file, chips) in expected {
      let system = try #require(FamilyRegistry.standard.readSystem(path: topology(file)) as? SpiNNakerSystem, "\(file)")
      #expect(system.chips.count == chips, "\(file)")
      #expect(system.machineGraph.liveChips.count == chips)
    }
    let s1 = try #require(FamilyRegistry.standard.readSystem(path: topology("spinnaker1-board.toml")) as? SpiNNakerSystem)
    #expect(s1.pesPerChip == 17 && s1.routerEntries == 1023 && s1.clockMHz == 200)
  }

  @Test func badTopologyKeysAreNamedWithTheirLine() throws {
    let text = """
      [system]
      family = "spinnaker2"
      shape = "board"

      [faults]
      dead_links = [[1, 1, 7]]
      dead_chips = [[9, 0]]
      """
    #expect {
      try FamilyRegistry.standard.parseSystem(text, file: "bad.toml")
    } throws: { error in
      let message = "\(error)"
      return message.contains("bad.toml:6") && message.contains("faults.dead_links") && message.contains("link 7")
        && message.contains("bad.toml:7") && message.contains("chip (9, 0) is not a chip")
    }
    #expect {
      try FamilyRegistry.standard.parseSystem("[system]\nfamily = \"spinnaker2\"\nshape = \"torus\"\n", file: "shape.toml")
    } throws: { "\($0)".contains("shape.toml:3") && "\($0)".contains("unknown shape 'torus'") }
  }

  @Test func mapPrintsTheReportAndWritesTheMappingGroup() throws {
    let directory = try TemporaryDirectory("map")
    defer { directory.remove() }
    let out = directory.path("map.h5")
    // Poisson sources as PEs of their own, so that the network spans several chips and both ranks.
    let board = try String(contentsOfFile: topology("spinnaker2-board.toml"), encoding: .utf8)
    let sourcesOnPEs = directory.path("board.toml")
    try board.replacingOccurrences(of: "local_poisson_input = true", with: "local_poisson_input = false")
      .write(toFile: sourcesOnPEs, atomically: true, encoding: .utf8)
    let (status, output) = try runProcess(neurofabric, ["map", "--system", sourcesOnPEs,
                                                        "--network", "microcircuit:N_scaling=0.1", "--placer", "graph",
                                                        "--ranks", "2", "--out", out])
    #expect(status == 0, "\(output)")
    for line in ["placer       graph", "L23E", "tables", "remote chips per spike", "ranks        2", "/mapping", "bursts",
                 "timing       a synapse of d ticks"] {
      #expect(output.contains(line), "missing '\(line)' in:\n\(output)")
    }
    let file = try HDF5File.open(out)
    let mapping = try file.group("mapping")
    let chips = try mapping.group("chips")
    let slices = try mapping.group("slices")
    let sliceChips = try slices.openDataset("chip", as: Int32.self).read()
    let counts = try slices.openDataset("count", as: Int32.self).read()
    let neurons = try StandardNetworks.build("microcircuit:N_scaling=0.1").neuronCount
    #expect(counts.reduce(0) { $0 + Int($1) } == neurons, "every neuron and Poisson source is in exactly one slice")
    #expect(try chips.openDataset("x", as: Int32.self).read().count == 48)
    let ranks = try chips.openDataset("rank", as: Int32.self).read()
    #expect(Set(sliceChips.map { ranks[Int($0)] }).isSubset(of: [0, 1]))
    #expect(Set(ranks) == [0, 1], "\(ranks)")
    let entries = try chips.openDataset("entries", as: Int32.self).read()
    #expect(try mapping.group("routing_tables").openDataset("key", as: UInt32.self).read().count == entries.reduce(0) { $0 + Int($1) })
    let metrics = try mapping.group("metrics")
    #expect(try metrics.attribute("remote_chips_per_spike", as: Double.self)[0] > 0)
    #expect(try metrics.attribute("lookahead_ms", as: Double.self)[0] == 0.0002)

    // The shipped board draws the background on its targets' PEs, as `run` does: no source slices.
    let folded = directory.path("folded.h5")
    let (foldedStatus, foldedOutput) = try runProcess(neurofabric, ["map", "--system", topology("spinnaker2-board.toml"),
                                                                    "--network", "microcircuit:N_scaling=0.1", "--out", folded])
    #expect(foldedStatus == 0, "\(foldedOutput)")
    let foldedCounts = try HDF5File.open(folded).group("mapping").group("slices").openDataset("count", as: Int32.self).read()
    #expect(foldedCounts.reduce(0) { $0 + Int($1) } == neurons / 2, "only the neurons are sliced, not their Poisson sources")

  }

  @Test(.enabled(if: pythonChecksRun, "Scripts/plot_mapping.py runs in the venv"))
  func plotMappingDrawsTheMapping() throws {
    let directory = try TemporaryDirectory("map-plot")
    defer { directory.remove() }
    let out = directory.path("map.h5"), png = directory.path("map.png")
    let (status, output) = try runProcess(neurofabric, ["map", "--system", topology("spinnaker2-board.toml"),
                                                        "--network", "microcircuit:N_scaling=0.1", "--placer", "graph", "--out", out])
    #expect(status == 0, "\(output)")
    let check = try #require(try runPythonCheck("../plot_mapping.py", [out, png]))
    #expect(check.status == 0, "\(check.output)")
    let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
    #expect(size > 20_000, "plot_mapping.py wrote \(size) bytes")
  }

  @Test func mapReportsTheIdealStripedPlacement() throws {
    let (status, output) = try runProcess(neurofabric, ["map", "--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=100",
                                                        "--ranks", "3"])
    #expect(status == 0 && output.contains("striped placement") && output.contains("chips per rank"), "\(output)")
  }

  /// Many ranks on few chips: refused beyond 65,536, summarised in one short line below it.
  @Test func rankCountsAreBoundedAndSummarised() throws {
    var (status, output) = try runProcess(neurofabric, ["map", "--system", topology("spinnaker2-board.toml"), "--network", "brunel:N=500",
                                                        "--ranks", "1000000"])
    #expect(status != 0 && output.contains("--ranks must be in 1...65536"), "\(output)")
    (status, output) = try runProcess(neurofabric, ["map", "--system", topology("spinnaker2-board.toml"), "--network", "brunel:N=500",
                                                    "--ranks", "5000"])
    let line = output.split(separator: "\n").first { $0.contains("  ranks ") } ?? ""
    #expect(status == 0 && line.contains("ranks without a chip") && line.count < 200, "\(output)")
  }

  @Test func mapRefusesWhatItCannotMapWithANamedReason() throws {
    var (status, output) = try runProcess(neurofabric, ["map", "--system", topology("spinnaker2-chip.toml"), "--network", "microcircuit"])
    #expect(status != 0 && output.contains("network too large") && output.contains("152 working processing elements on 1 chips"), "\(output)")
    let dir = try TemporaryDirectory("run-refusal")
    defer { dir.remove() }
    let shallow = dir.path("shallow.toml")
    try "[system]\nfamily = \"spinnaker2\"\nshape = \"chip\"\ntimestep = 0.1\n[chip]\nmax_delay_ticks = 5\n".write(toFile: shallow, atomically: true, encoding: .utf8)
    (status, output) = try runProcess(neurofabric, ["run", "--system", shallow, "--network", "single", "--duration", "10ms",
                                                    "--out", dir.path("run")])
    #expect(status != 0 && output.contains("projection 'exc_input->neuron': delay 1.0 ms is 10 ticks")
            && output.contains("at most 5 (max_delay_ticks in [chip])"), "\(output)")
    // Cells and stimuli a SpiNNaker PE cannot run are named before any PE is loaded.
    let adex = dir.path("adex.toml")
    try "[network]\nname = \"a\"\n[[population]]\nlabel = \"adaptive\"\nsize = 4\ncell = \"EIF_cond_exp_isfa_ista\"\n"
      .write(toFile: adex, atomically: true, encoding: .utf8)
    (status, output) = try runProcess(neurofabric, ["run", "--system", shallow, "--network", adex, "--duration", "10ms", "--out", dir.path("a")])
    #expect(status != 0 && output.contains("population 'adaptive': EIF_cond_exp_isfa_ista has no SpiNNaker processing-element model"), "\(output)")
    let stimulated = dir.path("stimulated.toml")
    try "[network]\nname = \"s\"\n[[population]]\nlabel = \"cells\"\nsize = 4\ncell = \"IF_curr_exp\"\n[[stimulus]]\ntarget = \"cells\"\ntype = \"dc\"\namplitude = 0.5\n"
      .write(toFile: stimulated, atomically: true, encoding: .utf8)
    (status, output) = try runProcess(neurofabric, ["run", "--system", shallow, "--network", stimulated, "--duration", "10ms", "--out", dir.path("s")])
    #expect(status != 0 && output.contains("current stimulus on 'cells'"), "\(output)")
  }

  /// docs/peers.md §7: a traffic-aware placement lowers the rate-weighted remote chips per spike.
  @Test func graphPlacementSendsSpikesToFewerRemoteChipsThanSequential() throws {
    let system = try #require(FamilyRegistry.standard.readSystem(path: topology("spinnaker2-board.toml")) as? SpiNNakerSystem)
    let network = try StandardNetworks.build("microcircuit:N_scaling=0.2")
    let metrics = try [PlacementStrategy.sequential, .graph].map {
      try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: system.timestep * 1e-3,
                         options: MappingOptions(strategy: $0)).metrics
    }
    #expect(metrics[1].remoteChipsPerSpike < metrics[0].remoteChipsPerSpike, "graph \(metrics[1].remoteChipsPerSpike) vs sequential \(metrics[0].remoteChipsPerSpike)")
    #expect(metrics[1].hopsPerSecond < metrics[0].hopsPerSecond)
  }

  /// `neurofabric map` on the wafer prints L1 usage and the loss table before any run.
  @Test func mapPrintsL1UsageAndLoss() throws {
    let result = try runProcess(neurofabric, ["map", "--system", packageRoot.appendingPathComponent("Topologies/bss1-wafer.toml").path,
                                              "--network", "synfire:groups=4"])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("L1 buses") && result.output.contains("HLine segments") && result.output.contains("synapse loss"))
    #expect(result.output.contains("exc0->exc1"))
  }
}
