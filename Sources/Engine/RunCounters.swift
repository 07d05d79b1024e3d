/// Named counters of a run: sums of integers and of reals, and maxima, one value each per rank
/// until the engine reduces them over all ranks (in one collective per kind).
public struct RunCounters: Sendable {
  public private(set) var names: [String] = []
  public private(set) var sums: [Int64] = []
  public private(set) var realNames: [String] = []
  public private(set) var realSums: [Double] = []
  public private(set) var maximumNames: [String] = []
  public private(set) var maxima: [Double] = []

  public init() {}

  /// A count, summed over ranks.
  public mutating func add(_ name: String, _ value: some BinaryInteger) {
    names.append(name)
    sums.append(Int64(value))
  }

  /// A real quantity, summed over ranks.
  public mutating func add(real name: String, _ value: Double) {
    realNames.append(name)
    realSums.append(value)
  }

  /// A real quantity, the largest over ranks.
  public mutating func add(maximum name: String, _ value: Double) {
    maximumNames.append(name)
    maxima.append(value)
  }

  public subscript(_ name: String) -> Int64 { sums[names.firstIndex(of: name)!] }
  public func real(_ name: String) -> Double { realSums[realNames.firstIndex(of: name)!] }
  public func maximum(_ name: String) -> Double { maxima[maximumNames.firstIndex(of: name)!] }

  /// The same counters with the values of all ranks.
  func reduced(sums: [Int64], realSums: [Double], maxima: [Double]) -> RunCounters {
    var all = self
    all.sums = sums
    all.realSums = realSums
    all.maxima = maxima
    return all
  }
}
