import Model

/// The activity the mapper plans for, computed from the network alone (no synapse is generated):
/// a firing rate per population and, per projection, the expected number of synapses.
public struct ExpectedTraffic: Sendable, Codable {
  /// How a projection spreads its synapses over the target population.
  public enum Spread: Sendable, Codable, Equatable {
    /// Any source may reach any target (all-to-all, fixed probability, in- or out-degree).
    case dense
    /// Source i reaches target i only.
    case oneToOne
    /// Explicit (source, target) pairs (`from_list` and stored connections), which the slice graph
    /// reads from the network.
    case explicit
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
  /// Hz per neuron (`rate(of:neuron:defaultRate:)`; for spike arrays the mean over the population's neurons).
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
      guard case let .spikeSourceArray(times) = population.cellType, times.count > 1 else {
        return Self.rate(of: population, neuron: 0, defaultRate: defaultRate)
      }
      return (0..<times.count).reduce(0) { $0 + Self.rate(of: population, neuron: $1, defaultRate: defaultRate) } / Double(times.count)
    }
    let local = localPoissonInput ? Self.localSources(network) : Array(repeating: false, count: network.populations.count)
    isLocal = local
    let statistics = network.projectionStatistics()
    projections = network.projections.enumerated().map { index, projection in
      let spread: Spread
      switch projection.connector {
      case .oneToOne: spread = .oneToOne
      case .fromList, .stored: spread = .explicit
      default: spread = .dense
      }
      return Projection(pre: network.populationIndex(projection.pre)!, post: network.populationIndex(projection.post)!,
                        synapses: statistics[index].expectedSynapses, spread: spread,
                        local: local[network.populationIndex(projection.pre)!])
    }
  }

  /// Expected spikes per second of neuron `neuron` of `population`: a Poisson source's rate (0 if it
  /// stops before it starts), a spike array's spikes over its span (at least 1 s), and a neuron's
  /// `expectedRate` or `defaultRate`. Every family's mapper plans with these.
  public static func rate(of population: Population, neuron: Int, defaultRate: Double) -> Double {
    switch population.cellType {
    case let .poissonSource(rate, start, stop): return stop > start ? rate : 0
    case let .spikeSourceArray(times):
      let own = times.count == 1 ? times[0] : times[neuron]
      return Double(own.count) / (max(1000, own.max() ?? 0) * 1e-3)
    default: return population.expectedRate ?? defaultRate
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
