import Model

/// The activity the mapper plans for, computed from the network alone (no synapse is generated):
/// a firing rate per population and, per projection, the expected number of synapses.
public struct ExpectedTraffic: Sendable, Codable {
  /// How a projection spreads its synapses over the target population.
  public enum Spread: Sendable, Codable {
    /// Any source may reach any target (all-to-all, fixed probability, in- or out-degree).
    case dense
    /// Source i reaches target i only.
    case oneToOne
    /// Explicit (source, target) pairs.
    case list(pre: [Int], post: [Int])
  }

  public struct Projection: Sendable, Codable {
    public var pre: Int
    public var post: Int
    public var synapses: Double
    public var spread: Spread
    /// Its source is generated on the target's processing elements: no packets, no rows.
    public var local: Bool
  }

  public let labels: [String]
  public let sizes: [Int]
  /// Hz per neuron: the source's own rate for spike sources, `expectedRate` or the default for neurons.
  public let rates: [Double]
  public let isSource: [Bool]
  /// Populations generated on the processing elements of their target (`localSources`), which get no slices.
  public let isLocal: [Bool]
  public let projections: [Projection]

  /// With `localPoissonInput`, the populations that `localSources` finds are folded into their targets.
  public init(network: Network, defaultRate: Double, localPoissonInput: Bool = false) {
    labels = network.populations.map(\.label)
    sizes = network.populations.map(\.size)
    isSource = network.populations.map(\.cellType.isSource)
    rates = network.populations.map { population in
      switch population.cellType {
      case let .poissonSource(rate, start, stop): return stop > start ? rate : 0
      case let .spikeSourceArray(times):
        let count = times.reduce(0) { $0 + $1.count }
        let span = max(1000, times.compactMap(\.last).max() ?? 0)  // ms
        return Double(count) / Double(max(1, times.count)) / (span * 1e-3)
      default: return population.expectedRate ?? defaultRate
      }
    }
    let local = localPoissonInput ? Self.localSources(network) : Array(repeating: false, count: network.populations.count)
    isLocal = local
    let statistics = network.projectionStatistics()
    projections = network.projections.enumerated().map { index, projection in
      let spread: Spread
      switch projection.connector {
      case .oneToOne: spread = .oneToOne
      case let .fromList(list): spread = .list(pre: list.map(\.pre), post: list.map(\.post))
      default: spread = .dense
      }
      return Projection(pre: network.populationIndex(projection.pre)!, post: network.populationIndex(projection.post)!,
                        synapses: statistics[index].expectedSynapses, spread: spread,
                        local: local[network.populationIndex(projection.pre)!])
    }
  }

  /// Poisson sources that can run on their target's processing elements: not recorded, with one
  /// outgoing projection, one-to-one (a background input per neuron, as in the microcircuit).
  public static func localSources(_ network: Network) -> [Bool] {
    network.populations.map { population in
      guard case .poissonSource = population.cellType,
            !network.recordings.contains(where: { $0.population == population.label }) else { return false }
      let outgoing = network.projections.filter { $0.pre == population.label }
      guard outgoing.count == 1, case .oneToOne = outgoing[0].connector else { return false }
      return true
    }
  }

  /// Spikes per second of the whole population.
  public func populationRate(_ p: Int) -> Double { rates[p] * Double(sizes[p]) }
}
