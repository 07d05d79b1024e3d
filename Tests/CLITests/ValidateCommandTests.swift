import Foundation
import TestSupport
import Testing

@Suite struct ValidateCommandTests {
  func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try runProcess(neurofabric, arguments)
  }

  @Test func goodFilePrintsTheSummary() throws {
    let result = try run(["validate", fixturesDirectory.appendingPathComponent("networks/two_populations.toml").path])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("network 'two populations': 3 populations, 500 neurons, 400 source cells, 4 projections"))
    #expect(result.output.contains("exc->inh    excitatory  fixed_indegree(k=40)"))
    #expect(result.output.contains("4,000"))
  }

  @Test func aTopologyIsReadByItsFamilysReader() throws {
    let topology = packageRoot.appendingPathComponent("Topologies/bss2-4chips.toml").path
    var result = try run(["validate", "single", "--system", topology])
    #expect(result.status == 0 && result.output.contains("family brainscales2"), "\(result.output)")
    let dir = try TemporaryDirectory("validate-system")
    defer { dir.remove() }
    let bad = dir.path("bad.toml")
    try "[system]\nfamily = \"brainscales1\"\nwafers = 0\n".write(toFile: bad, atomically: true, encoding: .utf8)
    result = try run(["validate", "single", "--system", bad])
    #expect(result.status != 0 && result.output.contains("bad.toml:3") && result.output.contains("wafers"), "\(result.output)")
  }

  /// Alpha-shaped synapses run on ideal; the families whose hardware has exponential synapses only
  /// refuse them by population and cell type.
  @Test(arguments: [("IF_curr_alpha", "spinnaker2-chip.toml", "the PEs run exponential synapses"),
                    ("IF_cond_alpha", "bss2-chip.toml", "BrainScaleS-2's synaptic inputs decay exponentially"),
                    ("IF_curr_alpha", "bss1-wafer.toml", "BrainScaleS-1's synaptic inputs decay exponentially")])
  func alphaSynapsesAreRefusedWhereTheHardwareHasNone(cell: String, system: String, reason: String) throws {
    let dir = try TemporaryDirectory("alpha")
    defer { dir.remove() }
    let network = try write("[[population]]\nlabel = \"cells\"\nsize = 4\ncell = \"\(cell)\"\n\n[[population]]\nlabel = \"in\"\nsize = 4\n"
                            + "cell = \"SpikeSourcePoisson\"\nrate = 20.0\n\n[[projection]]\npre = \"in\"\npost = \"cells\"\nreceptor = \"excitatory\"\n"
                            + "connector = \"one_to_one\"\nweight = 0.01\ndelay = 1.0\n", dir, "alpha.toml")
    let ideal = try run(["validate", network, "--system", topology("ideal-crossbar.toml")])
    #expect(ideal.status == 0 && ideal.output.contains(cell), "\(ideal.output)")
    let refused = try run(["validate", network, "--system", topology(system)])
    #expect(refused.status == 1 && refused.output.contains("population 'cells': \(cell)") && refused.output.contains(reason), "\(refused.output)")
  }

  @Test func badFileListsProblemsAndFails() throws {
    let path = fixturesDirectory.appendingPathComponent("networks/negative_delay.toml").path
    let result = try run(["validate", path])
    #expect(result.status == 1)
    #expect(result.output.contains("\(path):11: projection[0].delay: delay must be > 0 ms, got -1.0"), "\(result.output)")
    #expect(result.output.contains("1 problem in \(path)"))
  }

  @Test func builtInNetworkAndBadParameter() throws {
    let good = try run(["validate", "microcircuit"])
    #expect(good.status == 0)
    #expect(good.output.contains("77,169 neurons"))
    let bad = try run(["validate", "brunel:N=-4"])
    #expect(bad.status == 1)
    #expect(bad.output.contains("--network brunel: N: must be an integer in 5...1000000000, got '-4'"))
  }
}

/// `validate --system` says whether a network runs on a system, before any synapse is made: what
/// the family's chips cannot hold (cell models, stimuli, delays against the ring buffers), then
/// its mapper's capacity checks; a network that fits gets the mapping report.
@Suite struct ValidateOnSystemTests {
  static let adex = """
    [network]
    name = "adex"
    [[population]]
    label = "a"
    size = 10
    cell = "EIF_cond_exp_isfa_ista"
    [[population]]
    label = "s"
    size = 10
    cell = "SpikeSourcePoisson"
    rate = 10.0
    [[projection]]
    pre = "s"
    post = "a"
    receptor = "excitatory"
    connector = { type = "one_to_one" }
    weight = 0.01
    delay = 500.0
    """

  @Test(arguments: [
    ("spinnaker2-chip.toml", ["EIF_cond_exp_isfa_ista has no SpiNNaker processing-element model", "delay 500.0 ms is 5000 ticks", "2 problems"]),
    ("ideal-crossbar.toml", ["delay 500.0 ms exceeds the 204.7 ms an ideal synapse can hold", "1 problem"]),
  ])
  func whatTheChipsCannotHoldIsNamed(system: String, says: [String]) throws {
    let dir = try TemporaryDirectory("validate-on-system")
    defer { dir.remove() }
    let path = try write(Self.adex, dir, "adex.toml")
    let result = try runProcess(neurofabric, ["validate", path, "--system", topology(system)])
    #expect(result.status == 1, "\(result.output)")
    for line in says { #expect(result.output.contains(line), "\(line): \(result.output)") }
  }

  @Test func capacityAndFitAreReported() throws {
    var result = try runProcess(neurofabric, ["validate", "brunel:N=3000", "--system", topology("bss2-4chips.toml")])
    #expect(result.status == 1 && result.output.contains("4 chip(s) of 512 circuits are full"), "\(result.output)")
    result = try runProcess(neurofabric, ["validate", "brunel:N=3000", "--system", topology("spinnaker2-board.toml")])
    #expect(result.status == 0 && result.output.contains("mapping: brunel on spinnaker2-board") && result.output.contains("slices"), "\(result.output)")
  }
}
