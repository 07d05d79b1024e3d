import Foundation
import TestSupport
import Testing

/// BrainScaleS-2 through `neurofabric run` under `mpiexec -n 1…4`: the synfire chain and Brunel on
/// four chips give byte-identical traces on every rank count.
@Suite(.serialized) struct BrainScaleS2Tests {
  /// The synfire chain (without feed-forward inhibition, which no delay holds back on BrainScaleS-2)
  /// propagates across 4 chips, one group per chip, and spikes, drops and crossbar counters are
  /// byte-identical on 1, 2, 3 and 4 ranks.
  @Test func synfireAcrossFourChipsOnOneToFourRanks() throws {
    let dir = try TemporaryDirectory("bss2-synfire")
    defer { dir.remove() }
    let system = try write("""
      [system]
      family = "brainscales2"
      chips = 4
      [mapping]
      neurons_per_chip = 125
      """, dir, "four.toml")
    var reference: [String: [UInt64]]?
    for ranks in 1...4 {
      let out = dir.path("r\(ranks)")
      let result = try runProcess(mpiexec, ["-n", String(ranks), neurofabric, "run", "--no-progress", "--system", system,
                                            "--network", "synfire:groups=4,inh_psp=0", "--duration", "25ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      let file = out + "/trace.h5"
      var traces: [String: [UInt64]] = [:]
      for g in 0..<4 {
        let (t, n) = try spikes(file, "exc\(g)")
        traces["exc\(g)"] = n
        traces["exc\(g)_t"] = t.map(\.bitPattern)
        if ranks == 1 { #expect(Set(n).count >= 90, "group \(g): \(Set(n).count) of 100 fired") }
      }
      for name in ["drops", "padi_events_0", "l2_events_0", "input_drops_8", "synaptic_events"] { traces[name] = try column(file, "fabric/routers", name) }
      if ranks == 1 {
        #expect(try column(file, "fabric/routers", "l2_events_0").reduce(0, +) + column(file, "fabric/routers", "l2_events_1").reduce(0, +) > 0)
        #expect(traces["drops"]!.reduce(0, +) > 0, "synchronous groups collide on the buses")
      }
      if let reference { #expect(traces == reference, "\(ranks) ranks differ from 1 rank") } else { reference = traces }
    }
  }

  /// Brunel (N = 1,500, in-degree 60) on the 4-chip system: spikes, drops and crossbar counters are
  /// byte-identical on 1, 2, 3 and 4 ranks, with events crossing chips and dropped at busy buses;
  /// `inspect` sums the counters and names the chips with the most drops.
  @Test func brunelOnFourChipsOnOneToFourRanks() throws {
    let dir = try TemporaryDirectory("bss2-brunel")
    defer { dir.remove() }
    var reference: [String: [UInt64]]?
    for ranks in 1...4 {
      let out = dir.path("r\(ranks)")
      let result = try runProcess(mpiexec, ["-n", String(ranks), neurofabric, "run", "--no-progress", "--system", topology("bss2-4chips.toml"),
                                            "--network", "brunel:N=1500,indegree=60,J=2", "--duration", "20ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      let file = out + "/trace.h5"
      var traces: [String: [UInt64]] = [:]
      for population in ["exc", "inh"] {
        let (t, n) = try spikes(file, population)
        traces[population] = n
        traces[population + "_t"] = t.map(\.bitPattern)
      }
      for name in ["drops", "input_drops_0", "input_drops_8", "l2_events_0", "padi_events_4", "synaptic_events"] {
        traces[name] = try column(file, "fabric/routers", name)
      }
      traces["link_packets"] = try column(file, "fabric/links", "packets")
      if ranks == 1 {
        #expect(traces["exc"]!.count > 100 && traces["link_packets"]!.reduce(0, +) > 0 && traces["drops"]!.reduce(0, +) > 0)
        let inspect = try runProcess(neurofabric, ["inspect", file])
        #expect(inspect.status == 0 && inspect.output.contains("padi_events") && inspect.output.contains("most drops (of 4 chips)"), "\(inspect.output)")
      }
      if let reference { #expect(traces == reference, "\(ranks) ranks differ from 1 rank") } else { reference = traces }
    }
  }
}
