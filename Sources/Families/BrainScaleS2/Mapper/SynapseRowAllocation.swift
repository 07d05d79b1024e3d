import Hardware

/// Synapse drivers, row-select addresses and 6-bit labels of one hemisphere of one chip (docs/hardware.md
/// §2.6, §2.7): the sources whose events reach the hemisphere are packed into *groups*; a group
/// sits on one PADI bus, answers one 5-bit row-select address, gives each of its ≤ 64 sources a
/// 6-bit label, and owns as many drivers (2 rows each, one sign per row) as its busiest column needs
/// rows. A synapse (row, column) holds one label, so a column takes one synapse per row.
///
/// Greedy, in source order: each source joins the group (on a bus it can reach) where it adds the
/// fewest rows, preferring sources with disjoint targets; a new group opens when that is cheaper.
struct SynapseRowAllocation {
  /// One incoming synapse of the hemisphere: chip-local target neuron, sign, weight.
  struct Synapse {
    var neuron: Int32
    var inhibitory: Bool
    var weight: Float
  }

  struct Group {
    var bus: Int
    var sources: [Int] = []
    var loadE = [Int32](repeating: 0, count: HICANNX.columns)
    var loadI = [Int32](repeating: 0, count: HICANNX.columns)
    var rowsE = 0, rowsI = 0
    var rows: Int { rowsE + rowsI }
    var drivers: Int { (rows + 1) / 2 }
  }

  private(set) var groups: [Group] = []
  /// Group and label of each source (indexes as given to `add`).
  private(set) var groupOfSource: [Int] = []
  private(set) var labelOfSource: [Int] = []

  /// Adds a source whose events can reach `buses` (one bus for an on-chip neuron, any for L2 input);
  /// `columns(neuron)` are the circuits of a target logical neuron.
  /// Returns false, with `overflow` set, when no bus it reaches has the drivers for it.
  mutating func add(buses: [Int], synapses: [Synapse], columns: (Int32) -> Range<Int>) -> Bool {
    var best: (group: Int, cost: Int, drivers: Int)? = nil
    var driversOnBus = [Int](repeating: 0, count: HICANNX.busesPerHemisphere)
    for g in groups { driversOnBus[g.bus] += g.drivers }
    func fits(bus: Int, oldDrivers: Int, rows: Int) -> Bool {
      driversOnBus[bus] - oldDrivers + (rows + 1) / 2 <= HICANNX.driversPerBus
    }
    for (g, group) in groups.enumerated() where buses.contains(group.bus) && group.sources.count < HICANNX.labelsPerDriver {
      let cost = addedRows(group, synapses, columns)
      guard fits(bus: group.bus, oldDrivers: group.drivers, rows: group.rows + cost) else { continue }
      if best == nil || cost < best!.cost || (cost == best!.cost && driversOnBus[group.bus] < best!.drivers) {
        best = (g, cost, driversOnBus[group.bus])
      }
    }
    let fresh = addedRows(Group(bus: 0), synapses, columns)
    if best == nil || best!.cost > fresh {
      // The bus with the most free drivers (the lowest index among equals).
      let bus = buses.min { (driversOnBus[$0], $0) < (driversOnBus[$1], $1) }!
      guard fits(bus: bus, oldDrivers: 0, rows: fresh) || best != nil else {
        overflow = (bus, driversOnBus[bus] + (fresh + 1) / 2)
        return false
      }
      if fits(bus: bus, oldDrivers: 0, rows: fresh) {
        groups.append(Group(bus: bus))
        best = (groups.count - 1, fresh, 0)
      }
    }
    let g = best!.group
    groupOfSource.append(g)
    labelOfSource.append(groups[g].sources.count)
    groups[g].sources.append(groupOfSource.count - 1)
    for s in synapses {
      let c = leastLoaded(groups[g], s, columns)
      if s.inhibitory {
        groups[g].loadI[c] += 1
        groups[g].rowsI = max(groups[g].rowsI, Int(groups[g].loadI[c]))
      } else {
        groups[g].loadE[c] += 1
        groups[g].rowsE = max(groups[g].rowsE, Int(groups[g].loadE[c]))
      }
    }
    return true
  }

  /// The bus that ran out of drivers, and the drivers it would have needed.
  private(set) var overflow: (bus: Int, drivers: Int)?

  /// Rows the group would gain by taking these synapses (without copying its loads: the extra
  /// load this source puts on each column is kept in a scratch array and cleared afterwards).
  private mutating func addedRows(_ group: Group, _ synapses: [Synapse], _ columns: (Int32) -> Range<Int>) -> Int {
    var rowsE = group.rowsE, rowsI = group.rowsI
    for s in synapses {
      let load = s.inhibitory ? group.loadI : group.loadE
      let c = columns(s.neuron).min { (load[$0] + extra[$0 + offset(s)], $0) < (load[$1] + extra[$1 + offset(s)], $1) }!
      if extra[c + offset(s)] == 0 { touched.append(c + offset(s)) }
      extra[c + offset(s)] += 1
      let total = Int(load[c] + extra[c + offset(s)])
      if s.inhibitory { rowsI = max(rowsI, total) } else { rowsE = max(rowsE, total) }
    }
    for t in touched { extra[t] = 0 }
    touched.removeAll(keepingCapacity: true)
    return rowsE + rowsI - group.rows
  }

  @inline(__always)
  private func leastLoaded(_ g: Group, _ s: Synapse, _ columns: (Int32) -> Range<Int>) -> Int {
    let load = s.inhibitory ? g.loadI : g.loadE
    return columns(s.neuron).min { (load[$0], $0) < (load[$1], $1) }!
  }

  @inline(__always)
  private func offset(_ s: Synapse) -> Int { s.inhibitory ? HICANNX.columns : 0 }
  private var extra = [Int32](repeating: 0, count: 2 * HICANNX.columns)
  private var touched: [Int] = []

  /// Row-select address of each group: its index among the groups of its bus.
  var rowSelects: [Int] {
    var next = [Int](repeating: 0, count: HICANNX.busesPerHemisphere)
    return groups.map { g in
      defer { next[g.bus] += 1 }
      return next[g.bus]
    }
  }

  /// Drivers, groups and sources per bus of the hemisphere.
  var busUsage: [(drivers: Int, groups: Int, sources: Int)] {
    var usage = [(drivers: Int, groups: Int, sources: Int)](repeating: (0, 0, 0), count: HICANNX.busesPerHemisphere)
    for g in groups {
      usage[g.bus].drivers += g.drivers
      usage[g.bus].groups += 1
      usage[g.bus].sources += g.sources.count
    }
    return usage
  }
}
