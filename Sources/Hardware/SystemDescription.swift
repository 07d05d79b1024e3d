/// A system to run on, as a topology file (`Topologies/*.toml`) describes it; each family has its own.
public protocol SystemDescription: Sendable {
  var name: String { get }
  /// The `family` value of its `[system]` table.
  var family: String { get }
  /// The family's effects this system runs without (`HardwareEffect`); empty: every effect on.
  /// A family that models effects stores it; the registry refuses to switch off what is not stored.
  var without: Set<String> { get set }
}

extension SystemDescription {
  /// The systems of a family that models no effect run with none switched off.
  public var without: Set<String> {
    get { [] }
    set {}
  }
}
