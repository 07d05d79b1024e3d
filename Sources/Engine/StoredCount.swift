/// Counts read back from a trace or rank file (`/provenance` ranks, a population's `n_nodes`),
/// checked before they bound a loop or size a table: an edited or damaged file is a named error,
/// not a trap or a loop over 10^9 ranks.
public enum StoredCount {
  /// The most ranks a run of NeuroFabric has (far beyond any machine it runs on).
  public static let maximumRanks = 1 << 20
  /// The most nodes a population has (node ids are 32-bit in the traces' SONATA layout).
  public static let maximumNodes = UInt64(UInt32.max)

  /// The rank count `attribute` of `file` says, in 1...`maximumRanks`.
  public static func ranks(_ value: Int64?, file: String, attribute: String = "/provenance ranks") throws(StoredCountError) -> Int {
    guard let value, value >= 1, value <= Int64(maximumRanks) else {
      throw StoredCountError(file: file, attribute: attribute, value: value.map(String.init) ?? "absent", bound: "1…\(maximumRanks)")
    }
    return Int(value)
  }

  /// The node count `attribute` of `file` says, in 0...`maximumNodes`.
  public static func nodes(_ value: UInt64?, file: String, attribute: String) throws(StoredCountError) -> Int {
    let value = value ?? 0
    guard value <= maximumNodes else {
      throw StoredCountError(file: file, attribute: attribute, value: String(value), bound: "0…\(maximumNodes)")
    }
    return Int(value)
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
