/// A saved mapping state that decodes but does not fit the network and system of the run: an index
/// out of range, a neuron placed twice or not at all, a table that does not route what the
/// placement needs. `FamilyRegistry.loadMapping` names the file with it.
public struct MappingStateError: Error, CustomStringConvertible {
  /// The offending element and the bound it breaks, e.g. "slice 3 of population 'exc' is on PE 200
  /// of chip (0, 0), which has 152 PEs".
  public let problem: String

  public init(_ problem: String) { self.problem = problem }

  public var description: String { problem }

  /// Throws `problem` unless `condition` holds.
  @inline(__always)
  public static func require(_ condition: Bool, _ problem: @autoclosure () -> String) throws(MappingStateError) {
    if !condition { throw MappingStateError(problem()) }
  }

  /// Throws unless `values` has `count` elements.
  public static func requireCount(_ name: String, _ values: Int, _ count: Int) throws(MappingStateError) {
    try require(values == count, "\(name) has \(values) element(s), the run needs \(count)")
  }
}
