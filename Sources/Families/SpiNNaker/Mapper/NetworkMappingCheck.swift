import Hardware
import Model

extension NetworkMapping {
  /// Checks a saved mapping against `network` on `machine` for `ranks` ranks before anything is
  /// loaded from it: every index in range, every neuron of every population in exactly one slice,
  /// one slice per PE and per key block, slices only where the network's projections send, and
  /// tables that take every slice's key from its chip to the PEs of its targets and nowhere else
  /// (no loop, no dead link). Linear in the state's size (the walk looks each key up per chip of
  /// its tree).
  public func check(network: Network, machine: MachineGraph, pesPerChip: Int, ranks: Int) throws(MappingStateError) {
    let require = MappingStateError.require
    let populations = network.populations.count, chips = machine.chipCount
    try MappingStateError.requireCount("the population table", traffic.labels.count, populations)
    try MappingStateError.requireCount("the population sizes", traffic.sizes.count, populations)
    try MappingStateError.requireCount("the local-source flags", traffic.isLocal.count, populations)
    try MappingStateError.requireCount("the population rates", traffic.rates.count, populations)
    try MappingStateError.requireCount("the source flags", traffic.isSource.count, populations)
    try MappingStateError.requireCount("the slice limits", sliceLimits.count, populations)
    for (p, population) in network.populations.enumerated() {
      try require(traffic.labels[p] == population.label && traffic.sizes[p] == population.size,
                  "population \(p) is '\(traffic.labels[p])' of \(traffic.sizes[p]) neurons, the network's is '\(population.label)' of \(population.size)")
    }
    try MappingStateError.requireCount("the projection table", traffic.projections.count, network.projections.count)
    for (j, projection) in network.projections.enumerated() {
      let saved = traffic.projections[j]
      try require(saved.pre == network.populationIndex(projection.pre) && saved.post == network.populationIndex(projection.post),
                  "projection \(j) ('\(projection.label)') runs from population \(saved.pre) to \(saved.post), the network's from '\(projection.pre)' to '\(projection.post)'")
    }

    // Slices: population order, each population's neurons exactly once, in order.
    let slices = graph.slices, count = slices.count
    func name(_ s: Int) -> String {
      let p = slices[s].population
      return "slice \(s) of population '\(network.populations[p].label)'"
    }
    try MappingStateError.requireCount("the first-slice table", graph.firstSlice.count, populations + 1)
    try require(graph.firstSlice.first == 0 && graph.firstSlice.last == count,
                "the first-slice table spans slices \(graph.firstSlice.first ?? 0)..<\(graph.firstSlice.last ?? 0), the mapping has \(count)")
    for p in 0..<populations {
      let range = graph.firstSlice[p]..<max(graph.firstSlice[p], graph.firstSlice[p + 1])
      try require(graph.firstSlice[p + 1] >= graph.firstSlice[p], "the first-slice table decreases at population \(p)")
      let label = network.populations[p].label, size = network.populations[p].size
      if traffic.isLocal[p] {
        try require(range.isEmpty, "population '\(label)' runs on its targets' PEs but has \(range.count) slice(s)")
        continue
      }
      var next = 0
      for s in range {
        let slice = slices[s]
        try require(slice.population == p, "slice \(s) is listed under population '\(label)' but names population \(slice.population)")
        try require(slice.count > 0, "\(name(s)) holds \(slice.count) neurons")
        try require(slice.first == next,
                    "\(name(s)) starts at neuron \(slice.first), the neurons before it end at \(next) (every neuron is in exactly one slice)")
        try require(slice.first <= size - slice.count,
                    "\(name(s)) holds \(slice.count) neurons from neuron \(slice.first), the population has \(size)")
        next = slice.first + slice.count
      }
      try require(next == size, "the slices of population '\(label)' hold neurons 0..<\(next), the population has \(size)")
    }
    try MappingStateError.requireCount("the slice-of-neuron table", graph.sliceOfNeuron.count, network.neuronCount)
    try MappingStateError.requireCount("the neuron offsets", graph.neuronOffset.count, populations + 1)
    for (p, offset) in (network.populationOffsets + [network.neuronCount]).enumerated() {
      try require(graph.neuronOffset[p] == offset, "the neurons of population \(p) start at \(graph.neuronOffset[p]), the network's at \(offset)")
    }
    for p in 0..<populations where traffic.isLocal[p] {
      let base = graph.neuronOffset[p]
      for neuron in 0..<network.populations[p].size where graph.sliceOfNeuron[base + neuron] != 0 {
        throw MappingStateError("neuron \(neuron) of population '\(network.populations[p].label)', which runs on its targets' PEs, "
                                + "is listed under slice \(graph.sliceOfNeuron[base + neuron])")
      }
    }
    for s in 0..<count {
      let base = graph.neuronOffset[slices[s].population]
      for neuron in slices[s].range where graph.sliceOfNeuron[base + neuron] != s {
        throw MappingStateError("neuron \(neuron) of \(name(s)) is listed under slice \(graph.sliceOfNeuron[base + neuron])")
      }
    }
    try MappingStateError.requireCount("the slice rates", graph.spikeRate.count, count)
    try MappingStateError.requireCount("the slice loads", loads.count, count)
    // The run reports a slice's planned cycles as whole numbers (UInt64): a load that is not a
    // finite, non-negative count would trap there.
    for (s, load) in loads.enumerated() {
      for (what, value) in [("cycles", load.cycles), ("packets", load.packets), ("synaptic events", load.synapticEvents)] {
        try require(value.isFinite && value >= 0 && value <= 1e15, "\(name(s)) is planned at \(value) \(what) per tick")
      }
      try require(load.localBytes >= 0 && load.chipBytes >= 0, "\(name(s)) is planned at \(load.localBytes) local and \(load.chipBytes) chip bytes")
    }

    // Edges: in range, and only where a projection runs (and to every slice a dense or one-to-one one reaches).
    try MappingStateError.requireCount("the edge offsets", graph.offsets.count, count + 1)
    try require(graph.offsets.first == 0 && graph.offsets.last == graph.targets.count,
                "the edge offsets span \(graph.offsets.first ?? 0)..<\(graph.offsets.last ?? 0), the mapping has \(graph.targets.count) edges")
    try MappingStateError.requireCount("the edge synapses", graph.synapses.count, graph.targets.count)
    try MappingStateError.requireCount("the edge packets", graph.packets.count, graph.targets.count)
    var outgoing = [[Int]](repeating: [], count: populations)
    for (j, projection) in traffic.projections.enumerated() { outgoing[projection.pre].append(j) }
    var required = [Bool](repeating: false, count: count), allowed = [Bool](repeating: false, count: populations)
    for s in 0..<count {
      try require(graph.offsets[s] <= graph.offsets[s + 1], "the edges of \(name(s)) end before they start")
    }
    for s in 0..<count {
      let source = slices[s]
      var needed: [Int] = []
      for j in outgoing[source.population] {
        let projection = traffic.projections[j]
        allowed[projection.post] = true
        for t in graph.firstSlice[projection.post]..<graph.firstSlice[projection.post + 1] {
          switch projection.spread {
          case .dense where projection.synapses > 0: needed.append(t)
          case .oneToOne where source.range.overlaps(slices[t].range): needed.append(t)
          default: break
          }
        }
      }
      for t in needed { required[t] = true }
      for e in graph.edges(of: s) {
        let t = graph.targets[e]
        try require(t >= 0 && t < count, "edge \(e) of \(name(s)) targets slice \(t), the mapping has \(count)")
        try require(allowed[slices[t].population],
                    "\(name(s)) sends to \(name(t)), but no projection runs from '\(network.populations[source.population].label)' to '\(network.populations[slices[t].population].label)'")
        required[t] = false
      }
      if let t = needed.first(where: { required[$0] }) {
        throw MappingStateError("\(name(s)) has synapses on \(name(t)) but no edge to it, so its spikes would not be routed there")
      }
      for j in outgoing[source.population] { allowed[traffic.projections[j].post] = false }
    }

    // Placement: a working PE of a chip of the machine, one slice per PE.
    try MappingStateError.requireCount("the placement's chips", placement.chip.count, count)
    try MappingStateError.requireCount("the placement's PEs", placement.pe.count, count)
    var working = [Bool](repeating: false, count: chips * pesPerChip)
    for (c, pes) in machine.workingPEs.enumerated() {
      for pe in pes where pe >= 0 && pe < pesPerChip { working[c * pesPerChip + pe] = true }
    }
    var occupant = [Int32](repeating: -1, count: chips * pesPerChip)
    for s in 0..<count {
      let chip = placement.chip[s], pe = placement.pe[s]
      try require(chip >= 0 && chip < chips, "\(name(s)) is on chip \(chip), the system has \(chips) chips")
      try require(pe >= 0 && pe < pesPerChip, "\(name(s)) is on PE \(pe) of chip \(machine.chipNames[chip]), which has \(pesPerChip) PEs")
      try require(working[chip * pesPerChip + pe], "\(name(s)) is on PE \(pe) of chip \(machine.chipNames[chip]), which does not work")
      let other = occupant[chip * pesPerChip + pe]
      try require(other < 0, "\(name(s)) and \(other < 0 ? "" : name(Int(other))) are both on PE \(pe) of chip \(machine.chipNames[chip])")
      occupant[chip * pesPerChip + pe] = Int32(s)
    }
    try MappingStateError.requireCount("the slices of each chip", placement.slicesOfChip.count, chips)
    var listed = [Bool](repeating: false, count: count)
    for (c, list) in placement.slicesOfChip.enumerated() {
      try require(list.allSatisfy { $0 >= 0 && $0 < count && placement.chip[$0] == c }, "the slices listed on chip \(machine.chipNames[c]) are not the slices placed there")
      for s in list {
        try require(!listed[s], "\(name(s)) is listed twice on chip \(machine.chipNames[c])")
        listed[s] = true
      }
    }
    if let s = listed.firstIndex(of: false) { throw MappingStateError("\(name(s)) is placed on chip \(machine.chipNames[placement.chip[s]]) but not listed there") }

    // Keys: | population | slice | atom |, so that a key names its slice.
    try require(keys.populationBits >= 0 && keys.sliceBits >= 0 && keys.atomBits >= 0 && keys.populationBits + keys.sliceBits + keys.atomBits <= 32,
                "the keys have \(keys.populationBits) + \(keys.sliceBits) + \(keys.atomBits) bits, at most 32")
    try MappingStateError.requireCount("the keys", keys.base.count, count)
    let (a, b) = (UInt64(keys.atomBits), UInt64(keys.sliceBits))
    for s in 0..<count {
      let p = slices[s].population, index = s - graph.firstSlice[p]
      try require(UInt64(p) < 1 << UInt64(keys.populationBits) || (p == 0 && keys.populationBits == 0),
                  "population \(p) does not fit the keys' \(keys.populationBits) population bits")
      try require(index < 1 << b && slices[s].count <= 1 << a, "\(name(s)) does not fit the keys' \(keys.sliceBits) slice and \(keys.atomBits) atom bits")
      let expected = UInt64(p) << (a + b) | UInt64(index) << a
      try require(UInt64(keys.base[s]) == expected,
                  "\(name(s)) has key 0x\(String(keys.base[s], radix: 16)), its place in the key space is 0x\(String(expected, radix: 16)) (one key block per slice)")
    }

    // Tables: entries that never split a slice's keys, routes to links and PEs that exist.
    try MappingStateError.requireCount("the routing tables", tables.count, chips)
    let mask = keys.mask
    for (c, table) in tables.enumerated() {
      try require(table.entries.count <= machine.tableCapacity,
                  "the routing table of chip \(machine.chipNames[c]) has \(table.entries.count) entries, the router holds \(machine.tableCapacity)")
      for (i, entry) in table.entries.enumerated() {
        try require(entry.mask & ~mask == 0,
                    "entry \(i) of chip \(machine.chipNames[c])'s routing table has mask 0x\(String(entry.mask, radix: 16)), which splits a slice's keys (0x\(String(mask, radix: 16)))")
        try require(entry.route.links >> UInt8(machine.linksPerChip) == 0,
                    "entry \(i) of chip \(machine.chipNames[c])'s routing table sends on link bits 0x\(String(entry.route.links, radix: 16)), a chip has \(machine.linksPerChip) links")
        if let pe = entry.route.peList.last {
          try require(pe < pesPerChip, "entry \(i) of chip \(machine.chipNames[c])'s routing table delivers to PE \(pe), a chip has \(pesPerChip) PEs")
        }
      }
    }
    // Every sending slice's key from its chip reaches exactly its targets' PEs.
    var expected: [RouteWalker.Delivery] = []
    for s in 0..<count where !graph.edges(of: s).isEmpty {
      expected.removeAll(keepingCapacity: true)
      for e in graph.edges(of: s) { expected.append(RouteWalker.Delivery(chip: placement.chip[graph.targets[e]], pe: placement.pe[graph.targets[e]])) }
      expected.sort()
      let source = placement.chip[s]
      switch RouteWalker.deliveries(key: keys.base[s], source: source, tables: tables, machine: machine) {
      case let .failure(.droppedAtSource(chip)):
        throw MappingStateError("the routing table of chip \(machine.chipNames[chip]) has no entry for the key 0x\(String(keys.base[s], radix: 16)) of \(name(s)), which is sent there")
      case let .failure(.reachedTwice(chip)):
        throw MappingStateError("the routes of \(name(s)) (key 0x\(String(keys.base[s], radix: 16))) reach chip \(machine.chipNames[chip]) twice: the tables loop")
      case let .failure(.deadLink(chip, link)):
        throw MappingStateError("the routes of \(name(s)) leave chip \(machine.chipNames[chip]) on link \(link), which does not work")
      case let .success(delivered):
        if delivered != expected {
          let missing = expected.first { !delivered.contains($0) }, extra = delivered.first { !expected.contains($0) }
          if let m = missing {
            throw MappingStateError("the routing tables do not take the spikes of \(name(s)) to PE \(m.pe) of chip \(machine.chipNames[m.chip]), where a target slice runs")
          }
          let x = extra ?? delivered[0]
          throw MappingStateError("the routing tables take the spikes of \(name(s)) to PE \(x.pe) of chip \(machine.chipNames[x.chip]) \(extra == nil ? "more than once" : ", which runs no target of it")")
        }
      }
    }

    // Ranks: every live chip on one of the run's ranks.
    try MappingStateError.requireCount("the chip owners", rankOfChip.count, chips)
    for (c, rank) in rankOfChip.enumerated() {
      let live = !machine.workingPEs[c].isEmpty
      try require(rank < ranks && (rank >= 0 || (!live && rank == -1)),
                  "chip \(machine.chipNames[c]) is owned by rank \(rank), the run has ranks 0..<\(ranks)")
    }
  }
}
