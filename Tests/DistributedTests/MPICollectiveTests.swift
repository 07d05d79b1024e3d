import Distributed
import TestSupport
import Testing

/// One MPI world per test process: MPI can be initialised once and never again after finalising.
/// Serialized, because Swift Testing runs tests on pool threads, not the main thread.
let world: MPICommunicator = {
  do { return try MPICommunicator(serialized: true) } catch { fatalError("MPI init: \(error)") }
}()

/// Collectives on the real MPICH world. `swift test` runs them as a singleton (one rank);
/// Scripts/test also runs this suite under `mpiexec -n 1, 2, 4` with the test bundle itself, so
/// every rank executes the same tests in the same order and checks what it received.
@Suite(.serialized) struct MPICollectiveTests {
  @Test func worldHasConsistentRankAndSize() throws {
    #expect(world.size >= 1 && world.rank < world.size)
    let ranks = try world.allgather(Int64(world.rank))
    #expect(ranks == (0..<world.size).map { Int64($0) })
  }

  @Test func allreduceOfIntegers() throws {
    let n = Int64(world.size), r = Int64(world.rank)
    #expect(try world.allreduce(r + 1, .sum) == n * (n + 1) / 2)
    #expect(try world.allreduce(r + 1, .min) == 1)
    #expect(try world.allreduce(r + 1, .max) == n)
    let values: [Int64] = [r, -r, Int64.max - r, 7]
    #expect(try world.allreduce(values, .max) == [n - 1, 0, Int64.max, 7])
    #expect(try world.allreduce(values, .min) == [0, -(n - 1), Int64.max - (n - 1), 7])
  }

  @Test func allreduceOfDoubles() throws {
    let n = Double(world.size), r = Double(world.rank)
    #expect(try world.allreduce(0.5 * (r + 1), .sum) == 0.25 * n * (n + 1))
    #expect(try world.allreduce([r + 0.25, -r], .min) == [0.25, -(n - 1)])
    #expect(try world.allreduce([r + 0.25, -r], .max) == [n - 0.75, 0])
  }

  /// Rank s sends rank d `(s + 2d) % 3 * 5` bytes (some zero), each byte a function of (s, d, i).
  @Test func alltoallvWithUnevenAndEmptyBuffers() throws {
    func length(_ s: Int, _ d: Int) -> Int { (s + 2 * d) % 3 * 5 }
    func byte(_ s: Int, _ d: Int, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: 31 * s + 7 * d + i) }
    let me = world.rank
    let outgoing = (0..<world.size).map { d in (0..<length(me, d)).map { byte(me, d, $0) } }
    let incoming = try world.alltoallv(outgoing)
    #expect(incoming.count == world.size)
    for s in 0..<world.size {
      #expect(incoming[s] == (0..<length(s, me)).map { byte(s, me, $0) }, "bytes from rank \(s)")
    }
  }

  @Test func alltoallvWithAllBuffersEmpty() throws {
    let (bytes, counts) = try world.alltoallv([], counts: Array(repeating: 0, count: world.size))
    #expect(bytes.isEmpty)
    #expect(counts == Array(repeating: 0, count: world.size))
  }

  @Test func alltoallvOfRecords() throws {
    struct Packet: BitwiseCopyable, Equatable { var key: UInt32; var time: Float; var source: Int64 }
    let me = world.rank
    var records: [Packet] = [], counts: [Int] = []
    for d in 0..<world.size {
      let n = d == me ? 0 : d + 1
      records += (0..<n).map { Packet(key: UInt32(d * 100 + $0), time: Float($0) / 4, source: Int64(me)) }
      counts.append(n)
    }
    let (received, receivedCounts) = try world.alltoallv(records: records, counts: counts)
    var expected: [Packet] = []
    for s in 0..<world.size where s != me {
      for i in 0...me {
        expected.append(Packet(key: UInt32(me * 100 + i), time: Float(i) / 4, source: Int64(s)))
      }
    }
    #expect(received == expected)
    #expect(receivedCounts == (0..<world.size).map { $0 == me ? 0 : me + 1 })
  }

  @Test func broadcastFromLastRank() throws {
    let root = world.size - 1
    let payload: [UInt8] = world.rank == root ? Array("routing tables from rank \(root)".utf8) : []
    let received = try world.broadcast(payload, root: root)
    #expect(String(decoding: received, as: UTF8.self) == "routing tables from rank \(root)")
    #expect(try world.broadcast([], root: 0).isEmpty)
  }

  @Test func broadcastFromInvalidRootIsAnError() {
    #expect(throws: DistributedError.self) { try world.broadcast([1], root: world.size) }
  }

  /// Helper for `abortPrintsTheMessageAndFails`: only active inside the `mpiexec` it starts.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["NF_ABORT_PROBE"] != nil))
  func abortProbe() throws {
    try world.barrier()
    if world.rank == world.size - 1 { world.abort("probe: deliberate abort on the last rank", code: 3) }
    try world.barrier()  // the other ranks wait here until MPI_Abort ends them
    Issue.record("abort did not end the run")
  }
}

import Foundation

@Suite struct MPIAbortTests {
  @Test func abortPrintsTheMessageAndFails() throws {
    let bundle = CommandLine.arguments[0]
    let result = try runProcess(
      mpiexec, ["-n", "2", bundle, "--testing-library", "swift-testing", "--filter", "abortProbe"],
      environment: ["NF_ABORT_PROBE": "1"])
    #expect(result.status != 0, "\(result.output)")
    #expect(result.output.contains("rank 1 of 2: probe: deliberate abort on the last rank"), "\(result.output)")
  }
}
