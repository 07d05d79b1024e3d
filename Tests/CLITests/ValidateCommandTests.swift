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
