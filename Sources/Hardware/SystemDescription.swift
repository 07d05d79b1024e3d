/// A system to run on, as a topology file (`Topologies/*.toml`) describes it; each family has its own.
public protocol SystemDescription: Sendable {
  var name: String { get }
  /// The `family` value of its `[system]` table.
  var family: String { get }
  /// The family's effects this system runs without (`HardwareEffect`); empty: every effect on.
  var without: Set<String> { get set }
}
