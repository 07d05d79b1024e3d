/// A failed collective or MPI library call, with the MPI error text.
public enum DistributedError: Error, CustomStringConvertible {
  case mpi(call: String, code: Int32, text: String)
  case bufferTooLarge(call: String, bytes: Int)
  case invalidRoot(Int, size: Int)

  public var description: String {
    switch self {
    case let .mpi(call, code, text):
      return "\(call) failed with MPI error \(code): \(text)"
    case let .bufferTooLarge(call, bytes):
      return "\(call): \(bytes) bytes exceed MPI's 2^31-1 count limit"
    case let .invalidRoot(root, size):
      return "broadcast root \(root) is not a rank of a communicator of size \(size)"
    }
  }
}
