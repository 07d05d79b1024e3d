/// Counts read back from a trace or rank file (`/provenance` ranks, a population's `n_nodes`),
/// checked before they bound a loop or size a table: an edited or damaged file is a named error,
/// not a trap or a loop over 10^9 ranks. They are read as doubles, so that HDF5's conversion can
/// neither round a fractional count (1.5 → 1) nor clip a negative one (−1 → 0 as an unsigned).
public enum StoredCount {
  /// The most ranks a run of NeuroFabric has (far beyond any machine it runs on).
  public static let maximumRanks = 1 << 20
  /// The most nodes a population has (node ids are 32-bit in the traces' SONATA layout).
  public static let maximumNodes = UInt64(UInt32.max)

  /// The rank count `attribute` of `file` says, in 1...`maximumRanks`.
  public static func ranks(_ value: Double?, file: String, attribute: String = "/provenance ranks") throws(StoredCountError) -> Int {
    guard let value, value >= 1, value <= Double(maximumRanks), value.rounded() == value else {
      throw StoredCountError(file: file, attribute: attribute, value: value.map(shown) ?? "absent", bound: "a whole number in 1…\(maximumRanks)")
    }
    return Int(value)
  }

  /// The node count `attribute` of `file` says, in 0...`maximumNodes`.
  public static func nodes(_ value: Double?, file: String, attribute: String) throws(StoredCountError) -> Int {
    let value = value ?? 0
    guard value >= 0, value <= Double(maximumNodes), value.rounded() == value else {
      throw StoredCountError(file: file, attribute: attribute, value: shown(value), bound: "a whole number in 0…\(maximumNodes)")
    }
    return Int(value)
  }

  static func shown(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e18 ? String(Int64(value)) : "\(value)"
  }
}

/// A count in a trace or rank file beyond what a run writes.
public struct StoredCountError: Error, CustomStringConvertible {
  public let file: String
  public let attribute: String
  public let value: String
  public let bound: String

  public var description: String { "\(file): \(attribute) is \(value), a run writes \(bound) (the file is damaged or was edited)" }
}
