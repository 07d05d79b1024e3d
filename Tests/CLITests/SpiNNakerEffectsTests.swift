import Foundation
import TestSupport
import Testing
import Traces

/// SpiNNaker's hardware effects switched off end to end (`--without`, `without = [...]`;
/// docs/effects.md § SpiNNaker): each changes what it models and nothing else, and a run with
/// every effect off follows `ideal`'s run of the same network.
@Suite(.serialized) struct SpiNNakerEffectsTests {
  static let all = "latency,arithmetic,saturation,overruns,drops,quantisation"

  /// A spinnaker2 board (or chip) with `lines` added to `[system]` and `[chip]`.
  func system(_ dir: TemporaryDirectory, _ name: String, shape: String = "board", timestep: Double = 1, pes: Int = 4,
              atoms: Int = 16, bandwidth: Double = 250, systemLines: String = "") throws -> String {
    try write("""
      [system]
      family = "spinnaker2"
      shape = "\(shape)"
      timestep = \(timestep)
      \(systemLines)
      [chip]
      pes = \(pes)
      max_atoms_per_pe = \(atoms)
      [links]
      bandwidth = \(bandwidth)
      """, dir, name)
  }

  func ideal(_ dir: TemporaryDirectory, dt: Double) throws -> String {
    try write("[system]\nfamily = \"ideal\"\nchips = 1\ndt = \(dt)\n", dir, "ideal-\(dt).toml")
  }

  /// Runs and returns the totals of the PE and router counters named.
  func totals(_ arguments: [String], _ out: String) throws -> [String: UInt64] {
    let result = try run(ranks: 1, arguments + ["--out", out])
    #expect(result.status == 0, "\(result.output)")
    var totals: [String: UInt64] = [:]
    for name in ["overruns", "input_queue_drops", "synaptic_events", "late_events", "saturations"] {
      totals[name] = try column(out + "/trace.h5", "fabric/pes", name).reduce(0, +)
    }
    totals["dropped"] = try column(out + "/trace.h5", "fabric/routers", "dropped").reduce(0, +)
    return totals
  }

  /// The membrane samples of `population`.
  func membrane(_ file: String, _ population: String) throws -> [Double] {
    try HDF5File.open(file).root().openMatrix("report/\(population)/data", as: Float.self).read().map(Double.init)
  }

  /// Flooded 10 Mbit/s links drop at the routers; without `drops` they wait, nothing is dropped and
  /// every synapse acts. The same from the topology's `without = ["drops"]`.
  @Test func withoutDropsNothingIsDropped() throws {
    let dir = try TemporaryDirectory("spinnaker-fx-drops")
    defer { dir.remove() }
    let network = try burstNetwork(dir, sources: 300, targets: 10, bursts: 8, weight: 0.01)
    let arguments = ["--system", try system(dir, "slow.toml", bandwidth: 10), "--network", network, "--duration", "12ms"]
    let on = try totals(arguments, dir.path("on"))
    let off = try totals(arguments + ["--without", "drops"], dir.path("off"))
    let file = try totals(["--system", try system(dir, "slow-without.toml", bandwidth: 10, systemLines: "without = [\"drops\"]"),
                           "--network", network, "--duration", "12ms"], dir.path("file"))
    #expect(on["dropped"]! > 0, "\(on)")
    #expect(off["dropped"] == 0 && off["input_queue_drops"] == 0 && off["synaptic_events"]! > on["synaptic_events"]!, "\(on) \(off)")
    #expect(off["synaptic_events"] == 8 * 300 * 10, "every spike reaches every synapse")
    #expect(file == off, "the topology's without = [\"drops\"] is --without drops")
  }

  /// 300 sources bursting onto 200 neurons on one PE: its CPU falls behind, ticks overrun, the
  /// input queue overflows and the sink's spikes reach the relay later than their delay. Without
  /// `overruns` none of it happens.
  @Test func withoutOverrunsNothingIsLate() throws {
    let dir = try TemporaryDirectory("spinnaker-fx-overruns")
    defer { dir.remove() }
    let arguments = ["--system", try system(dir, "wide.toml", pes: 152, atoms: 256, bandwidth: 10_000),
                     "--network", try burstNetwork(dir, sources: 300, targets: 200, bursts: 6, weight: 0.05, relay: true), "--duration", "15ms"]
    let on = try totals(arguments, dir.path("on"))
    let off = try totals(arguments + ["--without", "overruns"], dir.path("off"))
    #expect(on["overruns"]! > 0 && on["late_events"]! > 0, "\(on)")
    #expect(off["overruns"] == 0 && off["late_events"] == 0 && off["input_queue_drops"] == 0, "\(off)")
  }

  /// One spike at 2 ms through a 1-ms synapse: its effect shows one tick later without `latency`,
  /// where `ideal` shows it.
  @Test func withoutLatencyTheEffectIsOneTickLater() throws {
    let dir = try TemporaryDirectory("spinnaker-fx-latency")
    defer { dir.remove() }
    let network = try write("""
      [network]
      name = "one"
      [[population]]
      label = "source"
      size = 1
      cell = "SpikeSourceArray"
      spike_times = [2.0]
      [[population]]
      label = "cell"
      size = 1
      cell = "IF_curr_exp"
      [[projection]]
      label = "source->cell"
      pre = "source"
      post = "cell"
      receptor = "excitatory"
      connector = { type = "one_to_one" }
      weight = 1.0
      delay = 1.0
      [[record]]
      population = "cell"
      variables = ["v"]
      """, dir, "one.toml")
    let chip = try system(dir, "chip.toml", shape: "chip")
    var firstMove: [String: Int] = [:]
    for (name, arguments) in [("on", ["--system", chip]), ("off", ["--system", chip, "--without", "latency"]),
                              ("ideal", ["--system", try ideal(dir, dt: 1)])] {
      let result = try run(ranks: 1, arguments + ["--network", network, "--duration", "8ms", "--out", dir.path(name)])
      #expect(result.status == 0, "\(result.output)")
      let v = try membrane(dir.path(name + "/trace.h5"), "cell")
      firstMove[name] = v.firstIndex { $0 > v[0] + 0.1 }
    }
    #expect(firstMove["off"] != nil && firstMove["off"] == firstMove["on"]! + 1 && firstMove["off"] == firstMove["ideal"], "\(firstMove)")
  }

  /// The single neuron of `single` (0.1 ms): with NEST's latency, Float64 brings its membrane closer
  /// to `ideal`'s; with every effect off it has `ideal`'s spikes and a membrane within 0.01 mV
  /// (docs/effects.md).
  @Test func withoutArithmeticAndEverythingTheRunFollowsIdeal() throws {
    let dir = try TemporaryDirectory("spinnaker-fx-arithmetic")
    defer { dir.remove() }
    let chip = try system(dir, "chip.toml", shape: "chip", timestep: 0.1)
    var v: [String: [Double]] = [:], spikes: [String: [Double]] = [:]
    for (name, arguments) in [("ideal", ["--system", try ideal(dir, dt: 0.1)]),
                              ("latency", ["--system", chip, "--without", "latency"]),
                              ("arithmetic", ["--system", chip, "--without", "latency,arithmetic"]),
                              ("all", ["--system", chip, "--without", Self.all])] {
      let result = try run(ranks: 1, arguments + ["--network", "single", "--duration", "200ms", "--out", dir.path(name)])
      #expect(result.status == 0, "\(result.output)")
      v[name] = try membrane(dir.path(name + "/trace.h5"), "neuron")
      spikes[name] = try TestSupport.spikes(dir.path(name + "/trace.h5"), "neuron").times
    }
    func rms(_ name: String) -> Double {
      let errors = zip(v[name]!, v["ideal"]!).map { $0 - $1 }
      return (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
    }
    #expect(v["all"]!.count == v["ideal"]!.count && !spikes["ideal"]!.isEmpty)
    #expect(rms("arithmetic") < rms("latency"), "Float64 \(rms("arithmetic")) mV, s16.15 \(rms("latency")) mV")
    #expect(spikes["all"]!.count == spikes["ideal"]!.count && zip(spikes["all"]!, spikes["ideal"]!).allSatisfy { abs($0 - $1) < 1e-9 }, "\(spikes)")
    #expect(rms("all") < 0.01, "\(rms("all")) mV")
  }

  /// A name SpiNNaker does not model ("bogus"; "mismatch", an analog family's kind of effect) is an
  /// error listing SpiNNaker's.
  @Test func unknownEffectsAreErrors() throws {
    let dir = try TemporaryDirectory("spinnaker-fx-errors")
    defer { dir.remove() }
    let chip = try system(dir, "chip.toml", shape: "chip")
    for name in ["bogus", "mismatch"] {
      let result = try run(ranks: 1, ["--system", chip, "--network", "single", "--duration", "1ms", "--without", name,
                                      "--out", dir.path(name)])
      #expect(result.status != 0 && result.output.contains("no effect '\(name)'")
                && result.output.contains("latency, arithmetic, saturation, overruns, drops, quantisation"), "\(result.output)")
    }
  }
}
