/// A modelled effect of a family's hardware that a run can switch off, by name, to see what it
/// does to a network (`--without NAME,…`, or `without = [...]` in a topology's `[system]` table):
/// docs/effects.md lists every family's.
public struct HardwareEffect: Sendable, Equatable {
  /// The name `--without` takes, e.g. "latency".
  public var name: String
  /// What the family models when the effect is on.
  public var on: String
  /// What the family does instead when it is off.
  public var off: String

  public init(_ name: String, on: String, off: String) {
    self.name = name
    self.on = on
    self.off = off
  }
}
