import Foundation
import Hardware
import Mapping
import Model

/// The BrainScaleS-1 mapping report on screen: HICANNs, L1 usage and synapse loss, before any run.
enum BrainScaleS1Summary {
  static func text(_ mapping: BrainScaleS1Mapping, model: Network, path: String) -> String {
    let system = mapping.system
    func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    let hicanns = Set(mapping.neurons.map(\.hicann)).count
    var lines = ["mapping: \(model.name) on \(system.name) (brainscales1, \(system.wafers) wafer(s) of 384 HICANNs, speed-up \(Int(system.speedup)))"]
    lines.append("  neurons      \(mapping.neurons.count.grouped) logical neurons of \(system.denmemsPerNeuron) denmems on \(hicanns) HICANNs (\(system.defectHICANNs.count) defect), placer \(mapping.placer.rawValue)")
    let sources = mapping.buses.map(\.sources.count)
    lines.append("  L1 buses     \(mapping.buses.count.grouped) (sources per bus: max \(sources.max() ?? 0) of 59); "
      + "HLine segments \(mapping.usage.hLines.grouped) of \((system.hicanns * HICANN.hLines).grouped), "
      + "VLine segments \(mapping.usage.vLines.grouped) of \((system.hicanns * HICANN.vLines).grouped), "
      + "synapse drivers \(mapping.usage.drivers.grouped) of \((system.hicanns * 224).grouped)")
    var rows: [[String]] = []
    for l in mapping.loss where l.synapses > 0 {
      let causes = BrainScaleS1Mapping.LossCause.allCases.compactMap { c in l.lost[c.rawValue].map { "\(c.rawValue) \($0.grouped)" } }
      rows.append(["  " + l.projection, l.synapses.grouped, l.totalLost.grouped, f(100 * Double(l.totalLost) / Double(l.synapses), 2) + " %",
                   causes.joined(separator: ", ")])
    }
    lines.append(table(["  projection", "synapses", "lost", "loss", "causes"], rows))
    let total = mapping.loss.reduce(0) { $0 + $1.synapses }, lost = mapping.loss.reduce(0) { $0 + $1.totalLost }
    let byCause = BrainScaleS1Mapping.LossCause.allCases.compactMap { c -> String? in
      let n = mapping.loss.reduce(0) { $0 + ($1.lost[c.rawValue] ?? 0) }
      return n > 0 ? "\(c.rawValue) \(n.grouped)" : nil
    }
    lines.append("  synapse loss \(lost.grouped) of \(total.grouped) (\(f(total > 0 ? 100 * Double(lost) / Double(total) : 0, 2)) %)\(system.strict ? ", strict" : "")"
      + (byCause.isEmpty ? "" : ": " + byCause.joined(separator: ", ")))
    lines.append("  system       \(path)")
    return lines.joined(separator: "\n")
  }
}
