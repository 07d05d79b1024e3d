import Foundation
import TestSupport
import Testing
import Traces

/// The worked example: the digits SNN of Examples/digits (trained by train.py) on `ideal`.
@Suite struct DigitsExampleTests {
  static let example = packageRoot.appendingPathComponent("Examples/digits").path

  @Test func idealMatchesTheTrainingForwardPassWithinOnePoint() throws {
    let dir = try TemporaryDirectory("digits")
    defer { dir.remove() }
    let out = dir.path("results.h5")
    let result = try runProcess(neurofabric, ["infer", "--system", topology("ideal-crossbar.toml"), "--network", Self.example + "/digits.nir",
                                              "--input", Self.example + "/test.h5", "--trial", "4.2ms", "--out", out], timeout: 300)
    #expect(result.status == 0, "\(result.output)")
    let file = try HDF5File.open(out).root()
    let accuracy = try file.attribute("accuracy", as: Double.self)[0]
    let software = try HDF5File.open(Self.example + "/test.h5").root().attribute("software_accuracy", as: Double.self)[0]
    #expect(software > 0.85, "the example is trained: \(software)")
    #expect(abs(accuracy - software) <= 0.004, "ideal \(accuracy) vs the forward pass \(software): at most 2 of 500 trials apart")
  }

  /// SpiNNaker2 as py-spinnaker2 runs NIR: 8-bit weights under one scale per PE, single precision.
  @Test func spinnaker2LosesLittleToItsEightBitWeights() throws {
    let dir = try TemporaryDirectory("digits-s2")
    defer { dir.remove() }
    var accuracy: [Double] = []
    for system in ["ideal-crossbar.toml", "spinnaker2-board.toml"] {
      let out = dir.path("\(system).h5")
      let result = try runProcess(neurofabric, ["infer", "--system", topology(system), "--network", Self.example + "/digits.nir",
                                                "--input", Self.example + "/test.h5", "--trial", "4.2ms", "--trials", "200", "--out", out],
                                  timeout: 300)
      #expect(result.status == 0, "\(result.output)")
      accuracy.append(try HDF5File.open(out).root().attribute("accuracy", as: Double.self)[0])
      let energy = try NIRInferTests.numbers(out, "energy_j")
      #expect(system.hasPrefix("ideal") ? energy.allSatisfy(\.isNaN) : energy.allSatisfy { $0 > 0 && $0.isFinite },
              "energy per inference where the family models it: \(energy.prefix(3))")
    }
    #expect(accuracy[1] > 0.8 && abs(accuracy[1] - accuracy[0]) <= 0.03, "ideal \(accuracy[0]), spinnaker2 \(accuracy[1])")
  }
}
