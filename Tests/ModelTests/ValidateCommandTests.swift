import Foundation
import Testing

@Suite struct ValidateCommandTests {
  let neurofabric = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("neurofabric").path

  func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: neurofabric)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func goodFilePrintsTheSummary() throws {
    let result = try run(["validate", fixtures.appendingPathComponent("two_populations.toml").path])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("network 'two populations': 3 populations, 500 neurons, 400 source cells, 4 projections"))
    #expect(result.output.contains("exc->inh    excitatory  fixed_indegree(k=40)"))
    #expect(result.output.contains("4,000"))
  }

  @Test func badFileListsProblemsAndFails() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nf-validate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("bad.toml").path
    try NetworkFileTests.malformed[1].0.write(toFile: path, atomically: true, encoding: .utf8)
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
    #expect(bad.output.contains("--network brunel: N: must be an integer ≥ 5, got '-4'"))
  }
}
