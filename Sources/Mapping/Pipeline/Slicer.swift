import Foundation

/// Splits every population into slices that fit one processing element (PACMAN's splitter): as
/// many neurons per slice as the atom limit, the local memory and the planned share of the CPU
/// budget allow, the budget holding a burst of packets (`SliceLoad.burstCycles`) and not only their
/// mean, then the population divided evenly into that many slices.
public struct Slicer: Sendable {
  public let traffic: ExpectedTraffic
  public let costs: CoreCostModel
  /// Timer tick (s): rates become events per tick.
  public let tick: Double

  public init(traffic: ExpectedTraffic, costs: CoreCostModel, tick: Double) {
    self.traffic = traffic
    self.costs = costs
    self.tick = tick
  }

  /// The expected load of a slice of `count` neurons of population `p`. A packet arrives for every
  /// spike of a source that has at least one synapse on the slice: for a dense projection with
  /// in-degree K from N sources that is 1 − exp(−K·count/N) of the sources.
  public func load(population p: Int, count: Int) -> SliceLoad {
    let n = Double(count)
    var packets = 0.0, events = 0.0, synapses = 0.0, local = 0.0
    for projection in traffic.projections where projection.post == p {
      let nPre = Double(traffic.sizes[projection.pre])
      let inDegree = projection.synapses / Double(max(1, traffic.sizes[p]))
      let rate = traffic.rates[projection.pre] * tick
      events += inDegree * n * rate
      if projection.local {
        local += n
        continue
      }
      synapses += inDegree * n
      switch projection.spread {
      case .oneToOne: packets += n * rate
      case .dense, .explicit: packets += nPre * rate * -expm1(-inDegree * n / max(1, nPre))
      }
    }
    let cycles = costs.fixedCycles + n * costs.cyclesPerNeuron + packets * (costs.cyclesPerPacket + costs.cyclesPerRow)
      + events * costs.cyclesPerSynapse + local * costs.cyclesPerLocalSource
    return SliceLoad(cycles: cycles, localBytes: costs.fixedBytes + count * costs.bytesPerNeuron,
                     chipBytes: Int((synapses * Double(costs.bytesPerSynapse)).rounded(.up)), packets: packets,
                     synapticEvents: events)
  }

  /// Most neurons of population `p` one processing element takes, and the limit that decides it.
  public func atomsPerSlice(population p: Int) throws(MappingError) -> (atoms: Int, limit: String) {
    func fits(_ n: Int) -> Bool {
      let l = load(population: p, count: n)
      return l.burstCycles(costs) <= costs.cycleBudget && l.localBytes <= costs.localMemoryBytes
    }
    let cap = min(costs.maxAtoms, max(1, traffic.sizes[p]))
    guard fits(1) else {
      let l = load(population: p, count: 1)
      let constraint = l.localBytes > costs.localMemoryBytes
        ? "needs \(l.localBytes) bytes of local memory, a processing element has \(costs.localMemoryBytes)"
        : "needs \(Int(l.burstCycles(costs))) CPU cycles in a tick whose packets come in a burst, the planned budget is \(Int(costs.cycleBudget)) (\(Int(costs.usableFraction * 100)) % of \(Int(costs.cyclesPerTick)))"
      throw .sliceDoesNotFit(population: traffic.labels[p], constraint: constraint)
    }
    if fits(cap) { return (cap, cap == costs.maxAtoms ? "atoms" : "size") }
    var low = 1, high = cap  // fits(low), !fits(high)
    while high - low > 1 {
      let mid = (low + high) / 2
      if fits(mid) { low = mid } else { high = mid }
    }
    return (low, load(population: p, count: high).localBytes > costs.localMemoryBytes ? "memory" : "cpu")
  }

  /// Every population's slices, in population order, each population split evenly, and per
  /// population the limit that set the slice size (atoms, cpu, memory, size).
  public func slices() throws(MappingError) -> (slices: [PopulationSlice], limits: [String]) {
    var slices: [PopulationSlice] = []
    var limits = [String](repeating: "empty", count: traffic.sizes.count)
    for p in traffic.sizes.indices where traffic.sizes[p] > 0 {
      if traffic.isLocal[p] {
        limits[p] = "local"
        continue
      }
      let (atoms, limit) = try atomsPerSlice(population: p)
      let size = traffic.sizes[p], count = (size + atoms - 1) / atoms
      for s in 0..<count {
        let first = s * size / count, end = (s + 1) * size / count
        slices.append(PopulationSlice(population: p, first: first, count: end - first))
      }
      limits[p] = limit
    }
    return (slices, limits)
  }
}
