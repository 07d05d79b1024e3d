import Engine
import Foundation
import Hardware
import TestSupport
import Testing
import Traces

/// SpiNNaker runs through `neurofabric run`: router congestion (emergency routes, drops,
/// reinjection), timer overruns, identical traces on 1–3 ranks, and the arithmetic a topology chooses.
@Suite(.serialized) struct SpiNNakerRunTests {
  /// A board of `pes` PEs per chip with the given link bandwidth (Mbit/s), tick and atoms per PE.
  func topology(_ dir: TemporaryDirectory, bandwidth: Double = 250, tick: Double = 1, atoms: Int = 16, pes: Int = 4) throws -> String {
    let path = dir.path("board-\(Int(bandwidth))-\(atoms).toml")
    try """
      [system]
      family = "spinnaker2"
      shape = "board"
      timestep = \(tick)
      [chip]
      pes = \(pes)
      max_atoms_per_pe = \(atoms)
      [links]
      bandwidth = \(bandwidth)
      """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// 300 sources fire together each ms onto one PE on another chip: through 10 Mbit/s links the
  /// routers stall, take emergency routes and drop (and reinject); with 10 Gbit/s links nothing is lost.
  @Test func floodedLinksDropAndEmergencyRoute() throws {
    let dir = try TemporaryDirectory("spinnaker-flood")
    defer { dir.remove() }
    let network = try burstNetwork(dir, sources: 300, targets: 10, bursts: 20, weight: 0.01)
    var counters: [String: [String: UInt64]] = [:]
    for bandwidth in [10.0, 10_000] {
      let out = dir.path("flood-\(Int(bandwidth))")
      let result = try run(ranks: 1, ["--system", try topology(dir, bandwidth: bandwidth), "--network", network,
                                      "--duration", "30ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      var totals: [String: UInt64] = [:]
      for name in ["emergency_routed", "dropped", "reinjected", "lost", "external_multicast"] {
        totals[name] = try column(out + "/trace.h5", "fabric/routers", name).reduce(0, +)
      }
      counters["\(Int(bandwidth))"] = totals
    }
    let slow = counters["10"]!, fast = counters["10000"]!
    #expect(slow["external_multicast"]! > 0 && fast["external_multicast"]! > 0, "the sink must be on another chip")
    #expect(slow["emergency_routed"]! > 0, "\(slow)")
    #expect(slow["dropped"]! > 0 && slow["reinjected"]! > 0, "\(slow)")
    #expect(fast["emergency_routed"] == 0 && fast["dropped"] == 0 && fast["lost"] == 0, "\(fast)")
  }

  /// The flooded run gives byte-identical spikes, router, link and PE counters on 1, 2 and 3 ranks.
  @Test func floodIsIdenticalOnOneToThreeRanks() throws {
    let dir = try TemporaryDirectory("spinnaker-ranks")
    defer { dir.remove() }
    let network = try burstNetwork(dir, sources: 300, targets: 10, bursts: 10, weight: 0.5)
    let system = try topology(dir, bandwidth: 10)
    var reference: [String: [UInt64]]?
    for ranks in 1...3 {
      let out = dir.path("r\(ranks)")
      let result = try run(ranks: ranks, ["--system", system, "--network", network, "--duration", "15ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      let file = out + "/trace.h5"
      var traces: [String: [UInt64]] = [:]
      traces["spikes"] = try HDF5File.open(file).root().openGroup("spikes/sink").openDataset("node_ids", as: UInt64.self).read()
      traces["times"] = try HDF5File.open(file).root().openGroup("spikes/sink").openDataset("timestamps", as: Double.self).read().map(\.bitPattern)
      for name in ["dropped", "emergency_routed", "reinjected", "lost", "packets"] { traces[name] = try column(file, "fabric/routers", name) }
      for name in ["packets", "drops_wait_timeout", "max_queue"] { traces["link " + name] = try column(file, "fabric/links", name) }
      for name in ["packets_received", "synaptic_events", "overruns", "chip", "pe"] { traces["pe " + name] = try column(file, "fabric/pes", name) }
      #expect(traces["dropped"]!.reduce(0, +) > 0, "drops expected")
      #expect(!traces["spikes"]!.isEmpty, "the sink must spike")
      if let reference {
        for (name, values) in reference { #expect(traces[name] == values, "\(name) differs on \(ranks) ranks") }
      } else {
        reference = traces
      }
    }
  }

  /// 100 sources bursting every 1-ms tick onto 200 neurons: planned from their mean rate, the 200
  /// fit one PE, which then overruns its timer every burst tick; at 10 neurons per PE none do.
  @Test func overloadedPEOverruns() throws {
    let dir = try TemporaryDirectory("spinnaker-overrun")
    defer { dir.remove() }
    let network = try burstNetwork(dir, sources: 100, targets: 200, bursts: 50, weight: 0.001)
    var overruns: [Int: UInt64] = [:]
    for atoms in [256, 10] {
      let out = dir.path("atoms-\(atoms)")
      let result = try run(ranks: 1, ["--system", try topology(dir, bandwidth: 10_000, atoms: atoms, pes: 152), "--network", network,
                                      "--duration", "60ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      let neurons = try column(out + "/trace.h5", "fabric/pes", "neurons")
      let population = try column(out + "/trace.h5", "fabric/pes", "population")
      #expect(neurons.max() == UInt64(min(atoms, 200)) || atoms == 256 && population.filter { $0 == 1 }.count == 1)
      overruns[atoms] = try column(out + "/trace.h5", "fabric/pes", "overruns").reduce(0, +)
      // Planned from the mean, measured per tick: the bursts take far more than the plan.
      let planned = try column(out + "/trace.h5", "fabric/pes", "planned_cycles")
      let busiest = try column(out + "/trace.h5", "fabric/pes", "max_tick_cycles")
      let total = try column(out + "/trace.h5", "fabric/pes", "cycles")
      let targets = population.indices.filter { population[$0] == 1 }
      #expect(targets.allSatisfy { busiest[$0] * 60 >= total[$0] && busiest[$0] > 2 * planned[$0] }, "planned \(planned), busiest \(busiest)")
      #expect(result.output.contains("PE load") && result.output.contains("busiest tick"), "\(result.output)")
      // More than 1 % of PE ticks overrun: the summary says so, with the share; none: silence.
      #expect(result.output.contains("WARNING           PEs overran in") == (atoms == 256), "\(result.output)")
    }
    #expect(overruns[256]! >= 40, "overruns \(overruns)")
    #expect(overruns[10] == 0, "overruns \(overruns)")
  }

  /// py-spinnaker2 has no conductance-based LIF: `validate --system` and `run` refuse IF_cond_exp
  /// under `arithmetic = "float32"` by name; s16.15 runs it. Bad arithmetic keys name their line.
  @Test func arithmeticIsChosenAndCheckedInTheTopology() throws {
    let dir = try TemporaryDirectory("spinnaker-arithmetic")
    defer { dir.remove() }
    let network = dir.path("cond.toml")
    try """
      [network]
      name = "cond"
      [[population]]
      label = "cells"
      size = 4
      cell = "IF_cond_exp"
      """.write(toFile: network, atomically: true, encoding: .utf8)
    for (arithmetic, refused) in [("float32", true), ("s16.15", false)] {
      let system = dir.path("\(arithmetic).toml")
      try "[system]\nfamily = \"spinnaker2\"\nshape = \"chip\"\n[chip]\narithmetic = \"\(arithmetic)\"\n"
        .write(toFile: system, atomically: true, encoding: .utf8)
      let validate = try runProcess(neurofabric, ["validate", network, "--system", system])
      #expect((validate.status != 0) == refused, "\(validate.output)")
      #expect(validate.output.contains("IF_cond_exp has no py-spinnaker2 model") == refused, "\(validate.output)")
      let result = try run(ranks: 1, ["--system", system, "--network", network, "--duration", "5ms", "--out", dir.path("run-\(arithmetic)")])
      #expect((result.status != 0) == refused, "\(result.output)")
    }
    for (chip, says) in [("arithmetic = \"fixed\"", "unknown arithmetic 'fixed'"),
                         ("weight_bits = 8", "applies to arithmetic = \"float32\""),
                         ("arithmetic = \"float32\"\nweight_bits = 17", "weight_bits"),
                         ("delay_offset_ticks = 0.5", "whole number of ticks")] {
      #expect {
        try FamilyRegistry.standard.parseSystem("[system]\nfamily = \"spinnaker2\"\n[chip]\n\(chip)\n", file: "chip.toml")
      } throws: { "\($0)".contains("chip.toml:") && "\($0)".contains(says) }
    }
    let float = try #require(try FamilyRegistry.standard.parseSystem("[system]\nfamily = \"spinnaker2\"\n[chip]\narithmetic = \"float32\"\n[ring_buffer]\nsigma = 3\n",
                                                                       file: "f.toml") as? SpiNNakerSystem)
    #expect(float.arithmetic == .float32(weightBits: 4) && float.ringBuffer.sigma == 3 && float.ringBuffer.spikesPerSecond == 30)
  }
}
