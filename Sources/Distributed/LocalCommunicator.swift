import Glibc

/// One rank in-process: the communicator unit tests and `LocalCommunicator`-driven tools use.
public final class LocalCommunicator: Communicator, Sendable {
  public init() {}
  public var rank: Int { 0 }
  public var size: Int { 1 }
  public func barrier() throws {}
  public func allreduce(_ values: [Int64], _ op: ReductionOp) throws -> [Int64] { values }
  public func allreduce(_ values: [Double], _ op: ReductionOp) throws -> [Double] { values }
  public func allgather(_ value: Int64) throws -> [Int64] { [value] }

  public func alltoallv(_ bytes: [UInt8], counts: [Int]) throws -> (bytes: [UInt8], counts: [Int]) {
    precondition(counts.count == 1 && counts[0] == bytes.count, "one rank: all bytes go to rank 0")
    return (bytes, counts)
  }

  public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
    guard root == 0 else { throw DistributedError.invalidRoot(root, size: 1) }
    return bytes
  }

  public func abort(_ message: String, code: Int32) -> Never {
    writeToStandardError("neurofabric: \(message)")
    exit(code == 0 ? 1 : code)
  }
}
