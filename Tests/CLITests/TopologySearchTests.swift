import Foundation
import TestSupport
import Testing

/// The binary finds its topologies from any directory: beside itself (the checkout it was built
/// in, or an installed prefix) and in `NEUROFABRIC_TOPOLOGIES`.
@Suite struct TopologySearchTests {
  @Test(arguments: ["Topologies/bss2-chip.toml", "bss2-chip.toml", "bss2-chip"])
  func aTopologyIsFoundFromAnotherDirectory(name: String) throws {
    let directory = try TemporaryDirectory("topology-search")
    defer { directory.remove() }
    let result = try runProcess(neurofabric, ["validate", "brunel:N=200", "--system", name], directory: directory.path(""))
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("brainscales2"), "\(result.output)")
  }

  @Test func runWritesWhereItIsStarted() throws {
    let directory = try TemporaryDirectory("topology-search-run")
    defer { directory.remove() }
    let result = try runProcess(neurofabric, ["run", "--no-progress", "--system", "ideal-crossbar", "--network", "brunel:N=200",
                                              "--duration", "20ms", "--out", "out"], directory: directory.path(""))
    #expect(result.status == 0, "\(result.output)")
    #expect(FileManager.default.fileExists(atPath: directory.path("out/trace.h5")))
  }

  @Test func environmentDirectoriesComeFirst() throws {
    let directory = try TemporaryDirectory("topology-search-env")
    defer { directory.remove() }
    let mine = directory.path("mine")
    try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
    let text = try String(contentsOfFile: packageRoot.appendingPathComponent("Topologies/ideal-crossbar.toml").path, encoding: .utf8)
    try text.replacingOccurrences(of: "name = \"ideal-crossbar-4\"", with: "name = \"shadowing\"").write(toFile: mine + "/ideal-crossbar.toml", atomically: true, encoding: .utf8)
    try text.write(toFile: mine + "/my-crossbar.toml", atomically: true, encoding: .utf8)
    let shadowed = try runProcess(neurofabric, ["validate", "brunel:N=200", "--system", "ideal-crossbar"],
                                  environment: ["NEUROFABRIC_TOPOLOGIES": "/nonexistent:" + mine], directory: directory.path(""))
    #expect(shadowed.status == 0, "\(shadowed.output)")
    #expect(shadowed.output.contains("system 'shadowing'"), "\(shadowed.output)")
    let own = try runProcess(neurofabric, ["validate", "brunel:N=200", "--system", "my-crossbar"],
                             environment: ["NEUROFABRIC_TOPOLOGIES": mine], directory: "/")
    #expect(own.status == 0, "\(own.output)")
  }

  @Test func anUnknownNameListsWhereItLooked() throws {
    let result = try runProcess(neurofabric, ["validate", "brunel:N=200", "--system", "no-such-system"],
                                environment: ["NEUROFABRIC_TOPOLOGIES": "/tmp/nf-none"], directory: "/")
    #expect(result.status != 0)
    #expect(result.output.contains("no-such-system: no such file"), "\(result.output)")
    #expect(result.output.contains("/tmp/nf-none") && result.output.contains("Topologies"), "\(result.output)")
  }
}
