import Distributed
import Testing

@Suite struct LocalCommunicatorTests {
  let local = LocalCommunicator()

  @Test func isOneRank() throws {
    #expect(local.rank == 0 && local.size == 1)
    #expect(try local.allreduce(Int64(5), .sum) == 5)
    #expect(try local.allreduce([2.5, -1], .min) == [2.5, -1])
    #expect(try local.allgather(9) == [9])
  }

  @Test func exchangesWithItself() throws {
    #expect(try local.alltoallv([[1, 2, 3]]) == [[1, 2, 3]])
    #expect(try local.alltoallv([[]]) == [[]])
    #expect(try local.broadcast([4, 5], root: 0) == [4, 5])
    #expect(throws: DistributedError.self) { try local.broadcast([4], root: 1) }
  }
}
