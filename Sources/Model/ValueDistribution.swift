import Foundation

/// A parameter value that is constant or drawn per synapse (or per neuron), as in PyNN's
/// `RandomDistribution`. Units are those of the parameter (nA or µS for weights, ms for delays).
public enum ValueDistribution: Sendable, Equatable {
  case constant(Double)
  case uniform(low: Double, high: Double)
  case normal(mean: Double, sd: Double)
  /// Normal, redrawn until inside [low, high] (PyNN's `normal_clipped`, NEST's `redraw`).
  case normalClipped(mean: Double, sd: Double, low: Double, high: Double)

  /// The mean of the distribution (of the unclipped normal for `normalClipped`).
  public var mean: Double {
    switch self {
    case let .constant(v): return v
    case let .uniform(low, high): return (low + high) / 2
    case let .normal(mean, _), let .normalClipped(mean, _, _, _): return mean
    }
  }

  /// The smallest value that can be drawn.
  public var lowerBound: Double {
    switch self {
    case let .constant(v): return v
    case let .uniform(low, _): return low
    case .normal: return -.infinity
    case let .normalClipped(_, _, low, _): return low
    }
  }

  /// The largest value that can be drawn.
  public var upperBound: Double {
    switch self {
    case let .constant(v): return v
    case let .uniform(_, high): return high
    case .normal: return .infinity
    case let .normalClipped(_, _, _, high): return high
    }
  }

  /// PyNN-style text, e.g. "normal(mean=1.5, sd=0.75)".
  public var summary: String {
    switch self {
    case let .constant(v): return v.compact
    case let .uniform(low, high): return "uniform(\(low.compact), \(high.compact))"
    case let .normal(mean, sd): return "normal(mean=\(mean.compact), sd=\(sd.compact))"
    case let .normalClipped(mean, sd, low, high):
      return "normal_clipped(mean=\(mean.compact), sd=\(sd.compact), [\(low.compact), \(high.compact)])"
    }
  }
}

extension Double {
  /// Six significant digits, e.g. 0.0549602 or 1.5.
  public var compact: String { String(format: "%.6g", self) }
}
