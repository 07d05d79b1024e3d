/// Which synaptic input of the target a projection drives.
public enum Receptor: String, Sendable, Equatable {
  case excitatory
  case inhibitory
}

/// Synapses from one population onto another (PyNN's `Projection`). Weights are in nA for
/// current-based targets and µS for conductance-based ones, positive for both receptors
/// (the receptor gives the sign); delays are in ms.
public struct Projection: Sendable, Equatable {
  public var label: String
  public var pre: String
  public var post: String
  public var receptor: Receptor
  public var connector: Connector
  public var allowAutapses: Bool
  public var weight: ValueDistribution
  public var delay: ValueDistribution
  /// The plasticity rule; none exists yet, so this is always nil (static synapses).
  public var plasticity: PlasticityRule?

  public init(label: String, pre: String, post: String, receptor: Receptor, connector: Connector,
              allowAutapses: Bool = true, weight: ValueDistribution, delay: ValueDistribution) {
    self.label = label
    self.pre = pre
    self.post = post
    self.receptor = receptor
    self.connector = connector
    self.allowAutapses = allowAutapses
    self.weight = weight
    self.delay = delay
    self.plasticity = nil
  }
}

extension Projection {
  /// The shortest and longest delay (ms) its synapses can have: a `from_list` connection's own
  /// delay where it gives one, a stored table's bounds, else the projection's distribution's bounds.
  public var delayBounds: (shortest: Double, longest: Double) {
    if case let .stored(connections) = connector, connections.table.count > 0 {
      return (connections.table.delays.lowerBound, connections.table.delays.upperBound)
    }
    guard case let .fromList(list) = connector, !list.isEmpty else { return (delay.lowerBound, delay.upperBound) }
    return list.reduce((Double.infinity, -Double.infinity)) { bounds, c in
      (min(bounds.0, c.delay ?? delay.lowerBound), max(bounds.1, c.delay ?? delay.upperBound))
    }
  }
}

/// Synaptic plasticity rules (STDP and the BrainScaleS-2 PPU rules come in a later release).
public enum PlasticityRule: Sendable, Equatable {}
