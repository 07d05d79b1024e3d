import Foundation
import NIR
import TestSupport
import Testing
import Traces

/// The digits example through `neurofabric infer` on both BrainScaleS families, whose circuits
/// realise its NIR neurons (`AnalogNIR`).
@Suite struct AnalogNIRTests {
  /// BrainScaleS-2 on the digits example: 6-bit weights, calibrated mismatch and crossbar drops cost little.
  @Test func brainscales2RunsTheDigits() throws {
    let dir = try TemporaryDirectory("digits-bss2")
    defer { dir.remove() }
    let out = dir.path("bss2.h5")
    let example = packageRoot.appendingPathComponent("Examples/digits").path
    let result = try runProcess(neurofabric, ["infer", "--system", topology("bss2-chip.toml"), "--network", example + "/digits.nir",
                                              "--input", example + "/test.h5", "--trial", "4.2ms", "--trials", "60", "--out", out], timeout: 300)
    #expect(result.status == 0, "\(result.output)")
    let accuracy = try HDF5File.open(out).root().attribute("accuracy", as: Double.self)[0]
    #expect(accuracy > 0.8, "\(result.output)")
  }

  /// BrainScaleS-1 routes only the sources it is shown spiking: the trials are mapped with every
  /// input the data set uses (with only the first sample's, later trials lost inputs; 0 % before).
  @Test func brainscales1RoutesEveryInputTheDataSetUses() throws {
    let example = packageRoot.appendingPathComponent("Examples/digits").path
    let samples = try NIRSampleSet.read(path: example + "/test.h5")
    let typical = samples.typicalTrains(elements: 64, msPerUnit: 1000, modelDt: 0.1)
    let used = Set(samples.units.joined())
    #expect(Set(typical.indices.filter { !typical[$0].isEmpty }) == used)
    #expect(typical.allSatisfy { $0.count <= 2 }, "mean counts per sample, not every sample's spikes")
    let result = try runProcess(neurofabric, ["infer", "--system", topology("bss1-wafer.toml"), "--placer", "graph",
                                              "--network", example + "/digits.nir", "--input", example + "/test.h5",
                                              "--trial", "4.2ms", "--trials", "40"], timeout: 300)
    #expect(result.status == 0, "\(result.output)")
    let line = result.output.split(separator: "\n").first { $0.contains("accuracy") } ?? ""
    let percent = Double(line.split(separator: " ").first { Double($0) != nil } ?? "0") ?? 0
    #expect(percent >= 40, "\(line)")
  }
}
