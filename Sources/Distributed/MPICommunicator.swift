import CMPI
import Glibc

/// The world communicator of MPICH: works under `mpiexec -n N` and started alone (singleton init).
///
/// Errors come back as `DistributedError` (the communicator uses `MPI_ERRORS_RETURN`), so a
/// failing call never hangs silently; `abort` prints the message from the failing rank first.
public final class MPICommunicator: Communicator, Sendable {
  let comm: MPI_Comm
  public let rank: Int
  public let size: Int

  /// Initialises MPI if needed and wraps `MPI_COMM_WORLD`.
  public init(serialized: Bool = false) throws {
    try MPIRuntime.initialize(serialized: serialized)
    comm = cmpi_comm_world()
    var r: Int32 = 0, s: Int32 = 0
    try MPIRuntime.check(MPI_Comm_rank(comm, &r), "MPI_Comm_rank")
    try MPIRuntime.check(MPI_Comm_size(comm, &s), "MPI_Comm_size")
    rank = Int(r)
    size = Int(s)
  }

  public func barrier() throws {
    try MPIRuntime.check(MPI_Barrier(comm), "MPI_Barrier")
  }

  public func allreduce(_ values: [Int64], _ op: ReductionOp) throws -> [Int64] {
    try reduce(values, type: cmpi_int64(), op: op)
  }

  public func allreduce(_ values: [Double], _ op: ReductionOp) throws -> [Double] {
    try reduce(values, type: cmpi_double(), op: op)
  }

  private func reduce<T: BitwiseCopyable & Numeric>(_ values: [T], type: MPI_Datatype, op: ReductionOp) throws -> [T] {
    var result = [T](repeating: 0, count: values.count)
    let mpiOp: MPI_Op
    switch op {
    case .min: mpiOp = cmpi_min()
    case .max: mpiOp = cmpi_max()
    case .sum: mpiOp = cmpi_sum()
    }
    try MPIRuntime.check(MPI_Allreduce(values, &result, Int32(values.count), type, mpiOp, comm), "MPI_Allreduce")
    return result
  }

  public func allgather(_ value: Int64) throws -> [Int64] {
    var mine = value
    var all = [Int64](repeating: 0, count: size)
    try MPIRuntime.check(MPI_Allgather(&mine, 1, cmpi_int64(), &all, 1, cmpi_int64(), comm), "MPI_Allgather")
    return all
  }

  public func alltoallv(_ bytes: [UInt8], counts: [Int]) throws -> (bytes: [UInt8], counts: [Int]) {
    precondition(counts.count == size, "alltoallv needs one count per rank")
    precondition(counts.reduce(0, +) == bytes.count, "alltoallv counts must add up to the buffer size")
    guard bytes.count <= Int(Int32.max) else { throw DistributedError.bufferTooLarge(call: "MPI_Alltoallv", bytes: bytes.count) }
    let sendCounts = counts.map { Int32($0) }
    var recvCounts = [Int32](repeating: 0, count: size)
    try MPIRuntime.check(
      MPI_Alltoall(sendCounts, 1, cmpi_int(), &recvCounts, 1, cmpi_int(), comm), "MPI_Alltoall")
    let total = recvCounts.reduce(0) { $0 + Int($1) }
    guard total <= Int(Int32.max) else { throw DistributedError.bufferTooLarge(call: "MPI_Alltoallv", bytes: total) }
    var sendDispl = [Int32](repeating: 0, count: size), recvDispl = [Int32](repeating: 0, count: size)
    for r in 1..<max(size, 1) {
      sendDispl[r] = sendDispl[r - 1] + sendCounts[r - 1]
      recvDispl[r] = recvDispl[r - 1] + recvCounts[r - 1]
    }
    // MPI wants non-null buffers even when a count is zero.
    var received = [UInt8](repeating: 0, count: max(total, 1))
    let sendBuffer = bytes.isEmpty ? [0] : bytes
    try MPIRuntime.check(
      MPI_Alltoallv(sendBuffer, sendCounts, sendDispl, cmpi_byte(),
                    &received, recvCounts, recvDispl, cmpi_byte(), comm),
      "MPI_Alltoallv")
    if total == 0 { received.removeAll() }
    return (received, recvCounts.map { Int($0) })
  }

  public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
    guard (0..<size).contains(root) else { throw DistributedError.invalidRoot(root, size: size) }
    var count = Int64(bytes.count)
    try MPIRuntime.check(MPI_Bcast(&count, 1, cmpi_int64(), Int32(root), comm), "MPI_Bcast")
    guard count <= Int64(Int32.max) else { throw DistributedError.bufferTooLarge(call: "MPI_Bcast", bytes: Int(count)) }
    var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
    if count > 0 {
      try MPIRuntime.check(MPI_Bcast(&buffer, Int32(count), cmpi_byte(), Int32(root), comm), "MPI_Bcast")
    }
    return buffer
  }

  public func abort(_ message: String, code: Int32) -> Never {
    writeToStandardError("neurofabric: rank \(rank) of \(size): \(message)")
    // MPI_Abort kills the launcher's I/O proxies too: give them time to forward the message.
    usleep(300_000)
    MPI_Abort(comm, code == 0 ? 1 : code)
    exit(code == 0 ? 1 : code)
  }
}
