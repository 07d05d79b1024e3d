/// A `ValueDistribution` flattened for hot loops: one draw is a branch on a small integer.
/// Normal-clipped values are redrawn until they fall inside [low, high].
public struct ValueSampler {
  private let kind: UInt8
  private let a: Double, b: Double, low: Double, high: Double

  public init(_ distribution: ValueDistribution) {
    switch distribution {
    case let .constant(v): (kind, a, b, low, high) = (0, v, 0, v, v)
    case let .uniform(l, h): (kind, a, b, low, high) = (1, l, h - l, l, h)
    case let .normal(mean, sd): (kind, a, b, low, high) = (2, mean, sd, -.infinity, .infinity)
    case let .normalClipped(mean, sd, l, h): (kind, a, b, low, high) = (2, mean, sd, l, h)
    }
  }

  /// One value, taking as many words from `stream` as the distribution needs.
  @inline(__always)
  public func draw(_ stream: inout RandomStream) -> Double {
    switch kind {
    case 0: return a
    case 1: return a + b * stream.nextUnit()
    default:
      while true {
        let v = a + b * stream.nextNormal()
        if v >= low && v <= high { return v }
      }
    }
  }
}
