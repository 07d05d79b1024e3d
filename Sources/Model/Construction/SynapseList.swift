/// Synapses of one cell in structure-of-arrays form: the partner cells (sources for incoming
/// synapses, targets for outgoing ones), weights (nA or µS) and delays (ms). Reused between calls.
public struct SynapseList: Sendable {
  public var partners: [UInt32] = []
  public var weights: [Float] = []
  public var delays: [Float] = []

  public init() {}

  public var count: Int { partners.count }

  public mutating func removeAll() {
    partners.removeAll(keepingCapacity: true)
    weights.removeAll(keepingCapacity: true)
    delays.removeAll(keepingCapacity: true)
  }

  /// Adds `n` zeroed synapses at the end, for callers that fill them through buffer pointers.
  mutating func grow(by n: Int) {
    partners.append(contentsOf: repeatElement(0, count: n))
    weights.append(contentsOf: repeatElement(0, count: n))
    delays.append(contentsOf: repeatElement(0, count: n))
  }

  @inline(__always)
  mutating func append(_ partner: UInt32, _ weight: Double, _ delay: Double) {
    partners.append(partner)
    weights.append(Float(weight))
    delays.append(Float(delay))
  }
}

/// One incoming synapse of a neuron, with where it comes from.
public struct IncomingSynapse: Sendable, Equatable {
  public var projection: Int
  public var sourcePopulation: Int
  public var source: Int
  public var weight: Float
  public var delay: Float
  public var receptor: Receptor
}
