import Foundation
import TestSupport
import Testing

/// NIR graphs through the command line: validate, run on `ideal` against a numpy evaluation of
/// NIR's equations (Scripts/checks/check_nir_reference.py), and the families that refuse them.
@Suite struct NIRRunTests {
  static func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent("nir/\(name)").path }

  @Test func validateReportsWhatTheImportAssumed() throws {
    let result = try runProcess(neurofabric, ["validate", Self.fixture("recurrent.nir"), "--nir-reset", "subtract"])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("NIR import of"), "\(result.output)")
    #expect(result.output.contains("reset by subtracting v_threshold"), "\(result.output)")
    #expect(result.output.contains("rsnn.lif") && result.output.contains("NIR LIF"), "\(result.output)")
  }

  @Test(arguments: [
    ("feedforward", 0, "to-v-reset"), ("feedforward", 2, "subtract"), ("recurrent", 1, "to-v-reset"),
    ("recurrent", 2, "subtract"), ("conv", 0, "to-v-reset"), ("zoo", 1, "to-v-reset"), ("zoo", 2, "subtract"),
    ("delays", 0, "to-v-reset"), ("delays", 2, "subtract"), ("zoo", 0, "exponential"), ("feedforward", 1, "exponential"),
  ])
  func idealFollowsNIRsEquations(graph: String, sample: Int, reset: String) throws {
    // "exponential": to v_reset, exponential Euler
    let integrator = reset == "exponential" ? "exponential" : "euler"
    let reset = reset == "exponential" ? "to-v-reset" : reset
    let dir = try TemporaryDirectory("nir-\(graph)")
    defer { dir.remove() }
    let out = dir.path("run")
    let result = try run(ranks: 1, ["--system", topology("ideal-crossbar.toml"), "--network", Self.fixture("\(graph).nir"),
                                    "--nir-input", Self.fixture("\(graph)-events.h5"), "--nir-sample", String(sample),
                                    "--nir-reset", reset, "--nir-integrator", integrator, "--duration", "35ms", "--out", out])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("input       sample \(sample) of"), "\(result.output)")
    // The run is checked above; the numpy reference needs the venv (Scripts/test requires it).
    guard pythonChecksRun else { return }
    let check = try #require(try runPythonCheck("check_nir_reference.py", [Self.fixture("\(graph).nir"), Self.fixture("\(graph)-events.h5"),
                                                                           String(sample), out + "/trace.h5", reset, integrator]))
    #expect(check.status == 0, "\(check.output)")
    #expect(!check.output.contains(" 0  neurofabric     0"), "a population that never fires checks nothing: \(check.output)")
  }

  @Test func twoRanksGiveTheSameSpikes() throws {
    let dir = try TemporaryDirectory("nir-ranks")
    defer { dir.remove() }
    var traces: [[Double]] = []
    for ranks in [1, 2] {
      let out = dir.path("r\(ranks)")
      let result = try run(ranks: ranks, ["--system", topology("ideal-congested.toml"), "--network", Self.fixture("conv.nir"),
                                          "--nir-input", Self.fixture("conv-events.h5"), "--duration", "30ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      traces.append(try spikes(out + "/trace.h5", "if").times + spikes(out + "/trace.h5", "lif").times)
    }
    #expect(!traces[0].isEmpty && traces[0] == traces[1])
  }

  @Test(arguments: [
    ("spinnaker1-board.toml", "feedforward", "population 'lif': NIR CubaLIF on spinnaker1: sPyNNaker reads PyNN, not NIR"),
    ("bss2-chip.toml", "conv", "population 'if': NIR IF has no analog realisation"),
    ("bss1-wafer.toml", "conv", "population 'if': NIR IF has no analog realisation"),
  ])
  func whatAFamilyCannotRealiseIsRefusedByPopulation(system: String, graph: String, says: String) throws {
    let dir = try TemporaryDirectory("nir-refused")
    defer { dir.remove() }
    let result = try run(ranks: 1, ["--system", topology(system), "--network", Self.fixture("\(graph).nir"),
                                    "--duration", "10ms", "--out", dir.path("run")])
    #expect(result.status != 0)
    #expect(result.output.contains(says), "\(result.output)")
  }

  /// py-spinnaker2's converter maps LIF, IF and CubaLIF, with one tick from neuron to neuron.
  @Test func spinnaker2RefusesWhatPySpiNNaker2CannotRun() throws {
    var result = try runProcess(neurofabric, ["validate", Self.fixture("zoo.nir"), "--system", topology("spinnaker2-board.toml")])
    #expect(result.status != 0 && result.output.contains("NIR CubaLI has no py-spinnaker2 model")
            && result.output.contains("NIR I has no py-spinnaker2 model"), "\(result.output)")
    result = try runProcess(neurofabric, ["validate", Self.fixture("delays.nir"), "--system", topology("spinnaker2-board.toml")])
    #expect(result.status != 0 && result.output.contains("projection 'fc'") && result.output.contains("lif_no_delay"), "\(result.output)")
    result = try runProcess(neurofabric, ["validate", Self.fixture("conv.nir"), "--system", topology("spinnaker2-board.toml")])
    #expect(result.status == 0, "IF and LIF run: \(result.output)")
  }

  /// A system that steps other than the import's 0.1 ms would run other decays: refused.
  @Test func aSystemWithAnotherStepIsRefused() throws {
    let dir = try TemporaryDirectory("nir-step")
    defer { dir.remove() }
    let text = try String(contentsOfFile: topology("ideal-crossbar.toml"), encoding: .utf8)
    #expect(text.contains("dt = 0.1 "))
    let system = try write(text.replacingOccurrences(of: "dt = 0.1 ", with: "dt = 0.05 "), dir, "fine.toml")
    let result = try runProcess(neurofabric, ["validate", Self.fixture("feedforward.nir"), "--system", system])
    #expect(result.status != 0 && result.output.contains("NIR graphs are imported for steps of 0.1 ms; this system's [system] dt is 0.05 ms"),
            "\(result.output)")
  }

  @Test func malformedInputIsNamed() throws {
    let dir = try TemporaryDirectory("nir-bad-input")
    defer { dir.remove() }
    let result = try runProcess(neurofabric, ["validate", Self.fixture("feedforward.nir"), "--nir-input", Self.fixture("conv-events.h5")])
    #expect(result.status != 0)
    #expect(result.output.contains("conv-events.h5: /idx: event ") && result.output.contains("is not an input element (0..<3)"),
            "\(result.output)")
  }
}
