/// SONATA conventions every trace file follows (docs/formats.md §1).
public enum SONATA {
  /// Root attribute `magic` (0x0A7A) and `version` [0, 1].
  public static func markFile(_ root: HDF5Group) throws {
    try root.setAttribute("magic", UInt32(0x0A7A))
    try root.setAttribute("version", [UInt32(0), 1])
  }

  /// Spike ordering, written as the HDF5 enum libsonata requires.
  public enum Sorting: UInt8 {
    case none = 0, byId = 1, byTime = 2
  }

  public static func setSorting(_ group: HDF5Group, _ sorting: Sorting) throws {
    try group.setEnumAttribute("sorting", members: [("none", 0), ("by_id", 1), ("by_time", 2)], value: sorting.rawValue)
  }

  /// Fill values that expose a missing rank file behind a virtual dataset (docs/formats.md §5.5).
  public static let missingTime = Double.nan
  public static let missingNode = UInt64.max
}
