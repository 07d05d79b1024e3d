import Hardware
import Model

/// A network's synapses as BrainScaleS-2 holds them (docs/hardware.md §2.10): generated from the
/// mapping seed, target-major, their 6-bit weights quantised with a scale per projection, signed
/// (inhibitory negative; 0 where a weight rounds to nothing), or with their exact weights when the
/// system runs without `weights` (then only weights that are 0 are left out). The mapper routes
/// them; a saved mapping's synapses are checked against them.
struct BrainScaleS2Synapses {
  /// Global cells of each synapse's source and target, and its weight.
  private(set) var pre: [UInt32] = []
  private(set) var post: [UInt32] = []
  private(set) var weight: [Float] = []
  /// The projections' programmed delays (min, max) ms.
  let delays: DelayRange
  let quantisation: [BrainScaleS2Mapping.Quantisation]

  init(network: Network, system: BrainScaleS2System, seed: UInt64) throws(BrainScaleS2MappingError) {
    let quantised = system.models(.weights)
    let offsets = network.populationOffsets
    let generator: SynapseGenerator
    do { generator = try SynapseGenerator(network: network, seed: seed) } catch { throw .connections(error) }
    var projectionOf: [Int32] = []
    var list = SynapseList()
    var delays = (min: Double.infinity, max: -Double.infinity)
    for (p, projection) in network.projections.enumerated() {
      let target = generator.post[p], source = generator.pre[p]
      delays = (min(delays.min, projection.delay.lowerBound), max(delays.max, projection.delay.upperBound))
      for t in 0..<network.populations[target].size {
        list.removeAll()
        generator.appendIncoming(projection: p, target: t, to: &list)
        for j in 0..<list.count {
          pre.append(UInt32(offsets[source]) + list.partners[j])
          post.append(UInt32(offsets[target] + t))
          projectionOf.append(Int32(p))
          weight.append(abs(list.weights[j]))
        }
      }
    }
    self.delays = delays.min.isFinite ? DelayRange(min: delays.min, max: delays.max) : DelayRange(min: 0, max: 0)
    var largest = [Float](repeating: 0, count: network.projections.count)
    for (p, w) in zip(projectionOf, weight) { largest[Int(p)] = max(largest[Int(p)], w) }
    var squares = [Double](repeating: 0, count: largest.count), zeroed = [Int](repeating: 0, count: largest.count)
    var counts = [Int](repeating: 0, count: largest.count)
    for j in weight.indices {
      let p = Int(projectionOf[j])
      let scale = largest[p] / Float(HICANNX.maxWeight)
      let sign: Float = network.projections[p].receptor == .inhibitory ? -1 : 1
      counts[p] += 1
      guard quantised else {
        if weight[j] == 0 { zeroed[p] += 1 }
        weight[j] *= sign
        continue
      }
      let q = scale > 0 ? min((weight[j] / scale).rounded(), Float(HICANNX.maxWeight)) : 0
      if weight[j] > 0 { squares[p] += Double((q * scale - weight[j]) / weight[j]) * Double((q * scale - weight[j]) / weight[j]) }
      if q == 0 { zeroed[p] += 1 }
      weight[j] = q * scale * sign
    }
    quantisation = network.projections.enumerated().map { p, projection in
      BrainScaleS2Mapping.Quantisation(projection: projection.label, synapses: counts[p], scale: quantised ? Double(largest[p]) / Double(HICANNX.maxWeight) : 0,
                                       rmsRelativeError: counts[p] > 0 ? (squares[p] / Double(counts[p])).squareRoot() : 0, zeroed: zeroed[p])
    }
  }

  /// The synapses that are kept (weight ≠ 0) as (source cell << 32 | target cell, weight bits), sorted.
  var kept: [(cells: UInt64, weight: UInt32)] {
    post.indices.filter { weight[$0] != 0 }.map { (UInt64(pre[$0]) << 32 | UInt64(post[$0]), weight[$0].bitPattern) }.sorted { $0 < $1 }
  }
}
