/// The one clock of a run (docs/design-notes.md §3): an integer count of picoseconds of hardware time.
/// Integer time keeps event order and step grids exact on every rank.
public typealias HardwareTime = Int64

public enum HardwareClock {
  public static let picosecondsPerMillisecond: HardwareTime = 1_000_000_000

  /// Hardware time of `milliseconds` of bio time at `speedup` (hardware runs `speedup` times faster).
  public static func hardwareTime(bioMilliseconds: Double, speedup: Double = 1) -> HardwareTime {
    HardwareTime((bioMilliseconds / speedup * Double(picosecondsPerMillisecond)).rounded())
  }

  /// Bio milliseconds of hardware time `t` at `speedup`.
  public static func bioMilliseconds(_ t: HardwareTime, speedup: Double = 1) -> Double {
    Double(t) / Double(picosecondsPerMillisecond) * speedup
  }
}
