/// A system to run on, read from a topology file (`Topologies/*.toml`); one case per family.
public enum SystemDescription: Sendable, Equatable {
  case ideal(IdealSystem)

  public var name: String {
    switch self {
    case let .ideal(s): return s.name
    }
  }

  public static let families = ["ideal"]
}
