import Foundation
import Model

extension SystemFileReader {
  /// The `brainscales1` family (keys in docs/families/brainscales1.md): `[system]` wafers and speed-up, `[mapping]`,
  /// `[layer1]`, `[layer2]`, `[mismatch]`, `[defects]`. Every key is optional; defaults from docs/hardware.md §1.
  public static func readBrainScaleS1(_ doc: inout TopologyDocument, _ top: TopologyDocument.Section,
                               _ header: TopologyDocument.Section) -> BrainScaleS1System {
    var s = BrainScaleS1System()
    doc.checkKeys(top, allowed: ["system", "mapping", "layer1", "layer2", "mismatch", "defects"])
    doc.checkKeys(header, allowed: ["family", "name", "wafers", "speedup", "step_ns", "without"])
    s.name = doc.string(header, "name") ?? (doc.file as NSString).lastPathComponent
    if let w = doc.integer(header, "wafers") {
      if (1...64).contains(w) { s.wafers = w } else { doc.fail(header, "wafers", "must be in 1...64, got \(w)") }
    }
    doc.positive(header, "speedup", max: 1e6, unit: "") { s.speedup = $0 }
    doc.positive(header, "step_ns", max: 1000, unit: "ns (hardware)") { s.integrationStepNanoseconds = $0 }
    if let mapping = doc.table(top, "mapping") {
      doc.checkKeys(mapping, allowed: ["denmems_per_neuron", "blocks_per_bus", "max_driver_chain", "strict"])
      if let n = doc.integer(mapping, "blocks_per_bus") {
        if [1, 2, 4, 8].contains(n) { s.blocksPerBus = n } else { doc.fail(mapping, "blocks_per_bus", "must be 1, 2, 4 or 8 (merger tree levels), got \(n)") }
      }
      if let n = doc.integer(mapping, "denmems_per_neuron") {
        if n % 2 == 0 && (2...64).contains(n) { s.denmemsPerNeuron = n }
        else { doc.fail(mapping, "denmems_per_neuron", "must be even and in 2...64, got \(n)") }
      }
      if let n = doc.integer(mapping, "max_driver_chain") {
        if (1...HICANN.driversPerQuadrant).contains(n) { s.maxDriverChain = n }
        else { doc.fail(mapping, "max_driver_chain", "must be in 1...56 (drivers per quadrant), got \(n)") }
      }
      if let strict = doc.boolean(mapping, "strict") { s.strict = strict }
    }
    if let l1 = doc.table(top, "layer1") {
      doc.checkKeys(l1, allowed: ["word_time_ns", "segment_latency_ns", "merger_buffer"])
      if let n = doc.integer(l1, "merger_buffer") {
        if (0...1024).contains(n) { s.l1.mergerBuffer = n } else { doc.fail(l1, "merger_buffer", "must be in 0...1024 events, got \(n)") }
      }
      doc.positive(l1, "word_time_ns", max: 1e6, unit: "ns (hardware)") { s.l1.wordTimeNanoseconds = $0 }
      doc.positive(l1, "segment_latency_ns", max: 1e6, unit: "ns (hardware)") { s.l1.segmentLatencyNanoseconds = $0 }
    }
    if let l2 = doc.table(top, "layer2") {
      doc.checkKeys(l2, allowed: ["hicann_input_rate", "fpga_input_rate", "hicann_output_rate", "wafer_to_wafer_latency_ns", "buffer_ns"])
      doc.positive(l2, "hicann_input_rate", max: 1e12, unit: "events/s (hardware)") { s.l2.hicannInputRate = $0 }
      doc.positive(l2, "fpga_input_rate", max: 1e12, unit: "events/s (hardware)") { s.l2.fpgaInputRate = $0 }
      doc.positive(l2, "hicann_output_rate", max: 1e12, unit: "events/s (hardware)") { s.l2.hicannOutputRate = $0 }
      doc.positive(l2, "wafer_to_wafer_latency_ns", max: 1e9, unit: "ns (hardware)") { s.l2.waferToWaferLatencyNanoseconds = $0 }
      doc.positive(l2, "buffer_ns", max: 1e9, unit: "ns (hardware)") { s.l2.bufferNanoseconds = $0 }
    }
    if let mismatch = doc.table(top, "mismatch") {
      doc.checkKeys(mismatch, allowed: ["enabled", "calibrated"])
      if let on = doc.boolean(mismatch, "enabled") { s.mismatchEnabled = on }
      if let on = doc.boolean(mismatch, "calibrated") { s.calibrated = on }
    }
    if let defects = doc.table(top, "defects") {
      doc.checkKeys(defects, allowed: ["hicanns", "hlines", "vlines"])
      func hicann(_ wafer: Int, _ h: Int, _ key: String) -> HICANNAddress? {
        guard (0..<s.wafers).contains(wafer), (0..<Wafer.hicanns).contains(h) else {
          doc.fail(defects, key, "HICANN \(h) of wafer \(wafer) does not exist (wafers 0..<\(s.wafers), HICANNs 0..<384)")
          return nil
        }
        return HICANNAddress(wafer: wafer, hicann: h)
      }
      for row in doc.integerRows(defects, "hicanns", width: 2, what: "[wafer, hicann] pairs") ?? [] {
        if let h = hicann(row[0], row[1], "hicanns") { s.defectHICANNs.insert(h) }
      }
      for (key, lines) in [("hlines", HICANN.hLines), ("vlines", HICANN.vLines)] {
        for row in doc.integerRows(defects, key, width: 3, what: "[wafer, hicann, line] triples") ?? [] {
          guard let h = hicann(row[0], row[1], key) else { continue }
          guard (0..<lines).contains(row[2]) else { doc.fail(defects, key, "line \(row[2]) is not one of 0..<\(lines)"); continue }
          if key == "hlines" { s.defectHLines.insert(LineAddress(hicann: h, line: row[2])) } else { s.defectVLines.insert(LineAddress(hicann: h, line: row[2])) }
        }
      }
    }
    return s
  }
}
