import Foundation
import TestSupport
import Testing

/// BrainScaleS-1's effects switched off end to end (docs/effects.md#brainscales-1): synapse loss
/// at mapping, collisions from a topology's `without`, mismatch as `[mismatch] enabled = false`,
/// an unknown name, and a saved mapping that keeps the effects it was made without.
@Suite struct BrainScaleS1EffectsTests {
  /// Synfire with 4 denmems loses 11 % of its synapses to the driver chain (docs/families/brainscales1.md).
  static let lossy = ["--system", topology("bss1-wafer.toml"), "--network", "synfire:groups=4"]

  /// The wafer's topology with `[layer1] merger_buffer = 0` (every overlap collides) and `extra`
  /// lines after `wafers = 1` in `[system]`, or in place of `[mismatch] enabled = true`.
  static func wafer(_ dir: TemporaryDirectory, _ name: String, system extra: String = "", mismatch: String = "enabled = true") throws -> String {
    let text = try String(contentsOfFile: topology("bss1-wafer.toml"), encoding: .utf8)
      .replacingOccurrences(of: "merger_buffer = 1 ", with: "merger_buffer = 0 ")
      .replacingOccurrences(of: "wafers = 1\n", with: "wafers = 1\n\(extra)\n")
      .replacingOccurrences(of: "enabled = true", with: mismatch)
    return try write(text, dir, name)
  }

  @Test func withoutSynapseLossEverySynapseIsRealised() throws {
    let on = try runProcess(neurofabric, ["map"] + Self.lossy)
    #expect(on.status == 0 && on.output.contains("synapse loss 4,515 of 40,000 (11.29 %): driver chain too short 4,515"), "\(on.output)")
    let off = try runProcess(neurofabric, ["map", "--without", "synapse-loss"] + Self.lossy)
    #expect(off.status == 0 && off.output.contains("synapse loss 0 of 40,000 (0.00 %)"), "\(off.output)")
  }

  @Test func anUnknownEffectIsRefusedListingTheFamilys() throws {
    let result = try runProcess(neurofabric, ["map", "--without", "weights,latency"] + Self.lossy)
    #expect(result.status != 0 && result.output.contains("no effect 'latency' to switch off on brainscales1 systems (its effects: synapse-loss, weights, collisions, mismatch)"),
            "\(result.output)")
    let info = try runProcess(neurofabric, ["info"])
    #expect(["synapse-loss", "weights", "collisions", "mismatch"].allSatisfy(info.output.contains), "\(info.output)")
  }

  /// With a merger that holds no event, synfire's volleys collide; `without = ["collisions"]` in
  /// the topology's `[system]` table drops none, and the provenance records it.
  @Test func collisionsSwitchedOffInTheTopologyDropNothing() throws {
    let dir = try TemporaryDirectory("bss1-collisions")
    defer { dir.remove() }
    let common = ["--network", "synfire:groups=2", "--duration", "20ms"]
    var result = try run(ranks: 1, ["--system", try Self.wafer(dir, "on.toml"), "--out", dir.path("on")] + common)
    #expect(result.status == 0 && result.output.contains("32 lost in collisions"), "\(result.output)")
    result = try run(ranks: 1, ["--system", try Self.wafer(dir, "off.toml", system: #"without = ["collisions"]"#), "--out", dir.path("off")] + common)
    #expect(result.status == 0 && result.output.contains(" 0 lost in collisions") && result.output.contains(" 0 dropped late"), "\(result.output)")
    #expect(try column(dir.path("off/trace.h5"), "fabric/routers", "drops").allSatisfy { $0 == 0 })
    #expect(try column(dir.path("on/trace.h5"), "fabric/routers", "drops").reduce(0, +) == 32)
  }

  /// `--without mismatch` runs what `[mismatch] enabled = false` runs (spike for spike), which
  /// is not what the calibrated mismatch runs.
  @Test func withoutMismatchIsTheSystemsMismatchOff() throws {
    let dir = try TemporaryDirectory("bss1-mismatch")
    defer { dir.remove() }
    let common = ["--network", "synfire:groups=2", "--duration", "20ms"]
    let on = try Self.wafer(dir, "on.toml"), off = try Self.wafer(dir, "off.toml", mismatch: "enabled = false")
    for (system, out, extra) in [(on, "on", [String]()), (on, "without", ["--without", "mismatch"]), (off, "off", [])] {
      let result = try run(ranks: 1, ["--system", system, "--out", dir.path(out)] + extra + common)
      #expect(result.status == 0, "\(result.output)")
    }
    for population in ["exc0", "inh0", "exc1", "inh1"] {
      let without = try spikes(dir.path("without/trace.h5"), population), off = try spikes(dir.path("off/trace.h5"), population)
      #expect(without.times == off.times && without.nodes == off.nodes, "\(population)")
    }
    let all = { (run: String) in try ["exc0", "inh0", "exc1", "inh1"].flatMap { try spikes(dir.path("\(run)/trace.h5"), $0).times } }
    #expect(try all("on") != all("without"))
  }

  /// A mapping saved without `synapse-loss` runs only without it: a run with every effect on
  /// refuses it (its identity records the effects), one without `synapse-loss` takes it.
  @Test func aMappingMadeWithoutSynapseLossRunsOnlyWithoutIt() throws {
    let dir = try TemporaryDirectory("bss1-saved")
    defer { dir.remove() }
    var result = try runProcess(neurofabric, ["map", "--without", "synapse-loss", "--out", dir.path("m.h5")] + Self.lossy)
    #expect(result.status == 0 && result.output.contains("synapse loss 0 of 40,000"), "\(result.output)")
    let common = Self.lossy + ["--mapping", dir.path("m.h5"), "--duration", "2ms"]
    result = try run(ranks: 1, common + ["--out", dir.path("on")])
    #expect(result.status == 1 && result.output.contains("--mapping \(dir.path("m.h5"))"), "\(result.output)")
    result = try run(ranks: 1, common + ["--without", "synapse-loss", "--out", dir.path("off")])
    #expect(result.status == 0, "\(result.output)")
    #expect(FileManager.default.fileExists(atPath: dir.path("off/trace.h5")))
  }
}
