/// Why a run stopped; every rank reports its own, and ranks that were only told to stop say so.
public enum RunError: Error, CustomStringConvertible {
  /// The family's mapper refused the network (its error names the chip, core or bus).
  case mapping(any Error)
  /// Building the owned chips failed (its error names what did not fit).
  case load(any Error)
  case output(path: String, reason: String)
  case trace(String)
  case memory(String)
  case stoppedByOtherRank(rank: Int, phase: String)
  case communication(String)

  public var description: String {
    switch self {
    case let .mapping(error), let .load(error): return "\(error)"
    case let .output(path, reason): return "cannot write the output '\(path)': \(reason)"
    case let .trace(message): return "trace file: \(message)"
    case let .memory(message): return message
    case let .stoppedByOtherRank(rank, phase): return "stopped during \(phase) because rank \(rank) failed (its message is above)"
    case let .communication(message): return "MPI: \(message)"
    }
  }
}
