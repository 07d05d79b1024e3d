import Foundation
import TestSupport
import Testing

/// The circuit BMTK's NetworkBuilder built (Tests/Fixtures/sonata/bmtk) through `neurofabric run`,
/// against the spike counts of BMTK PointNet on NEST 3.10 in its nest_reference.json
/// (Scripts/checks/bmtk-pointnet --record).
@Suite struct BMTKCircuitTests {
  static let config = SONATAImportTests.fixture("bmtk/simulation_config.json")

  struct Reference: Decodable {
    struct Count: Decodable { var node_type_id: Int, cells: Int, pointnet: Int }
    var tstop_ms: Double
    var spikes: [String: Count]
  }

  /// The whole tstop on the ideal system: each population's spikes within 3 % of PointNet's on NEST.
  @Test func theBuildersCircuitRunsAsPointNetRanIt() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: SONATAImportTests.fixture("bmtk/nest_reference.json")))
    let reference = try JSONDecoder().decode(Reference.self, from: data)
    let dir = try TemporaryDirectory("sonata-bmtk")
    defer { dir.remove() }
    let out = dir.path("run")
    let result = try run(ranks: 1, ["--system", topology("ideal-crossbar.toml"), "--network", Self.config,
                                    "--duration", "\(reference.tstop_ms)ms", "--out", out])
    #expect(result.status == 0, "\(result.output)")
    #expect(reference.spikes.count == 2)
    for (population, count) in reference.spikes.sorted(by: { $0.key < $1.key }) {
      let fired = try spikes(out + "/trace.h5", population).times.count
      let difference = Double(fired - count.pointnet) / Double(count.pointnet)
      #expect(abs(difference) <= 0.03, "\(population): \(fired) spikes, PointNet on NEST \(count.pointnet)")
    }
  }
}
