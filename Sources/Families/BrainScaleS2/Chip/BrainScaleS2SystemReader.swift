import Foundation
import Model

extension SystemFileReader {
  /// The `brainscales2` family (keys in docs/families/brainscales2.md): `[system]` chips and speed-up, `[timing]`
  /// the step, bus cycle and latencies, `[mapping]`, `[mismatch]` spreads and calibration, `[madc]`.
  /// Every key is optional; the defaults are docs/hardware.md §2's figures.
  public static func readBrainScaleS2(_ doc: inout TopologyDocument, _ top: TopologyDocument.Section,
                               _ header: TopologyDocument.Section) -> BrainScaleS2System {
    var s = BrainScaleS2System()
    doc.checkKeys(top, allowed: ["system", "timing", "mapping", "mismatch", "madc"])
    doc.checkKeys(header, allowed: ["family", "name", "chips", "speedup", "without"])
    s.name = doc.string(header, "name") ?? (doc.file as NSString).lastPathComponent
    doc.count(header, "chips", max: 4096) { s.chips = $0 }
    doc.positive(header, "speedup", max: 1e6, unit: "") { s.speedup = $0 }
    if let timing = doc.table(top, "timing") {
      doc.checkKeys(timing, allowed: ["step_ns", "bus_cycle_ns", "on_chip_latency_ns", "chip_to_chip_latency_ns", "fpga_buffer_cycles"])
      doc.positive(timing, "step_ns", max: 1000, unit: "ns (hardware)") { s.integrationStepNanoseconds = $0 }
      doc.positive(timing, "bus_cycle_ns", max: 1e6, unit: "ns (hardware)") { s.busCycleNanoseconds = $0 }
      doc.positive(timing, "on_chip_latency_ns", max: 1e6, unit: "ns (hardware)") { s.onChipLatencyNanoseconds = $0 }
      doc.positive(timing, "chip_to_chip_latency_ns", max: 1e9, unit: "ns (hardware)") { s.chipToChipLatencyNanoseconds = $0 }
      doc.count(timing, "fpga_buffer_cycles", max: 1 << 30) { s.fpgaBufferCycles = Int64($0) }
      if s.chipToChipLatencyNanoseconds + s.onChipLatencyNanoseconds < s.integrationStepNanoseconds {
        doc.fail(timing, "chip_to_chip_latency_ns", "the chip-to-chip path (on-chip + chip-to-chip latency) must be at least one step_ns: it is the lookahead of a distributed run")
      }
    }
    if let mapping = doc.table(top, "mapping") {
      doc.checkKeys(mapping, allowed: ["max_circuits_per_neuron", "neurons_per_chip"])
      if let k = doc.integer(mapping, "max_circuits_per_neuron") {
        if [1, 2, 4, 8, 16, 32, 64].contains(k) { s.maxCircuitsPerNeuron = k }
        else { doc.fail(mapping, "max_circuits_per_neuron", "must be a power of two in 1...64, got \(k)") }
      }
      doc.count(mapping, "neurons_per_chip", max: HICANNX.circuits) { s.neuronsPerChip = $0 }
    }
    if let mismatch = doc.table(top, "mismatch") {
      doc.checkKeys(mismatch, allowed: ["enabled", "calibrated", "uncalibrated_spread", "calibrated_spread"])
      if let on = doc.boolean(mismatch, "enabled") { s.mismatchEnabled = on }
      if let on = doc.boolean(mismatch, "calibrated") { s.calibrated = on }
      for (key, path) in [("uncalibrated_spread", \FixedPatternNoise.Spreads.uncalibrated), ("calibrated_spread", \.calibrated)] {
        guard let table = doc.table(mismatch, key) else { continue }
        doc.checkKeys(table, allowed: FixedPatternNoise.Spread.fields.map(\.name))
        for (name, field) in FixedPatternNoise.Spread.fields {
          guard let value = doc.number(table, name) else { continue }
          if value >= 0 && value <= 100 { s.mismatch[keyPath: path][keyPath: field] = value }
          else { doc.fail(table, name, "must be in [0, 100] (mV for potentials, relative for time constants and gain), got \(value)") }
        }
      }
    }
    if let madc = doc.table(top, "madc") {
      doc.checkKeys(madc, allowed: ["channels", "bits", "min_sample_interval_ns", "range_mv"])
      doc.count(madc, "channels", max: 64) { s.madc.channels = $0 }
      doc.count(madc, "bits", max: 24) { s.madc.bits = $0 }
      doc.positive(madc, "min_sample_interval_ns", max: 1e9, unit: "ns (hardware)") { s.madc.minimumSampleIntervalNanoseconds = $0 }
      if let range = doc.numbers(madc, "range_mv") {
        if range.count == 2 && range[0] < range[1] { s.madc.rangeMillivolts = (range[0], range[1]) }
        else { doc.fail(madc, "range_mv", "must be [low, high] mV with low < high") }
      }
    }
    return s
  }
}
