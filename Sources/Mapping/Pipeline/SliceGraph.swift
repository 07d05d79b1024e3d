import Foundation
import Model

/// The slices and who sends spikes to whom: for every source slice the slices it has synapses
/// on, with the expected synapses and the expected packets per second each target needs (a
/// spike is needed where the source has at least one synapse on the target slice).
public struct SliceGraph: Sendable, Codable {
  public let slices: [PopulationSlice]
  /// Index of each population's first slice; a population's slices are contiguous.
  public let firstSlice: [Int]
  /// Spikes per second each slice emits (one multicast packet each).
  public let spikeRate: [Double]
  /// Targets of slice s: `targets[offsets[s]..<offsets[s + 1]]`, sorted, with `synapses` and `packets` alongside.
  public let offsets: [Int]
  public let targets: [Int]
  public let synapses: [Double]
  public let packets: [Double]
  /// Slice of every neuron: `sliceOfNeuron[neuronOffset[p] + i]` for neuron i of population p.
  @usableFromInline let sliceOfNeuron: [Int32]
  @usableFromInline let neuronOffset: [Int]

  /// `network` gives the pairs of explicit projections (`from_list`, stored), streamed once.
  public init(slices: [PopulationSlice], traffic: ExpectedTraffic, network: Network) throws(MappingError) {
    self.slices = slices
    let populations = traffic.sizes.count
    var first = [Int](repeating: slices.count, count: populations + 1)
    for (i, s) in slices.enumerated().reversed() { first[s.population] = i }
    for p in stride(from: populations - 1, through: 0, by: -1) where first[p] == slices.count { first[p] = first[p + 1] }
    firstSlice = first
    spikeRate = slices.map { traffic.rates[$0.population] * Double($0.count) }

    var neuronOffset = [0]
    for size in traffic.sizes { neuronOffset.append(neuronOffset.last! + size) }
    var sliceOfNeuron = [Int32](repeating: 0, count: neuronOffset.last!)
    for (i, s) in slices.enumerated() {
      for neuron in s.range { sliceOfNeuron[neuronOffset[s.population] + neuron] = Int32(i) }
    }
    self.neuronOffset = neuronOffset
    self.sliceOfNeuron = sliceOfNeuron

    var offsets = [0], targets: [Int] = [], synapses: [Double] = [], packets: [Double] = []
    // Per target of the current source: expected synapses; "certain" sources (one-to-one) and the
    // Poisson hazard of the others, from which the expected number of distinct sources follows.
    var scratch = [Double](repeating: 0, count: slices.count)
    var certain = [Double](repeating: 0, count: slices.count)
    var hazard = [Double](repeating: 0, count: slices.count)
    var touched: [Int] = []
    var outgoing = [[Int]](repeating: [], count: populations)
    for (j, projection) in traffic.projections.enumerated() { outgoing[projection.pre].append(j) }
    // Explicit projections: synapses per (source slice, target slice), counted in one pass.
    var explicitPairs: [Int: [Int: [(target: Int, synapses: Double)]]] = [:]
    for (j, projection) in traffic.projections.enumerated()
    where projection.spread == .explicit && first[projection.pre] < first[projection.pre + 1] {
      var counts: [Int: Double] = [:]
      let pre = neuronOffset[projection.pre], post = neuronOffset[projection.post]
      do {
        try network.projections[j].connector.forEachExplicitPair { a, b in
          counts[Int(sliceOfNeuron[pre + a]) << 32 | Int(sliceOfNeuron[post + b]), default: 0] += 1
        }
      } catch {
        throw .connections(error)
      }
      var bySource: [Int: [(target: Int, synapses: Double)]] = [:]
      for (key, count) in counts { bySource[key >> 32, default: []].append((key & 0xFFFF_FFFF, count)) }
      explicitPairs[j] = bySource
    }
    for (sourceIndex, source) in slices.enumerated() {
      let nPre = Double(traffic.sizes[source.population]), n = Double(source.count)
      func add(_ t: Int, _ count: Double, oneToOne: Bool = false) {
        if scratch[t] == 0 { touched.append(t) }
        scratch[t] += count
        if oneToOne { certain[t] += count } else { hazard[t] += count }
      }
      for j in outgoing[source.population] {
        let projection = traffic.projections[j]
        let post = projection.post, nPost = Double(traffic.sizes[post])
        switch projection.spread {
        case .dense:
          guard projection.synapses > 0 else { continue }
          for t in first[post]..<first[post + 1] {
            add(t, projection.synapses * (n / nPre) * (Double(slices[t].count) / nPost))
          }
        case .oneToOne:
          for t in first[post]..<first[post + 1] {
            let overlap = min(source.range.upperBound, slices[t].range.upperBound) - max(source.first, slices[t].first)
            if overlap > 0 { add(t, Double(overlap), oneToOne: true) }
          }
        case .explicit:
          for (t, count) in explicitPairs[j]?[sourceIndex] ?? [] { add(t, count) }
        }
      }
      touched.sort()
      let rate = traffic.rates[source.population]
      for t in touched {
        targets.append(t)
        synapses.append(scratch[t])
        let reached = certain[t] + (n - certain[t]) * -expm1(-hazard[t] / n)
        packets.append(rate * min(n, reached))
        scratch[t] = 0
        certain[t] = 0
        hazard[t] = 0
      }
      touched.removeAll(keepingCapacity: true)
      offsets.append(targets.count)
    }
    self.offsets = offsets
    self.targets = targets
    self.synapses = synapses
    self.packets = packets
  }

  public var count: Int { slices.count }

  /// Indices into `targets`, `synapses` and `packets` of slice s's targets.
  public func edges(of s: Int) -> Range<Int> { offsets[s]..<offsets[s + 1] }

  /// The slice holding neuron `neuron` of population `population`.
  @inlinable public func slice(population: Int, neuron: Int) -> Int { Int(sliceOfNeuron[neuronOffset[population] + neuron]) }
}
