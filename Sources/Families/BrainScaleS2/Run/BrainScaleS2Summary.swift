import Foundation
import Hardware
import Mapping
import Model

/// The BrainScaleS-2 mapping report on screen: circuits, synapse drivers per PADI bus, crossbar
/// nodes, FPGA tables, 6-bit weights and what the hardware does to delays, before any run.
enum BrainScaleS2Summary {
  static func text(_ mapping: BrainScaleS2Mapping, model: Network, system: BrainScaleS2System, path: String) -> String {
    func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    let mismatch = system.mismatchSetting
    let used = mapping.neuronsOfChip.filter { !$0.isEmpty }.count
    let circuits = mapping.neurons.reduce(0) { $0 + $1.circuits }
    var lines = ["mapping: \(model.name) on \(system.name) (brainscales2, \(system.chips) chips of 512 circuits, speed-up \(Int(system.speedup)), mismatch \(mismatch))"]
    let sizes = model.populations.enumerated().filter { !$0.element.cellType.isSource }
      .map { "\($0.element.label) \(mapping.circuitsPerNeuron[$0.offset])" }.joined(separator: ", ")
    lines.append("  neurons      \(mapping.neurons.count.grouped) logical neurons on \(used) chips, \(circuits.grouped) of \((system.chips * HICANNX.circuits).grouped) circuits (circuits per neuron: \(sizes))")
    var rows: [[String]] = []
    for (c, routing) in mapping.chips.enumerated() where !mapping.neuronsOfChip[c].isEmpty || !routing.entrySource.isEmpty {
      let drivers = routing.busDrivers
      let top = drivers[0..<4].reduce(0, +) * 2, bottom = drivers[4..<8].reduce(0, +) * 2
      rows.append(["  \(c)", "\(mapping.neuronsOfChip[c].count)", routing.targetNeuron.count.grouped, "\(top)/256", "\(bottom)/256",
                   "\(drivers.max() ?? 0)/32", "\(routing.busGroups.max() ?? 0)/32", "\(routing.crossbarNodes.count)/76",
                   "\(routing.fpgaOutputEntries)", "\(routing.fpgaInputEntries)", "\(mapping.sampledCells[c].count)/\(system.madc.channels)"])
    }
    lines.append(table(["  chip", "neurons", "synapses", "rows top", "rows bottom", "drivers/bus", "row-selects/bus", "crossbar",
                        "fpga out", "fpga in", "madc"], rows))
    let weights = mapping.quantisation.filter { $0.synapses > 0 }
      .map { "\($0.projection) \(f(100 * $0.rmsRelativeError, 2)) %" + ($0.zeroed > 0 ? " (\($0.zeroed.grouped) rounded to 0)" : "") }
    if system.models(.weights) {
      lines.append("  weights      6 bit, scale per projection; RMS quantisation error: " + weights.joined(separator: ", "))
    } else {
      lines.append("  weights      exact (run without weights: no 6-bit quantisation)")
    }
    let onChip = system.bioMilliseconds(system.onChipLatency), crossing = system.bioMilliseconds(system.onChipLatency + system.fpgaPathLatency)
    if mapping.programmedDelays.max > 0 {
      lines.append("  delays       programmed \(f(mapping.programmedDelays.min, 2))–\(f(mapping.programmedDelays.max, 2)) ms are not configurable: "
        + "events take \(f(onChip, 3)) ms on chip, \(f(crossing, 3)) ms between chips (bio); sources play in at their spike times")
    }
    lines.append("  system       \(path): step \(system.integrationStepNanoseconds) ns, PADI cycle \(system.busCycleNanoseconds) ns (\(f(1e3 / system.busCycleNanoseconds, 0)) MEvent/s per bus, \(f(1e6 / system.busCycleNanoseconds / system.speedup, 0)) kEvent/s bio)")
    return lines.joined(separator: "\n")
  }
}
