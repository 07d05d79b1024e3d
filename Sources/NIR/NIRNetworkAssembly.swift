import Model

/// The network: populations of the Inputs and neurons, the linear paths between them multiplied out
/// into projections, and recordings of the top graph's Outputs.
extension NIRNetworkBuilder {
  /// A Delay node's origin: the spiking node it follows and each cell's extra delay in steps.
  typealias DelayedOrigin = (pre: Int, steps: [Double])

  /// Values that are all equal collapse to one (the network stores one value for all cells).
  static func compact(_ values: [Double]) -> [Double] {
    guard let first = values.first, values.allSatisfy({ $0 == first }) else { return values }
    return [first]
  }

  mutating func network(name: String) -> Network {
    let populationNodes = populationOrder()
    guard let linear = linearOrder(), let maps = linearMaps(linear) else { return Network(name: name) }
    var populations = self.populations(of: populationNodes, biases: outputBiases(linear, maps))
    let delayed = delayedOrigins()
    guard let projections = self.projections(onto: populationNodes, delayed: delayed, through: linear, maps) else { return Network(name: name) }
    let recordings = outputRecordings()
    if options.biasFromFirstInput { delayBiases(&populations, projections) }
    return Network(name: name, populations: populations, projections: projections, recordings: recordings)
  }

  /// The nodes that become populations, Inputs and neurons: sources first, then in breadth-first
  /// order from them (ties by file order), then the unreached.
  private func populationOrder() -> [Int] {
    var order: [Int] = nodes.indices.filter { nodes[$0].role == .source }
    var seen = Set(order)
    var head = 0
    while head < order.count {
      for edge in edges where edge.from == order[head] && !seen.contains(edge.to) {
        seen.insert(edge.to)
        order.append(edge.to)
      }
      head += 1
    }
    order += nodes.indices.filter { !seen.contains($0) }
    return order.filter {
      if case .linear = nodes[$0].role { return false }
      return nodes[$0].role != .sink && nodes[$0].role != .delay
    }
  }

  /// The linear nodes in topological order; nil (with an error) when they form a cycle, which has
  /// no neuron to break it.
  private mutating func linearOrder() -> [Int]? {
    let linear = nodes.indices.filter { linearNode($0) }
    var pending = Dictionary(uniqueKeysWithValues: linear.map { i in (i, edges.filter { $0.to == i && linearNode($0.from) }.count) })
    var topological: [Int] = []
    var ready = linear.filter { pending[$0] == 0 }
    while let i = ready.first {
      ready.removeFirst()
      topological.append(i)
      for edge in edges where edge.from == i && linearNode(edge.to) {
        pending[edge.to]! -= 1
        if pending[edge.to] == 0 { ready.append(edge.to) }
      }
    }
    guard topological.count == linear.count else {
      let cycle = linear.filter { !topological.contains($0) }.map { nodes[$0].label }
      fail(nodes[linear.first { !topological.contains($0) }!].node.path,
           "the linear nodes \(cycle.joined(separator: ", ")) form a cycle with no neuron in it: it has no value in discrete time")
      return nil
    }
    return topological
  }

  /// Each linear node's matrix and bias; nil at the first that has none.
  private mutating func linearMaps(_ linear: [Int]) -> [Int: LinearMap]? {
    var maps: [Int: LinearMap] = [:]
    for i in linear {
      guard let map = linearMap(i) else { return nil }
      maps[i] = map
    }
    return maps
  }

  /// Each linear node's output bias: its own plus the biases of its inputs carried through it.
  private func outputBiases(_ linear: [Int], _ maps: [Int: LinearMap]) -> [Int: [Double]] {
    var biasOut: [Int: [Double]] = [:]
    for i in linear {
      biasOut[i] = zip(maps[i]!.matrix.apply(bias(into: i, count: maps[i]!.matrix.columns, biasOut)), maps[i]!.bias).map(+)
    }
    return biasOut
  }

  /// The summed output biases of the linear nodes that feed node i.
  private func bias(into i: Int, count: Int, _ biasOut: [Int: [Double]]) -> [Double] {
    var sum = [Double](repeating: 0, count: count)
    for edge in edges where edge.to == i { if let b = biasOut[edge.from] { sum = zip(sum, b).map(+) } }
    return sum
  }

  /// A spike-source population per Input and a NIR neuron population per neuron node.
  private mutating func populations(of populationNodes: [Int], biases biasOut: [Int: [Double]]) -> [Population] {
    var populations: [Population] = []
    for i in populationNodes {
      let size = Self.count(nodes[i].shape!)
      switch nodes[i].role {
      case .source:
        populations.append(Population(label: nodes[i].label, size: size, cellType: .spikeSourceArray(times: [[]])))
        notes.append("\(nodes[i].label): Input, \(size) spike sources (spike times from --nir-input or infer)")
      case let .neuron(kind):
        let neuron = nirNeuron(i, kind, bias: bias(into: i, count: size, biasOut))
        populations.append(Population(label: nodes[i].label, size: size, cellType: .nir(neuron)))
        notes.append("\(nodes[i].label): \(kind.rawValue), \(size) neuron\(size == 1 ? "" : "s")")
      default:
        break
      }
    }
    return populations
  }

  /// The neuron of node i, its time constants in ms.
  private mutating func nirNeuron(_ i: Int, _ kind: NIRNeuron.Kind, bias: [Double]) -> NIRNeuron {
    var neuron = NIRNeuron(kind: kind, reset: options.reset, integrator: options.integrator)
    for (field, path) in NIRNeuron.fields(of: kind) {
      if field == "bias" { neuron.bias = Self.compact(bias); continue }
      guard let (_, values) = numbers(i, field, required: false) else { continue }  // v_reset 0, w_in 1 by default
      let scale = field.hasPrefix("tau") ? msPerUnit : (field == "r" && !kind.leaks ? 1 / msPerUnit : 1)
      neuron[keyPath: path] = Self.compact(values.map { $0 * scale })
    }
    return neuron
  }

  /// A Delay node delays one spiking node's spikes: an origin of its own, with that node's cells.
  private mutating func delayedOrigins() -> [Int: DelayedOrigin] {
    var delayed: [Int: DelayedOrigin] = [:]
    for d in nodes.indices where nodes[d].role == .delay {
      let incoming = edges.filter { $0.to == d }
      guard incoming.count == 1, spiking(incoming[0].from) else {
        fail(nodes[d].node.path, "a Delay node must follow exactly one spiking node (an Input or a spiking neuron): NeuroFabric delays spikes, not values")
        continue
      }
      let values = numbers(d, "delay")?.values ?? [0]
      guard let longest = values.max(), longest * msPerUnit + options.modelDt <= Network.maximumDelay else {
        fail(nodes[d].node.path + "/delay", "delays of up to \((values.max() ?? 0).compact) time units are \(((values.max() ?? 0) * msPerUnit).compact) ms, beyond the \(Network.maximumDelay.compact) ms a synapse holds")
        continue
      }
      let n = Self.count(nodes[incoming[0].from].shape!)
      delayed[d] = (incoming[0].from, (0..<n).map { ((values.count == 1 ? values[0] : values[$0]) * msPerUnit / options.modelDt).rounded() })
    }
    return delayed
  }

  /// The synapses from each spiking node (and each delayed one) through the linear nodes to every
  /// neuron it reaches; nil (with an error) when the paths multiply out to too many.
  private mutating func projections(onto populationNodes: [Int], delayed: [Int: DelayedOrigin], through linear: [Int],
                                    _ maps: [Int: LinearMap]) -> [Projection]? {
    var projections: [Projection] = []
    var labels = Set<String>()
    var made = 0  // synapses multiplied out so far, over all paths
    for origin in populationNodes + delayed.keys.sorted() {
      if case let .neuron(kind) = nodes[origin].role, !kind.spikes {
        for edge in edges where edge.from == origin && nodes[edge.to].role != .sink {
          fail(edge.key, "'\(nodes[origin].label)' is a \(kind.rawValue) node, which does not spike: its output can only be recorded")
        }
        continue
      }
      guard let reach = self.reach(from: origin, through: linear, maps, made: &made) else { return nil }
      for target in populationNodes {
        guard case .neuron = nodes[target].role else { continue }
        let (matrix, via) = input(to: target, from: origin, reach)
        guard let matrix else { continue }
        projections += connect(origin, delayed[origin], to: target, matrix, via: via, labels: &labels)
      }
    }
    return projections
  }

  /// Per linear node, the matrix from the origin's cells to the node's outputs.
  private mutating func reach(from origin: Int, through linear: [Int], _ maps: [Int: LinearMap], made: inout Int) -> [Int: SparseRows]? {
    var reach: [Int: SparseRows] = [:]
    for i in linear {
      guard let m = input(to: i, from: origin, reach).matrix else { continue }
      let entries = maps[i]!.matrix.entriesBound(after: m)
      made += entries
      guard entries <= Self.synapseLimit, made <= 2 * Self.synapseLimit else {
        fail(nodes[i].node.path, "the path from '\(nodes[origin].label)' multiplies out to up to \(entries) synapses, more than the \(Self.synapseLimit) an import makes")
        return nil
      }
      reach[i] = maps[i]!.matrix.composed(after: m)
    }
    return reach
  }

  /// The matrix from the origin's cells to node i's inputs, summed over its edges, and the linear
  /// nodes it comes through.
  private func input(to i: Int, from origin: Int, _ reach: [Int: SparseRows]) -> (matrix: SparseRows?, via: [Int]) {
    var sum: SparseRows?
    var via: [Int] = []
    for edge in edges where edge.to == i {
      let part: SparseRows? = edge.from == origin ? .identity(Self.count(nodes[origin].shape!)) : reach[edge.from]
      guard let part else { continue }
      if edge.from != origin { via.append(edge.from) }
      sum = sum.map { $0.adding(part) } ?? part
    }
    return (sum, via)
  }

  /// The projections of one path: positive weights excitatory, negative ones inhibitory (".inh"),
  /// named after the path's operator node where it has one, with one step of delay plus a Delay node's.
  private mutating func connect(_ origin: Int, _ delayed: DelayedOrigin?, to target: Int, _ matrix: SparseRows, via: [Int],
                                labels: inout Set<String>) -> [Projection] {
    let pre = delayed?.pre ?? origin
    var base = "\(nodes[pre].label)-\(nodes[target].label)"
    if via.count == 1 && !edges.contains(where: { $0.from == origin && $0.to == target }), let named = operatorNode(before: via[0]) {
      base = nodes[named].label
    }
    if labels.contains(base) { base += "-" + nodes[origin].label }
    let extra = delayed?.steps
    var projections: [Projection] = []
    for (receptor, sign) in [(Receptor.excitatory, 1.0), (.inhibitory, -1.0)] {
      var list: [ListConnection] = []
      for (post, row) in matrix.rows.enumerated() {
        for (cell, w) in row where w * sign > 0 {
          list.append(ListConnection(pre: cell, post: post, weight: abs(w), delay: extra.map { (1 + $0[cell]) * options.modelDt }))
        }
      }
      guard !list.isEmpty else { continue }
      let label = receptor == .excitatory ? base : base + ".inh"
      labels.insert(label)
      projections.append(Projection(label: label, pre: nodes[pre].label, post: nodes[target].label, receptor: receptor,
                                    connector: .fromList(list), weight: .constant(list.map { $0.weight! }.max()!),
                                    delay: .constant(options.modelDt)))
      notes.append("\(label): \(list.count) \(receptor.rawValue) synapse\(list.count == 1 ? "" : "s") \(nodes[pre].label) → \(nodes[target].label), "
                   + (extra == nil ? "one step of delay" : "one step plus \(nodes[origin].label)'s delay"))
    }
    return projections
  }

  /// What the top graph's Outputs read (through identity nodes).
  private mutating func outputRecordings() -> [Recording] {
    var recordings: [Recording] = []
    for sink in nodes.indices where nodes[sink].role == .sink {
      for edge in edges where edge.to == sink {
        var source = edge.from
        while case .linear(passes: true) = nodes[source].role, let back = edges.first(where: { $0.to == source }) { source = back.from }
        switch nodes[source].role {
        case let .neuron(kind):
          recordings.append(Recording(population: nodes[source].label, variables: kind.spikes ? [.spikes] : [.v], interval: options.modelDt))
        case .source:
          recordings.append(Recording(population: nodes[source].label, variables: [.spikes], interval: options.modelDt))
        default:
          fail(edge.key, "Output '\(nodes[sink].label)' reads the linear node '\(nodes[source].label)': NeuroFabric records neurons and inputs")
        }
      }
    }
    return recordings
  }

  /// The node a projection is named after: the last linear node on its path that is not an
  /// identity (Flatten, a nested graph's Input or Output); nil when the path has none.
  func operatorNode(before i: Int) -> Int? {
    var node = i
    while case .linear(passes: true) = nodes[node].role {
      let back = edges.filter { $0.to == node }
      guard back.count == 1, linearNode(back[0].from) else { return nil }
      node = back[0].from
    }
    return linearNode(node) ? node : nil
  }
}
