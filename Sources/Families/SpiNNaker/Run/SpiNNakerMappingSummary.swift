import Foundation
import Hardware
import Mapping
import Model

/// The mapping report on screen: what a PACMAN user reads in its reports, in one screen.
enum SpiNNakerMappingSummary {
  static func text(_ mapping: NetworkMapping, model: Network, system: SpiNNakerSystem, machine: MachineGraph,
                   context: SpiNNakerMappingWriter.Context) -> String {
    let m = mapping.metrics
    func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    func si(_ x: Double) -> String {
      x >= 1e9 ? f(x / 1e9, 2) + " G" : x >= 1e6 ? f(x / 1e6, 2) + " M" : x >= 1e3 ? f(x / 1e3, 1) + " k" : f(x, 1) + " "
    }
    let used = mapping.placement.usedChips
    let costs = system.coreCosts
    var lines = ["mapping: \(model.name) on \(system.name) (\(system.family), \(machine.liveChips.count) live chips, \(m.workingPEs.grouped) working PEs, tick \(system.timestep) ms, \(Int(system.clockMHz)) MHz, \(system.arithmetic))"]
    lines.append("  placer       \(context.placer)\(context.placer == "graph" ? " (METIS k-way on expected traffic)" : "")")
    lines.append("  slices       \(m.slices.grouped) on \(m.slices.grouped) PEs (\(f(100 * Double(m.slices) / Double(max(1, m.workingPEs)))) % of working) on \(used.count) chips")
    var perPopulation: [[String]] = []
    for (p, label) in mapping.traffic.labels.enumerated() {
      let range = mapping.graph.firstSlice[p]..<mapping.graph.firstSlice[p + 1]
      guard !range.isEmpty else { continue }
      let sizes = range.map { mapping.graph.slices[$0].count }
      let cycles = range.map { mapping.loads[$0].cycles }.max() ?? 0
      let bursts = range.map { mapping.loads[$0].burstCycles(costs) }.max() ?? 0
      perPopulation.append(["  " + label, mapping.traffic.sizes[p].grouped, range.count.grouped, "\(sizes.max()!)",
                            mapping.sliceLimits[p], f(100 * cycles / costs.cyclesPerTick, 0) + " %", f(100 * bursts / costs.cyclesPerTick, 0) + " %",
                            f(mapping.traffic.rates[p])])
    }
    lines.append(table(["  population", "neurons", "slices", "per PE", "limit", "cpu", "bursts", "rate Hz"], perPopulation))
    lines.append("  timing       a synapse of d ticks acts in its target's update d\(system.latencyOffsetTicks > 0 ? " + \(system.latencyOffsetTicks)" : "") ticks after its source crossed threshold "
      + (system.latencyOffsetTicks == 1 ? "(NEST's latency)" : "(sPyNNaker; NEST: d + 1; [chip] delay_offset_ticks)"))
    let short = model.projections.filter { $0.delayBounds.shortest < system.timestep * (1 - 1e-9) }
    if !short.isEmpty {
      lines.append("  short delays \(short.count) projection\(short.count == 1 ? "" : "s") (\(short.prefix(3).map { "'\($0.label)'" }.joined(separator: ", "))\(short.count > 3 ? ", …" : "")) "
        + "have delays below one tick (down to \(short.map(\.delayBounds.shortest).min()!.compact) ms): they act after one tick, as on the PEs")
    }
    let before = m.entriesBefore, after = m.entriesAfter
    lines.append("  tables       max \(before.max() ?? 0) entries per chip, \(after.max() ?? 0) after compression (capacity \(machine.tableCapacity.grouped)); total \(before.reduce(0, +).grouped) → \(after.reduce(0, +).grouped)")
    lines.append("  keys         population \(mapping.keys.populationBits) + slice \(mapping.keys.sliceBits) + atom \(mapping.keys.atomBits) bits")
    var busiest = "none"
    if m.busiestLink >= 0 {
      let chip = m.busiestLink / machine.linksPerChip, link = m.busiestLink % machine.linksPerChip
      busiest = "\(si(m.busiestLinkLoad))packets/s on \(machine.chipNames[chip]) link \(SpiNNakerShape.linkNames[link])"
    }
    lines.append("  traffic      \(si(m.packetsPerSecond))spikes/s, \(si(m.hopsPerSecond))link hops/s (\(f(m.hopsPerSpike, 2)) per spike), busiest \(busiest)")
    lines.append("  partition    remote chips per spike \(f(m.remoteChipsPerSpike, 2)) (rate-weighted), edge cut \(f(100 * m.edgeCut / max(1, m.synapses))) % of \(Int(m.synapses).grouped) synapses")
    if m.ranks > 1 {
      lines.append("  ranks        \(m.ranks) (chips \(DomainDecomposition.chipsPerRank(mapping.rankOfChip, ranks: m.ranks))), \(si(m.rankCrossingPerSecond))packets/s cross ranks, lookahead \(SpiNNakerMappingWriter.lookahead(m, context) * 1000) µs (one hop)")
    } else {
      lines.append("  ranks        1")
    }
    lines.append("  time         " + m.stageSeconds.map { "\($0.stage) \(f($0.seconds, 3)) s" }.joined(separator: ", "))
    return lines.joined(separator: "\n")
  }
}
