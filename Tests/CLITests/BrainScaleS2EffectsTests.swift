import Foundation
import TestSupport
import Testing
import Traces

/// BrainScaleS-2's hardware effects switched off by name (docs/effects.md#brainscales-2), end to end:
/// each changes what it should, from `--without` and from a topology's `without = [...]`, and a
/// saved mapping follows the `weights` switch.
@Suite struct BrainScaleS2EffectsTests {
  /// `neurofabric run --no-progress` on one rank, checked to succeed.
  func run(_ arguments: [String], _ what: String) throws {
    let result = try runProcess(neurofabric, ["run", "--no-progress"] + arguments, timeout: 300)
    #expect(result.status == 0, "\(what): \(result.output)")
  }

  /// Brunel (N = 300) on one chip three ways: every effect on (`on`), `--without effect` (`off`),
  /// and on the topology `system` (`topology`).
  func threeRuns(_ effect: String, topology system: String, in dir: TemporaryDirectory) throws {
    let file = try write(system, dir, "system.toml")
    let common = ["--network", "brunel:N=300,indegree=30,J=2", "--duration", "10ms", "--seed", "3"]
    for (name, chosen) in [("on", [topology("bss2-chip.toml")]), ("off", [topology("bss2-chip.toml"), "--without", effect]), ("topology", [file])] {
      try run(["--system"] + chosen + ["--out", dir.path(name)] + common, name)
    }
  }

  func spikeList(_ file: String, _ population: String) throws -> [UInt64] {
    let (t, n) = try spikes(file, population)
    return t.map(\.bitPattern) + n
  }

  @Test func anUnknownEffectIsAnErrorListingBrainScaleS2s() throws {
    let dir = try TemporaryDirectory("bss2-fx-unknown")
    defer { dir.remove() }
    let result = try runProcess(neurofabric, ["run", "--system", topology("bss2-chip.toml"), "--network", "single", "--without", "mismatch,latency",
                                              "--duration", "1ms", "--out", dir.path("r")])
    #expect(result.status != 0 && result.output.contains("no effect 'latency' to switch off on brainscales2 systems (its effects: mismatch, weights, arbitration, fpga-latency)"),
            "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("r/trace.h5")))
  }

  /// Brunel's Poisson drive overloads the PADI buses: events are dropped. Without `arbitration`
  /// (from the command line or from the topology) none is, and both ways give the same run.
  @Test func withoutArbitrationNothingIsDropped() throws {
    let dir = try TemporaryDirectory("bss2-fx-arbitration")
    defer { dir.remove() }
    try threeRuns("arbitration", topology: """
      [system]
      family = "brainscales2"
      without = ["arbitration"]
      """, in: dir)
    let drops = try column(dir.path("on/trace.h5"), "fabric/routers", "drops").reduce(0, +)
    #expect(drops > 0, "the drive should overload a bus")
    for name in ["off", "topology"] {
      let file = dir.path("\(name)/trace.h5")
      #expect(try column(file, "fabric/routers", "drops").reduce(0, +) == 0, "\(name)")
      #expect(try column(file, "fabric/routers", "padi_events_0").reduce(0, +) > 0, "\(name)")
      let without = try HDF5File.open(file).root().openGroup("provenance").stringAttribute("without")
      #expect(without == ["arbitration"], "\(name)")
    }
    #expect(try spikeList(dir.path("off/trace.h5"), "exc") == spikeList(dir.path("topology/trace.h5"), "exc"))
    #expect(try spikeList(dir.path("off/trace.h5"), "exc") != spikeList(dir.path("on/trace.h5"), "exc"))
  }

  /// `--without mismatch` is `[mismatch] enabled = false`: the same spikes, and both differ from the calibrated run's.
  @Test func withoutMismatchIsMismatchOff() throws {
    let dir = try TemporaryDirectory("bss2-fx-mismatch")
    defer { dir.remove() }
    try threeRuns("mismatch", topology: """
      [system]
      family = "brainscales2"
      [mismatch]
      enabled = false
      """, in: dir)
    let off = try spikeList(dir.path("off/trace.h5"), "exc")
    #expect(off == (try spikeList(dir.path("topology/trace.h5"), "exc")))
    #expect(off != (try spikeList(dir.path("on/trace.h5"), "exc")))
    let mismatch = try HDF5File.open(dir.path("off/trace.h5")).root().openGroup("provenance").stringAttribute("mismatch")
    #expect(mismatch == ["off"])
  }

  /// A chain of single neurons, each on its own chip (mismatch off): each crossing adds the FPGA
  /// path; without `fpga-latency` the spikes come at the times of the same chain on one chip, and
  /// the same on 1 and 4 ranks (the window shrinks to the on-chip latency).
  @Test func withoutFPGALatencyASpikeCrossesChipsSooner() throws {
    let dir = try TemporaryDirectory("bss2-fx-fpga")
    defer { dir.remove() }
    func system(chips: Int) throws -> String {
      try write("""
        [system]
        family = "brainscales2"
        chips = \(chips)
        [mapping]
        neurons_per_chip = \(chips == 1 ? 512 : 1)
        [mismatch]
        enabled = false
        [madc]
        channels = 4
        """, dir, "chain\(chips).toml")
    }
    let common = ["--network", "chain:n=4", "--duration", "30ms"]
    try run(["--system", system(chips: 1), "--out", dir.path("one")] + common, "one chip")
    try run(["--system", system(chips: 4), "--out", dir.path("four")] + common, "four chips")
    let result = try TestSupport.run(ranks: 4, ["--system", system(chips: 4), "--without", "fpga-latency", "--out", dir.path("four-off")] + common)
    #expect(result.status == 0, "\(result.output)")
    let one = try spikes(dir.path("one/trace.h5"), "chain"), four = try spikes(dir.path("four/trace.h5"), "chain")
    let off = try spikes(dir.path("four-off/trace.h5"), "chain")
    #expect(one.nodes == [0, 1, 2, 3] && four.nodes == one.nodes && off.nodes == one.nodes, "\(one) \(four) \(off)")
    #expect(four.times[3] - one.times[3] > 3.5, "three crossings of 1.3 ms: \(four.times) vs \(one.times)")
    #expect(off.times == one.times, "without the FPGA path a crossing takes the on-chip latency: \(off.times) vs \(one.times)")
  }

  /// Weights uniform in [0, 0.1] nA from 40 sources onto 30 cells: 6-bit quantisation (LSB
  /// 0.1/63) zeroes the few below half an LSB. Without `weights` every synapse is kept with its
  /// exact weight, and a saved mapping made without `weights` is only reused by a run without them.
  @Test func withoutWeightsNoSynapseIsZeroedAndTheSavedMappingFollows() throws {
    let dir = try TemporaryDirectory("bss2-fx-weights")
    defer { dir.remove() }
    let network = try write("""
      [network]
      name = "spread weights"
      [[population]]
      label = "sources"
      size = 40
      cell = "SpikeSourcePoisson"
      rate = 50.0
      [[population]]
      label = "cells"
      size = 30
      cell = "IF_curr_exp"
      [[projection]]
      label = "drive"
      pre = "sources"
      post = "cells"
      receptor = "excitatory"
      connector = "all_to_all"
      weight = { distribution = "uniform", low = 0.0, high = 0.1 }
      delay = 1.0
      [[record]]
      population = "cells"
      variables = ["spikes"]
      """, dir, "weights.toml")
    let common = ["--system", topology("bss2-chip.toml"), "--network", network, "--duration", "5ms"]
    try run(common + ["--out", dir.path("on")], "with weights")
    try run(common + ["--without", "weights", "--out", dir.path("off")], "--without weights")
    func mapping(_ name: String) throws -> (zeroed: [Int64], scale: [Double], synapses: [Int64]) {
      let root = try HDF5File.open(dir.path("\(name)/trace.h5")).root()
      let projections = try root.openGroup("mapping/projections"), chips = try root.openGroup("mapping/chips")
      return (try projections.openDataset("zeroed", as: Int64.self).read(), try projections.openDataset("scale", as: Double.self).read(),
              try chips.openDataset("synapses", as: Int64.self).read())
    }
    let on = try mapping("on"), off = try mapping("off")
    #expect(on.zeroed[0] > 0 && off.zeroed == [0], "\(on.zeroed) \(off.zeroed)")
    #expect(on.synapses[0] + on.zeroed[0] == 1200 && off.synapses[0] == 1200, "\(on.synapses) \(off.synapses)")
    #expect(on.scale[0] > 0 && off.scale == [0])

    // A saved mapping made without weights: refused with weights on (its identity differs), taken without.
    var result = try runProcess(neurofabric, ["map", "--without", "weights", "--out", dir.path("m.h5")] + Array(common.prefix(4)))
    #expect(result.status == 0, "\(result.output)")
    result = try runProcess(neurofabric, ["run", "--no-progress", "--mapping", dir.path("m.h5"), "--out", dir.path("refused")] + common, timeout: 300)
    #expect(result.status != 0 && result.output.contains("it was made for the system"), "\(result.output)")
    try run(common + ["--without", "weights", "--mapping", dir.path("m.h5"), "--out", dir.path("loaded")], "--mapping made without weights")
    #expect(try spikeList(dir.path("loaded/trace.h5"), "cells") == spikeList(dir.path("off/trace.h5"), "cells"))
  }
}
