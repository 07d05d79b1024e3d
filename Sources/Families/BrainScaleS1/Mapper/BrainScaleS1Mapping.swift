import Hardware
import Model

/// A network mapped onto BrainScaleS-1 wafers (docs/hardware.md §1.10): logical neurons of denmems on
/// HICANNs (V_reset shared per floating-gate half), one L1 bus per neuron block with 6-bit addresses,
/// spike sources on the buses of the HICANNs they drive (within the FPGA's input rate), static L1
/// routes, 4-bit weights with a gain per projection, and the synapses lost where routes, drivers or
/// addresses ran out, per projection and cause, as marocco reports them. Every rank computes the
/// same mapping.
public struct BrainScaleS1Mapping: Sendable, Codable {
  public typealias LogicalNeuron = BrainScaleS1LogicalNeuron

  /// An L1 bus: the sources it carries (cells, with their 6-bit addresses) from one sending repeater.
  public struct Bus: Sendable, Codable {
    public var hicann: Int, repeater: Int
    public var sources: [Int] = []
    public var addresses: [Int] = []
    /// Its L1 route: segments, switches, and the drivers it feeds.
    public var route = L1Route()
  }

  /// Why a synapse was lost (marocco's synapse-loss causes, with this router's names).
  public enum LossCause: String, CaseIterable, Sendable, Codable {
    case weight = "weight rounds to 0"
    case input = "no input bus (addresses or FPGA input rate)"
    case horizontal = "no free HLine"
    case vertical = "no free VLine"
    case driver = "no free synapse driver"
    case chain = "driver chain too short"
    case gain = "no V_gmax left in the driver quadrant"
  }

  /// Synapses of one projection: realised, and lost by cause.
  public struct Loss: Sendable, Equatable, Codable {
    public var projection: String
    public var synapses = 0
    public var lost: [String: Int] = [:]
    public var totalLost: Int { lost.values.reduce(0, +) }
  }

  public let system: BrainScaleS1System
  /// How the neurons were placed (`HICANNPlacement`).
  public let placer: PlacementStrategy
  public private(set) var neurons: [LogicalNeuron] = []
  /// Logical neuron of each global cell; −1 for spike sources.
  public private(set) var neuronOfCell: [Int32] = []
  public private(set) var buses: [Bus] = []
  /// The bus of each neuron's own sending repeater (−1 for spike sources).
  public private(set) var busOfCell: [Int32] = []
  public private(set) var loss: [Loss] = []
  /// Weight of one LSB per projection (the row gain).
  public private(set) var weightScale: [Double] = []
  /// Segments and drivers in use: HLine and VLine segments, synapse drivers.
  public private(set) var usage = L1Usage()
  let cellOffsets: [Int]

  public init(network: Network, system: BrainScaleS1System, seed: UInt64, placer: PlacementStrategy = .sequential,
              defaultRate: Double = 10) throws(BrainScaleS1MappingError)
  {
    self.system = system
    self.placer = placer
    let offsets = network.populationOffsets
    cellOffsets = offsets
    let cells = network.neuronCount
    guard system.denmemsPerNeuron % 2 == 0, (2...64).contains(system.denmemsPerNeuron) else {
      throw .denmems(system.denmemsPerNeuron)
    }
    // Refuse what the working HICANNs cannot hold before building any table over the cells.
    let working = (0..<system.hicanns).filter(system.works).count
    var capacity = working * HICANN.blocks * HICANNPlacement.neuronsPerBlock(system)
    for population in network.populations where !population.cellType.isSource {
      guard population.size <= capacity else { throw .hicannsExhausted(population: population.label, neuron: capacity, hicanns: working) }
      capacity -= population.size
    }

    // Synapses with 4-bit weights, a gain per projection (the largest weight is 15 LSB).
    let generator: SynapseGenerator
    do { generator = try SynapseGenerator(network: network, seed: seed) } catch { throw .connections(error) }
    var pre: [Int32] = [], post: [Int32] = [], projectionOf: [Int32] = [], weight: [Float] = []
    var list = SynapseList()
    for p in network.projections.indices {
      let target = generator.post[p], source = generator.pre[p]
      for t in 0..<network.populations[target].size {
        list.removeAll()
        generator.appendIncoming(projection: p, target: t, to: &list)
        for j in 0..<list.count {
          pre.append(Int32(offsets[source]) + Int32(list.partners[j]))
          post.append(Int32(offsets[target] + t))
          projectionOf.append(Int32(p))
          weight.append(abs(list.weights[j]))
        }
      }
    }
    var largest = [Float](repeating: 0, count: network.projections.count)
    for (p, w) in zip(projectionOf, weight) { largest[Int(p)] = max(largest[Int(p)], w) }
    weightScale = largest.map { Double($0) / Double(HICANN.maxWeight) }
    loss = network.projections.map { Loss(projection: $0.label) }
    var alive = [Bool](repeating: true, count: weight.count)
    let quantise = system.quantisesWeights  // without `weights`: exact weights, none rounds to 0
    for j in weight.indices {
      let p = Int(projectionOf[j]), scale = Float(weightScale[p])
      let q = scale > 0 ? min((weight[j] / scale).rounded(), Float(HICANN.maxWeight)) : 0
      if weight[j] == 0 { alive[j] = false; continue }  // a programmed zero is no synapse, not a loss
      loss[p].synapses += 1
      if q == 0 && quantise { alive[j] = false; loss[p].lost[LossCause.weight.rawValue, default: 0] += 1 }
      weight[j] = (quantise ? q * scale : weight[j]) * (network.projections[p].receptor == .inhibitory ? -1 : 1)
    }

    var indegree = [Int](repeating: 0, count: cells)
    for j in post.indices where alive[j] { indegree[Int(post[j])] += 1 }
    let limit = HICANN.rowsPerArray * 2 * system.denmemsPerNeuron / 2
    for (p, population) in network.populations.enumerated() where !population.cellType.isSource {
      if let i = (0..<population.size).first(where: { indegree[offsets[p] + $0] > limit }) {
        throw .fanIn(population: population.label, neuron: i, synapses: indegree[offsets[p] + i], limit: limit)
      }
    }
    try place(network, strategy: placer, seed: seed)
    sampledCells = network.populations.indices.flatMap { p in
      network.recorded(population: p, neurons: 0..<network.populations[p].size).sampled.map { offsets[p] + $0 }
    }.filter { neuronOfCell[$0] >= 0 }
    var traced: [Int: Int] = [:]
    for cell in sampledCells {
      let h = neurons[Int(neuronOfCell[cell])].hicann
      traced[h / Wafer.hicanns * Wafer.reticles + Wafer.reticleOf[h % Wafer.hicanns], default: 0] += 1
    }
    if let (key, count) = traced.sorted(by: { $0.key < $1.key }).first(where: { $0.value > 2 }) {
      throw .analogReadout(wafer: key / Wafer.reticles, reticle: key % Wafer.reticles, sampled: count)
    }
    try assignBuses(network, defaultRate: defaultRate, pre: pre, post: post, alive: &alive, projectionOf: projectionOf)
    try route(pre: pre, post: post, weight: weight, alive: &alive, projectionOf: projectionOf, labels: network.projections.map(\.label))
    // The realised synapses, per target HICANN, grouped by (source cell, bus).
    neuronsOfHICANN = Array(repeating: 0..<0, count: system.hicanns)
    for (i, n) in neurons.enumerated() {
      let r = neuronsOfHICANN[n.hicann]
      neuronsOfHICANN[n.hicann] = r.isEmpty ? i..<(i + 1) : r.lowerBound..<(i + 1)
    }
    let neuronStart = neuronsOfHICANN.map(\.lowerBound)
    var byHICANN = [[Int]](repeating: [], count: system.hicanns)
    for j in pre.indices where alive[j] { byHICANN[neurons[Int(neuronOfCell[Int(post[j])])].hicann].append(j) }
    inputs = byHICANN.enumerated().map { h, synapses in
      var input = HICANNInput()
      let sorted = synapses.sorted { (pre[$0], carrier[$0], $0) < (pre[$1], carrier[$1], $1) }
      for (i, j) in sorted.enumerated() {
        if i == 0 || pre[j] != pre[sorted[i - 1]] || carrier[j] != carrier[sorted[i - 1]] {
          if i > 0 { input.targetStart.append(Int32(input.targetNeuron.count)) }
          input.entrySource.append(UInt32(pre[j]))
          input.entryBus.append(carrier[j])
          input.entryHops.append(hopsOf[j])
        }
        input.targetNeuron.append(Int32(Int(neuronOfCell[Int(post[j])]) - neuronStart[h]))
        input.targetWeight.append(weight[j])
      }
      if !sorted.isEmpty { input.targetStart.append(Int32(input.targetNeuron.count)) }
      return input
    }
  }

  /// Neurons whose membrane is traced through the reticles' analog outputs.
  public private(set) var sampledCells: [Int] = []
  /// Logical neurons of each HICANN (contiguous in `neurons`).
  public private(set) var neuronsOfHICANN: [Range<Int>] = []
  /// What reaches each HICANN's synapses.
  public private(set) var inputs: [HICANNInput] = []

  /// HICANN hops from the sending repeater to each synapse's driver (set by `route`).
  private var hopsOf: [UInt16] = []

  /// Places the logical neurons (`HICANNPlacement`), in HICANN and column order.
  private mutating func place(_ network: Network, strategy: PlacementStrategy, seed: UInt64) throws(BrainScaleS1MappingError) {
    let sites = try HICANNPlacement.place(network, system: system, strategy: strategy, seed: seed)
    neuronOfCell = [Int32](repeating: -1, count: network.neuronCount)
    for (p, population) in network.populations.enumerated() {
      for i in 0..<population.size {
        if let site = sites[cellOffsets[p] + i] {
          neurons.append(LogicalNeuron(population: p, index: i, hicann: site.hicann, column: site.column, denmems: system.denmemsPerNeuron))
        }
      }
    }
    neurons.sort { ($0.hicann, $0.column) < ($1.hicann, $1.column) }
    for (n, neuron) in neurons.enumerated() { neuronOfCell[cellOf(neuron)] = Int32(n) }
  }

  /// One bus per `blocksPerBus` neuron blocks (merged by the merger tree). Events that come through an FPGA —
  /// spike sources, and neurons' spikes for another wafer — join the bus with the most free
  /// addresses on the least loaded HICANN link of the reticle of their first target there, within
  /// the input rates of the HICANN link and of the reticle's FPGA.
  private mutating func assignBuses(_ network: Network, defaultRate: Double, pre: [Int32], post: [Int32],
                                    alive: inout [Bool], projectionOf: [Int32]) throws(BrainScaleS1MappingError) {
    busOfCell = [Int32](repeating: -1, count: neuronOfCell.count)
    let offsets = network.populationOffsets
    var busOfBlock: [Int: Int] = [:]
    for neuron in neurons {
      // The merger tree joins `blocksPerBus` neighbouring blocks onto the sending repeater of the first.
      let first = neuron.block / system.blocksPerBus * system.blocksPerBus
      let key = neuron.hicann * HICANN.blocks + first
      if busOfBlock[key] == nil {
        busOfBlock[key] = buses.count
        buses.append(Bus(hicann: neuron.hicann, repeater: first))
      }
      let b = busOfBlock[key]!
      buses[b].sources.append(cellOf(neuron))
      buses[b].addresses.append(HICANN.usableAddresses[buses[b].sources.count - 1])
      busOfCell[cellOf(neuron)] = Int32(b)
    }
    // First target of each (cell, wafer) that needs an FPGA input.
    var firstTarget: [Int: Int32] = [:]
    for j in pre.indices where alive[j] {
      let cell = Int(pre[j]), wafer = neurons[Int(neuronOfCell[Int(post[j])])].hicann / Wafer.hicanns
      let own = neuronOfCell[cell] >= 0 ? neurons[Int(neuronOfCell[cell])].hicann / Wafer.hicanns : -1
      if wafer != own && firstTarget[cell * system.wafers + wafer] == nil { firstTarget[cell * system.wafers + wafer] = post[j] }
    }
    var inputRate = [Double](repeating: 0, count: system.hicanns)
    var reticleRate = [Double](repeating: 0, count: system.wafers * Wafer.reticles)
    var lost = Set<Int>()
    let limitsRates = system.losesSynapses  // without `synapse-loss` the input rates are no limit
    for key in firstTarget.keys.sorted() {
      let cell = key / system.wafers
      let home = neurons[Int(neuronOfCell[Int(firstTarget[key]!)])].hicann
      let reticle = Wafer.reticleOf[home % Wafer.hicanns], wafer = home / Wafer.hicanns
      let candidates = [home] + (0..<Wafer.hicanns).filter { Wafer.reticleOf[$0] == reticle }.map { wafer * Wafer.hicanns + $0 }.filter { $0 != home }
      let p = offsets.lastIndex { $0 <= cell }!
      let rate = ExpectedTraffic.rate(of: network.populations[p], neuron: cell - offsets[p], defaultRate: defaultRate) * system.speedup
      var chosen: Int?
      // The least loaded link of the reticle's FPGA first (bursts then spread over its 8 links).
      let usable = candidates.filter(system.works)
      for h in usable.sorted(by: { (inputRate[$0], $0 == home ? 0 : 1, $0) < (inputRate[$1], $1 == home ? 0 : 1, $1) })
        where !limitsRates || inputRate[h] + rate <= system.l2.hicannInputRate && reticleRate[wafer * Wafer.reticles + reticle] + rate <= system.l2.fpgaInputRate {
        let used = (0..<HICANN.blocks).map { block in busOfBlock[h * HICANN.blocks + block].map { buses[$0].sources.count } ?? 0 }
        let free = (0..<HICANN.blocks).filter { used[$0] < HICANN.addressesPerBus }
        guard let block = free.min(by: { (used[$0], $0) < (used[$1], $1) }) else { continue }
        if busOfBlock[h * HICANN.blocks + block] == nil {
          busOfBlock[h * HICANN.blocks + block] = buses.count
          buses.append(Bus(hicann: h, repeater: block))
        }
        chosen = busOfBlock[h * HICANN.blocks + block]!
        inputRate[h] += rate
        reticleRate[wafer * Wafer.reticles + reticle] += rate
        break
      }
      guard let b = chosen else { lost.insert(key); continue }
      buses[b].sources.append(cell)
      buses[b].addresses.append(HICANN.usableAddresses[buses[b].sources.count - 1])
      inputBus[key] = Int32(b)
    }
    carrier = pre.indices.map { j in
      guard alive[j] else { return -1 }
      let cell = Int(pre[j]), wafer = neurons[Int(neuronOfCell[Int(post[j])])].hicann / Wafer.hicanns
      if neuronOfCell[cell] >= 0 && neurons[Int(neuronOfCell[cell])].hicann / Wafer.hicanns == wafer { return busOfCell[cell] }
      return inputBus[cell * system.wafers + wafer] ?? -1
    }
    for j in pre.indices where alive[j] && lost.contains(Int(pre[j]) * system.wafers + neurons[Int(neuronOfCell[Int(post[j])])].hicann / Wafer.hicanns) {
      try lose(j, .input, projectionOf: projectionOf, alive: &alive, hicann: neurons[Int(neuronOfCell[Int(post[j])])].hicann)
    }
  }

  /// The bus of each FPGA input, keyed by cell × wafers + wafer (spike sources; neurons for other wafers).
  public private(set) var inputBus: [Int: Int32] = [:]
  /// The bus that carries each synapse (−1 when lost before routing).
  private var carrier: [Int32] = []

  private mutating func lose(_ j: Int, _ cause: LossCause, projectionOf: [Int32], alive: inout [Bool], hicann: Int) throws(BrainScaleS1MappingError) {
    let p = Int(projectionOf[j])
    if system.strict { throw .synapseLost(projection: loss[p].projection, cause: cause.rawValue, hicann: hicann) }
    alive[j] = false
    loss[p].lost[cause.rawValue, default: 0] += 1
  }

  /// Rows each bus needs on each target HICANN, then its L1 route; synapses behind a failed route
  /// or beyond the driver chain are lost. Without `synapse-loss` they are realised: a target no
  /// route reaches is fed directly (`L1Route.direct`), and the chain's rows and the quadrants'
  /// gains are no limit.
  private mutating func route(pre: [Int32], post: [Int32], weight: [Float], alive: inout [Bool], projectionOf: [Int32],
                              labels: [String]) throws(BrainScaleS1MappingError) {
    hopsOf = [UInt16](repeating: 0, count: pre.count)
    var synapsesOfBus = [[Int]](repeating: [], count: buses.count)
    for j in pre.indices where alive[j] && carrier[j] >= 0 { synapsesOfBus[Int(carrier[j])].append(j) }
    var router = Layer1Router(system: system)
    var gains = QuadrantGains()
    let loses = system.losesSynapses
    for (b, bus) in buses.enumerated() where !synapsesOfBus[b].isEmpty { router.reserve(bus: Int32(b), source: bus.hicann, repeater: bus.repeater) }
    let order = buses.indices.sorted { (buses[$0].hicann, buses[$0].repeater) < (buses[$1].hicann, buses[$1].repeater) }
    for b in order {
      // Rows per target HICANN: a row holds one synapse per column and one sign, and its even and
      // its odd columns each match one 2-bit driver-decoder value (the address's upper bits;
      // docs/hardware.md §1.4). Per sign, the decoder groups of the even columns stack in the rows, and
      // those of the odd columns beside them: rows = Σ over signs of max(Σ even, Σ odd) over the
      // groups of their busiest column.
      let addressOfCell = Dictionary(uniqueKeysWithValues: zip(buses[b].sources, buses[b].addresses))
      var byHICANN: [Int: [Int]] = [:]
      for j in synapsesOfBus[b] { byHICANN[neurons[Int(neuronOfCell[Int(post[j])])].hicann, default: []].append(j) }
      var rowOf: [Int: Int] = [:], rowsNeeded: [Int: Int] = [:]
      for (h, synapses) in byHICANN {
        var load: [Int: Int] = [:]   // (group, column) → synapses
        var groupRows = [Int](repeating: 0, count: 16)   // (sign × 4 + decoder) × 2 + parity → rows
        var placed: [(j: Int, slot: Int, rank: Int)] = []
        for j in synapses {
          let group = (weight[j] < 0 ? 4 : 0) + addressOfCell[Int(pre[j])]! >> 4
          let n = neurons[Int(neuronOfCell[Int(post[j])])]
          // The column that keeps its sign's rows lowest, then the least loaded.
          func height(_ c: Int) -> Int {
            let slot = group * 2 + c % 2, sign = group / 4 * 4
            let stack = (sign..<(sign + 4)).reduce(0) { $0 + groupRows[$1 * 2 + c % 2] }
            let other = (sign..<(sign + 4)).reduce(0) { $0 + groupRows[$1 * 2 + 1 - c % 2] }
            return max(stack - groupRows[slot] + max(groupRows[slot], (load[group * 256 + c] ?? 0) + 1), other)
          }
          let column = (n.column..<(n.column + n.denmems / 2)).min {
            (height($0), load[group * 256 + $0] ?? 0, $0) < (height($1), load[group * 256 + $1] ?? 0, $1)
          }!
          let rank = load[group * 256 + column] ?? 0
          load[group * 256 + column] = rank + 1
          let slot = group * 2 + column % 2
          groupRows[slot] = max(groupRows[slot], rank + 1)
          placed.append((j, slot, rank))
        }
        var offset = [Int](repeating: 0, count: 16), next = 0
        for sign in 0..<2 {
          var height = 0
          for parity in 0..<2 {
            var stacked = next
            for decoder in 0..<4 {
              let slot = (sign * 4 + decoder) * 2 + parity
              offset[slot] = stacked
              stacked += groupRows[slot]
            }
            height = max(height, stacked - next)
          }
          next += height
        }
        for p in placed { rowOf[p.j] = offset[p.slot] + p.rank }
        rowsNeeded[h] = next
      }
      let chain = system.maxDriverChain
      let drivers = { (h: Int) -> Int in min(chain, ((rowsNeeded[h] ?? 0) + 1) / 2) }
      let (route, failed) = router.route(bus: Int32(b), source: buses[b].hicann, repeater: buses[b].repeater,
                                         targets: byHICANN.keys.sorted(), drivers: drivers)
      buses[b].route = route
      let hops = Dictionary(uniqueKeysWithValues: route.feeds.map { ($0.hicann, $0.hops) })
      let why = Dictionary(failed.map { ($0.hicann, $0.why) }, uniquingKeysWith: { a, _ in a })
      let quadrantOf = Dictionary(uniqueKeysWithValues: route.feeds.map {
        ($0.hicann, ($0.hicann * 2 + $0.side) * 2 + $0.firstDriver / HICANN.driversPerQuadrant)
      })
      for (h, synapses) in byHICANN.sorted(by: { $0.key < $1.key }) {
        if !loses, why[h] != nil {
          let direct = L1Route.DirectFeed(source: buses[b].hicann, target: h)
          buses[b].route.direct = (buses[b].route.direct ?? []) + [direct]
          for j in synapses { hopsOf[j] = UInt16(direct.hops) }
          continue
        }
        for j in synapses {
          if let failure = why[h] {
            let cause: LossCause = failure == .horizontal ? .horizontal : failure == .vertical ? .vertical : .driver
            try lose(j, cause, projectionOf: projectionOf, alive: &alive, hicann: h)
          } else if loses && rowOf[j]! >= 2 * drivers(h) {
            try lose(j, .chain, projectionOf: projectionOf, alive: &alive, hicann: h)
          } else if loses && !gains.admit(weightScale[Int(projectionOf[j])], quadrant: quadrantOf[h]!) {
            try lose(j, .gain, projectionOf: projectionOf, alive: &alive, hicann: h)
          } else {
            hopsOf[j] = UInt16(hops[h] ?? 0)
          }
        }
      }
    }
    usage = L1Usage(hLines: router.hLineOwner.filter { $0 >= 0 }.count, vLines: router.vLineOwner.filter { $0 >= 0 }.count,
                    drivers: router.driverOwner.filter { $0 >= 0 }.count)
  }

  public func cellOf(_ n: LogicalNeuron) -> Int { cellOffsets[n.population] + n.index }
}

/// The row gains (V_gmax) in use per synapse-driver quadrant: a quadrant offers 4 values, shared by
/// its rows (docs/hardware.md §1.4, §1.10), so a fifth projection gain finds none.
struct QuadrantGains {
  private var used: [Int: [Double]] = [:]

  /// Whether rows of `gain` can be set in `quadrant`; takes one of its 4 values when it must.
  mutating func admit(_ gain: Double, quadrant: Int) -> Bool {
    let values = used[quadrant, default: []]
    if values.contains(gain) { return true }
    guard values.count < 4 else { return false }
    used[quadrant] = values + [gain]
    return true
  }
}

/// L1 resources a mapping uses: HLine and VLine segments, synapse drivers.
public struct L1Usage: Sendable, Codable {
  public var hLines = 0, vLines = 0, drivers = 0
}

extension BrainScaleS1Mapping {
  /// What HICANN `index` is configured with.
  public func configuration(ofHICANN index: Int) -> HICANNConfiguration {
    let logical = neuronsOfHICANN[index].map { neurons[$0] }
    let cells = logical.map(cellOf)
    let own = buses.indices.filter { buses[$0].hicann == index }
    return HICANNConfiguration(
      neurons: logical, cells: cells, input: inputs[index],
      remoteInputBuses: cells.map { cell in (0..<system.wafers).compactMap { inputBus[cell * system.wafers + $0] } },
      buses: own.map(Int32.init), busOfNeuron: cells.map { busOfCell[$0] },
      playedIn: own.flatMap { b in buses[b].sources.filter { neuronOfCell[$0] < 0 }.map { (bus: Int32(b), cell: $0) } })
  }
}
