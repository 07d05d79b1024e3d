/// Generates synapses from a validated network without building the whole network (the
/// "recipe" of docs/design-notes.md §5): the incoming synapses of any target neuron come from the
/// counter-based stream (seed, projection, target), so every rank gets the same synapses for the
/// neurons it hosts, in any order, whatever the rank count.
///
/// `fixed_outdegree` is generated per source from (seed, projection, source); its incoming
/// synapses are found by scanning the sources, so bulk users should prefer `appendOutgoing`.
public struct SynapseGenerator: Sendable {
  public let network: Network
  public let seed: UInt64
  /// Pre- and post-synaptic population of each projection.
  public let pre: [Int]
  public let post: [Int]
  /// For `from_list` projections: connection indices grouped by target (CSR offsets and entries).
  let listOffsets: [[Int]]
  let listEntries: [[Int]]
  /// For stored projections, the connections onto the targets the generator was made for.
  let stored: [StoredRows?]

  /// `network` must have passed `validate()`. `targets` names, per population, the neurons whose
  /// incoming synapses will be asked for: stored connections are read for those only (nil: all).
  public init(network: Network, seed: UInt64,
              targets: ((_ population: Int) -> [Range<Int>])? = nil) throws(ConnectionTableError) {
    self.network = network
    self.seed = seed
    pre = network.projections.map { network.populationIndex($0.pre)! }
    post = network.projections.map { network.populationIndex($0.post)! }
    var offsets: [[Int]] = [], entries: [[Int]] = [], stored: [StoredRows?] = []
    for (p, projection) in network.projections.enumerated() {
      let n = network.populations[post[p]].size
      switch projection.connector {
      case let .fromList(list):
        var order = [Int](repeating: 0, count: list.count)
        offsets.append(groupByTarget(count: list.count, targets: n, post: { list[$0].post }) { i, slot in order[slot] = i })
        entries.append(order)
        stored.append(nil)
      case let .stored(connections):
        offsets.append([])
        entries.append([])
        stored.append(try StoredRows(connections.table, targets: targets?(post[p]) ?? [0..<n]))
      default:
        offsets.append([])
        entries.append([])
        stored.append(nil)
      }
    }
    listOffsets = offsets
    listEntries = entries
    self.stored = stored
  }

  /// Appends the incoming synapses of neuron `target` (of the projection's post population) to `out`.
  public func appendIncoming(projection p: Int, target: Int, to out: inout SynapseList) {
    let projection = network.projections[p]
    let nPre = network.populations[pre[p]].size
    let excludeSelf = !projection.allowAutapses && pre[p] == post[p]
    var stream = RandomStream(seed: seed, purpose: .connections, group: UInt32(p), member: UInt32(target))
    let weight = ValueSampler(projection.weight), delay = ValueSampler(projection.delay)
    switch projection.connector {
    case .allToAll, .fixedProbability(1...):
      for s in 0..<nPre where !(excludeSelf && s == target) {
        out.append(UInt32(s), weight.draw(&stream), delay.draw(&stream))
      }
    case .oneToOne:
      if target < nPre && !excludeSelf {
        out.append(UInt32(target), weight.draw(&stream), delay.draw(&stream))
      }
    case let .fixedProbability(probability):
      // Geometric skipping: the gaps between successes of Bernoulli(p) trials. A p so small that
      // 1 − p rounds to 1 (below 1.1e-16) expects no synapse among fewer than 10^9 candidates.
      let logFail = _log(1 - probability)
      guard probability > 0, logFail < 0 else { return }
      var s = -1
      while true {
        let gap = _log(stream.nextOpenUnit()) / logFail
        guard gap < Double(nPre) else { return }
        s += 1 + Int(gap)
        guard s < nPre else { return }
        if excludeSelf && s == target { continue }
        out.append(UInt32(s), weight.draw(&stream), delay.draw(&stream))
      }
    case let .fixedIndegree(k, multapses):
      drawPartners(k, from: nPre, excluding: excludeSelf ? target : nil, multapses: multapses,
                   stream: &stream, weight: weight, delay: delay, to: &out)
    case .fixedOutdegree:
      var outgoing = SynapseList()
      for s in 0..<nPre {
        outgoing.removeAll()
        appendOutgoing(projection: p, source: s, to: &outgoing)
        for i in 0..<outgoing.count where outgoing.partners[i] == UInt32(target) {
          out.partners.append(UInt32(s))
          out.weights.append(outgoing.weights[i])
          out.delays.append(outgoing.delays[i])
        }
      }
    case let .fromList(list):
      for i in listOffsets[p][target]..<listOffsets[p][target + 1] {
        let c = list[listEntries[p][i]]
        let w = c.weight ?? weight.draw(&stream)
        let d = c.delay ?? delay.draw(&stream)
        out.append(UInt32(c.pre), w, d)
      }
    case .stored:
      let rows = stored[p]!
      precondition(rows.holds(target), "the synapses of target \(target) of projection \(p) were not read (not among the generator's targets)")
      let range = rows.offsets[target]..<rows.offsets[target + 1]
      out.partners.append(contentsOf: rows.sources[range])
      out.weights.append(contentsOf: rows.weights[range])
      out.delays.append(contentsOf: rows.delays[range])
    }
  }

  /// Appends the targets of source `source` of a `fixed_outdegree` projection.
  public func appendOutgoing(projection p: Int, source: Int, to out: inout SynapseList) {
    let projection = network.projections[p]
    guard case let .fixedOutdegree(k, multapses) = projection.connector else {
      preconditionFailure("appendOutgoing is for fixed_outdegree projections")
    }
    let nPost = network.populations[post[p]].size
    let excludeSelf = !projection.allowAutapses && pre[p] == post[p]
    var stream = RandomStream(seed: seed, purpose: .connections, group: UInt32(p), member: UInt32(source))
    drawPartners(k, from: nPost, excluding: excludeSelf ? source : nil, multapses: multapses,
                 stream: &stream, weight: ValueSampler(projection.weight), delay: ValueSampler(projection.delay), to: &out)
  }

  /// Visits every synapse onto the neurons `targets` of population `population`, projection by
  /// projection: (projection, source, target, weight, delay). `fixed_outdegree` projections are
  /// generated per source and filtered; the others per target.
  public func forEachIncoming<E: Error>(
    population: Int, targets: Range<Int>,
    _ body: (_ projection: Int, _ source: Int, _ target: Int, _ weight: Float, _ delay: Float) throws(E) -> Void
  ) throws(E) {
    var list = SynapseList()
    for p in network.projections.indices where post[p] == population {
      if case .fixedOutdegree = network.projections[p].connector {
        for source in 0..<network.populations[pre[p]].size {
          list.removeAll()
          appendOutgoing(projection: p, source: source, to: &list)
          for i in 0..<list.count where targets.contains(Int(list.partners[i])) {
            try body(p, source, Int(list.partners[i]), list.weights[i], list.delays[i])
          }
        }
      } else {
        for target in targets {
          list.removeAll()
          appendIncoming(projection: p, target: target, to: &list)
          for i in 0..<list.count { try body(p, Int(list.partners[i]), target, list.weights[i], list.delays[i]) }
        }
      }
    }
  }

  /// Every incoming synapse of neuron `neuron` of population `population`, over all projections.
  public func incomingSynapses(population: Int, neuron: Int) -> [IncomingSynapse] {
    var result: [IncomingSynapse] = []
    var list = SynapseList()
    for p in network.projections.indices where post[p] == population {
      list.removeAll()
      appendIncoming(projection: p, target: neuron, to: &list)
      let receptor = network.projections[p].receptor
      for i in 0..<list.count {
        result.append(IncomingSynapse(projection: p, sourcePopulation: pre[p], source: Int(list.partners[i]),
                                      weight: list.weights[i], delay: list.delays[i], receptor: receptor))
      }
    }
    return result
  }

  /// k partners out of n, uniformly; `excluded` (the cell itself, without autapses) is never drawn.
  private func drawPartners(_ k: Int, from n: Int, excluding excluded: Int?, multapses: Bool,
                            stream: inout RandomStream, weight: ValueSampler, delay: ValueSampler,
                            to out: inout SynapseList) {
    let candidates = UInt32(excluded == nil ? n : n - 1)
    guard candidates > 0 else { return }
    @inline(__always) func partner(_ draw: UInt32) -> UInt32 {
      if let excluded, draw >= UInt32(excluded) { return draw + 1 }
      return draw
    }
    if multapses {
      let start = out.count
      out.grow(by: k)
      out.partners.withUnsafeMutableBufferPointer { partners in
        out.weights.withUnsafeMutableBufferPointer { w in
          out.delays.withUnsafeMutableBufferPointer { d in
            for i in start..<(start + k) {
              partners[i] = partner(stream.nextIndex(below: candidates))
              w[i] = Float(weight.draw(&stream))
              d[i] = Float(delay.draw(&stream))
            }
          }
        }
      }
    } else {
      var chosen = Set<UInt32>(minimumCapacity: k)
      while chosen.count < k {
        let s = partner(stream.nextIndex(below: candidates))
        if chosen.insert(s).inserted { out.append(s, weight.draw(&stream), delay.draw(&stream)) }
      }
    }
  }
}

/// The connections of a stored table onto some targets, grouped by target: what one rank holds.
struct StoredRows: Sendable {
  /// The targets read.
  let targets: TargetRanges
  /// Connections of target t: `offsets[t]..<offsets[t + 1]` (over the whole post population).
  let offsets: [Int]
  let sources: [UInt32]
  let weights: [Float]
  let delays: [Float]

  init(_ table: any ConnectionTable, targets requested: [Range<Int>]) throws(ConnectionTableError) {
    targets = TargetRanges(requested)
    // Read in file order in one pass, then placed by target.
    var post: [UInt32] = [], pre: [UInt32] = [], w: [Float] = [], d: [Float] = []
    try table.forEach(targets: targets) { s, t, weight, delay in
      post.append(UInt32(t))
      pre.append(UInt32(s))
      w.append(Float(weight))
      d.append(Float(delay))
    }
    var sources = [UInt32](repeating: 0, count: post.count)
    var weights = [Float](repeating: 0, count: post.count), delays = [Float](repeating: 0, count: post.count)
    offsets = groupByTarget(count: post.count, targets: table.postSize, post: { Int(post[$0]) }) { i, slot in
      sources[slot] = pre[i]
      weights[slot] = w[i]
      delays[slot] = d[i]
    }
    self.sources = sources
    self.weights = weights
    self.delays = delays
  }

  func holds(_ target: Int) -> Bool { targets.contains(target) }
}

/// Groups `count` connections by target (a counting sort, which keeps each target's connections in
/// their given order): returns the CSR offsets over `targets` targets and gives `place` each
/// connection's slot.
func groupByTarget(count: Int, targets n: Int, post: (Int) -> Int, place: (_ connection: Int, _ slot: Int) -> Void) -> [Int] {
  var offsets = [Int](repeating: 0, count: n + 1)
  for i in 0..<count { offsets[post(i) + 1] += 1 }
  for i in 0..<n { offsets[i + 1] += offsets[i] }
  var fill = offsets
  for i in 0..<count {
    let t = post(i)
    place(i, fill[t])
    fill[t] += 1
  }
  return offsets
}
