import Foundation
import TestSupport
import Testing

/// `neurofabric info` started alone (singleton MPI) and under `mpiexec`.
@Suite struct InfoCommandTests {
  @Test func singletonReportsOneRank() throws {
    let result = try runProcess(neurofabric, ["info"])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("NeuroFabric "))
    #expect(result.output.contains("MPICH"))
    #expect(result.output.contains("HDF5:  1."))
    #expect(result.output.contains("ranks: 1 (singleton"))
  }

  @Test(arguments: [2, 4])
  func mpiexecReportsTheRankCount(ranks: Int) throws {
    let result = try runProcess(mpiexec, ["-n", "\(ranks)", neurofabric, "info"])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("ranks: \(ranks) (launched by a process manager); ranks answering: \(ranks)"))
    #expect(result.output.components(separatedBy: "NeuroFabric ").count == 2, "only rank 0 prints")
  }
}
