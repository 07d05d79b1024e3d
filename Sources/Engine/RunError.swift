import Hardware
import Mapping

/// Why a run stopped; every rank reports its own, and ranks that were only told to stop say so.
public enum RunError: Error, CustomStringConvertible {
  case build(IdealChipError)
  case mapping(MappingError)
  case load(SpiNNakerBuildError)
  case brainscales2(BrainScaleS2MappingError)
  case brainscales1(BrainScaleS1MappingError)
  case output(path: String, reason: String)
  case trace(String)
  case stoppedByOtherRank(rank: Int, phase: String)
  case communication(String)

  public var description: String {
    switch self {
    case let .build(error): return error.description
    case let .mapping(error): return error.description
    case let .load(error): return error.description
    case let .brainscales2(error): return error.description
    case let .brainscales1(error): return error.description
    case let .output(path, reason): return "cannot write the output '\(path)': \(reason)"
    case let .trace(message): return "trace file: \(message)"
    case let .stoppedByOtherRank(rank, phase): return "stopped during \(phase) because rank \(rank) failed (its message is above)"
    case let .communication(message): return "MPI: \(message)"
    }
  }
}
