/// A system to run on, read from a topology file (`Topologies/*.toml`); one case per family.
public enum SystemDescription: Sendable, Equatable {
  case ideal(IdealSystem)
  case spinnaker(SpiNNakerSystem)
  case brainscales2(BrainScaleS2System)
  case brainscales1(BrainScaleS1System)

  public var name: String {
    switch self {
    case let .ideal(s): return s.name
    case let .spinnaker(s): return s.name
    case let .brainscales2(s): return s.name
    case let .brainscales1(s): return s.name
    }
  }

  public var family: String {
    switch self {
    case .ideal: return "ideal"
    case let .spinnaker(s): return s.family
    case let .brainscales2(s): return s.family
    case let .brainscales1(s): return s.family
    }
  }

  public static let families = ["ideal", "spinnaker2", "spinnaker1", "brainscales2", "brainscales1"]
}
