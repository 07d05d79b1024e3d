/// A reduction applied element-wise across ranks.
public enum ReductionOp: Sendable {
  case min, max, sum
}

/// The collective operations the engine needs from its process group.
///
/// `MPICommunicator` carries a run across MPI ranks; `LocalCommunicator` is one rank in-process.
/// Every rank must call the same collectives in the same order, as MPI requires.
public protocol Communicator: AnyObject {
  var rank: Int { get }
  var size: Int { get }
  func barrier() throws
  /// Element-wise reduction of `values` (same length on every rank); every rank gets the result.
  func allreduce(_ values: [Int64], _ op: ReductionOp) throws -> [Int64]
  func allreduce(_ values: [Double], _ op: ReductionOp) throws -> [Double]
  /// One value per rank, in rank order, on every rank.
  func allgather(_ value: Int64) throws -> [Int64]
  /// Personalised exchange: `bytes` is grouped by destination rank, `counts[r]` bytes go to rank r.
  /// Counts are exchanged first, so receivers need not know them; empty buffers are fine.
  func alltoallv(_ bytes: [UInt8], counts: [Int]) throws -> (bytes: [UInt8], counts: [Int])
  /// Rank `root`'s bytes on every rank (the argument is ignored on other ranks).
  func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8]
  /// Prints `message` from this rank to standard error and ends every rank with a non-zero status.
  func abort(_ message: String, code: Int32) -> Never
}

extension Communicator {
  public func allreduce(_ value: Int64, _ op: ReductionOp) throws -> Int64 {
    try allreduce([value], op)[0]
  }

  public func allreduce(_ value: Double, _ op: ReductionOp) throws -> Double {
    try allreduce([value], op)[0]
  }

  /// Exchanges one byte buffer per destination rank; returns one buffer per source rank.
  public func alltoallv(_ buffers: [[UInt8]]) throws -> [[UInt8]] {
    precondition(buffers.count == size, "alltoallv needs one buffer per rank")
    let (bytes, counts) = try alltoallv(Array(buffers.joined()), counts: buffers.map(\.count))
    var result: [[UInt8]] = []
    result.reserveCapacity(size)
    var offset = 0
    for c in counts {
      result.append(Array(bytes[offset..<offset + c]))
      offset += c
    }
    return result
  }

  /// Exchanges trivially copyable records, grouped by destination rank (`counts` in records).
  public func alltoallv<T: BitwiseCopyable>(records: [T], counts: [Int]) throws -> (records: [T], counts: [Int]) {
    let stride = MemoryLayout<T>.stride
    let bytes = records.withUnsafeBytes { Array($0) }
    let (received, byteCounts) = try alltoallv(bytes, counts: counts.map { $0 * stride })
    let n = received.count / stride
    let out = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
      received.withUnsafeBytes { src in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: src)
      }
      initialized = n
    }
    return (out, byteCounts.map { $0 / stride })
  }

  /// Ends every rank with status 1 after printing `message` from this rank.
  public func abort(_ message: String) -> Never { abort(message, code: 1) }
}
