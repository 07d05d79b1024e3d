import Hardware

/// Static Layer-1 routes over the wafer's real switch structure (docs/hardware.md §1.2, §1.8), one bus at
/// a time in a fixed order, first come first served, as marocco's backbone router does: a bus leaves
/// its sending repeater on HLine 6 + 8r and runs east and west along its HICANN row (the index shifts
/// by 2 at every HICANN edge); in each column with targets it takes a crossbar switch onto a VLine
/// and runs north and south (shifting by 2, the right half mirrored); at each target HICANN a local
/// synapse switch feeds a synapse driver, chained to its neighbours for more rows. A target the row
/// cannot reach (the wafer's edge, a defect, a taken segment) gets a detour: down the source column,
/// along the target's row or one next to it, and up or down to the target; failing that, a
/// shortest-path search over the whole switch graph from the bus's tree (as marocco's Dijkstra
/// router), within a budget of lines. Segments, drivers and defects are exclusive; where none is
/// free the targets behind are lost.
struct Layer1Router {
  let system: BrainScaleS1System
  /// Which bus holds each HLine / VLine segment (global HICANN × line), −1 when free.
  private(set) var hLineOwner: [Int32]
  private(set) var vLineOwner: [Int32]
  /// Which bus feeds each synapse driver (global HICANN × side × 112), −1 when free.
  private(set) var driverOwner: [Int32]

  init(system: BrainScaleS1System) {
    self.system = system
    hLineOwner = [Int32](repeating: -1, count: system.hicanns * HICANN.hLines)
    vLineOwner = [Int32](repeating: -1, count: system.hicanns * HICANN.vLines)
    driverOwner = [Int32](repeating: -1, count: system.hicanns * 2 * HICANN.driversPerSide)
    for d in system.defectHLines { hLineOwner[d.hicann.global * HICANN.hLines + d.line] = Self.defect }
    for d in system.defectVLines { vLineOwner[d.hicann.global * HICANN.vLines + d.line] = Self.defect }
    let lines = system.hicanns * Self.linesPerHICANN
    cost = [Int32](repeating: 0, count: lines)
    parent = [Int32](repeating: -1, count: lines)
    stamp = [UInt32](repeating: 0, count: lines)
    neighbours = system.gridNeighbours()
  }

  /// Search state over all lines (HICANN × (64 HLines, then 256 VLines)), reused between searches.
  static let linesPerHICANN = HICANN.hLines + HICANN.vLines
  /// Lines a search may expand before it gives a target up (a failed search would otherwise visit
  /// every free line of the wafer).
  static let searchBudget = 60_000
  private var cost: [Int32], parent: [Int32], stamp: [UInt32]
  private var deque = [Int32](repeating: 0, count: frontReserve + 11 * searchBudget)
  private static let frontReserve = 4096
  private var search = UInt32(0)
  /// Working neighbours of each HICANN: east, south, west, north (−1 where none).
  private let neighbours: [Int]
  private static let vLinesOfHLine: [[Int]] = (0..<HICANN.hLines).map { h in (0..<HICANN.vLines).filter { HICANN.crossbarSwitch(vLine: $0, hLine: h) } }
  private static let hLinesOfVLine: [[Int]] = (0..<HICANN.vLines).map { v in (0..<HICANN.hLines).filter { HICANN.crossbarSwitch(vLine: v, hLine: $0) } }

  static let defect: Int32 = -2

  /// Holds the first HLine segment of every bus (its sending repeater's) before any bus is routed,
  /// so that no backbone passing through cuts another bus off at its source.
  mutating func reserve(bus: Int32, source: Int, repeater: Int) {
    let i = source * HICANN.hLines + HICANN.sendingHLine(repeater)
    if hLineOwner[i] == -1 { hLineOwner[i] = bus }
  }

  /// Where a bus reaches a target HICANN: the VLine it arrives on, the drivers it feeds (side, first
  /// driver, count), and the HICANN segments from the sending repeater (for the latency).
  struct Arrival: Equatable, Codable {
    var hicann: Int
    var vLine: Int
    var switchRow: Int
    var side: Int
    var firstDriver: Int
    var drivers: Int
    var hops: Int
  }

  /// Why targets were not reached.
  enum Failure: String, CaseIterable {
    case horizontal = "no free HLine"
    case vertical = "no free VLine"
    case driver = "no free synapse driver"
  }

  /// The working HICANN (global) one step (dx or dy ±1) from `hicann` on its wafer.
  func neighbour(_ hicann: Int, dx: Int, dy: Int) -> Int? {
    let n = neighbours[hicann * 4 + (dx == 1 ? 0 : dy == 1 ? 1 : dx == -1 ? 2 : 3)]
    return n >= 0 ? n : nil
  }

  /// Routes bus `bus` from sending repeater `repeater` of `source` to the target HICANNs, each
  /// needing `drivers(hicann)` chained drivers. Returns the arrivals and, per failed target, why.
  mutating func route(bus: Int32, source: Int, repeater: Int, targets: [Int], drivers: (Int) -> Int)
    -> (route: L1Route, failed: [(hicann: Int, why: Failure)])
  {
    var arrivals: [Arrival] = [], failed: [(hicann: Int, why: Failure)] = []
    var taken = L1Route()
    let origin = Wafer.coordinates[source % Wafer.hicanns]
    var columns: [Int: [Int]] = [:]
    for t in targets { columns[Wafer.coordinates[t % Wafer.hicanns].x - origin.x, default: []].append(t) }
    // The horizontal backbone: east and west as far as the farthest target column, until blocked.
    var backbone: [Int: (hicann: Int, hLine: Int)] = [:]
    let h0 = HICANN.sendingHLine(repeater)
    if [-1, bus].contains(hLineOwner[source * HICANN.hLines + h0]) { backbone[0] = (source, h0) }
    for direction in [1, -1] {
      guard let start = backbone[0] else { break }
      let farthest = columns.keys.filter { $0 * direction > 0 }.map { abs($0) }.max() ?? 0
      var (hicann, line) = start
      for step in stride(from: 1, through: farthest, by: 1) {
        guard let next = neighbour(hicann, dx: direction, dy: 0) else { break }
        let nextLine = HICANN.hLine(line, shiftedBy: direction)
        guard hLineOwner[next * HICANN.hLines + nextLine] == -1 else { break }
        (hicann, line) = (next, nextLine)
        backbone[step * direction] = (hicann, line)
      }
    }
    for dx in columns.keys.sorted() {
      let wanted = columns[dx]!
      guard let (hicann, hLine) = backbone[dx] else {
        // Off the source row's reach: down (or up) the source column first, then along the target's row.
        for t in wanted {
          if let a = detour(bus: bus, source: source, hLine: h0, target: t, drivers: drivers(t), into: &taken) { arrivals.append(a) }
          else { failed.append((t, .horizontal)) }
        }
        continue
      }
      // The VLine (of the 8 the crossbar offers) that reaches the most targets of the column.
      var best: (vLine: Int, reached: [Arrival], path: [Int]) = (-1, [], [])
      for v in 0..<HICANN.vLines where HICANN.crossbarSwitch(vLine: v, hLine: hLine) {
        let (reached, path) = probe(hicann: hicann, vLine: v, targets: wanted, hops: abs(dx), drivers: drivers)
        if reached.count > best.reached.count { best = (v, reached, path) }
      }
      if best.vLine < 0 || best.reached.isEmpty {
        failed += wanted.map { ($0, .vertical) }
        continue
      }
      // Take the backbone up to this column, the VLine path and the drivers.
      for step in stride(from: 0, through: dx, by: dx >= 0 ? 1 : -1) {
        let b = backbone[step]!
        if !taken.hLines.contains(.init(hicann: b.hicann, line: b.hLine)) { taken.hLines.append(.init(hicann: b.hicann, line: b.hLine)) }
        hLineOwner[b.hicann * HICANN.hLines + b.hLine] = bus
      }
      taken.crossbarSwitches.append(.init(hicann: hicann, hLine: hLine, vLine: best.vLine))
      for segment in Set(best.path).sorted() {
        vLineOwner[segment] = bus
        taken.vLines.append(.init(hicann: segment / HICANN.vLines, line: segment % HICANN.vLines))
      }
      for a in best.reached {
        for d in a.firstDriver..<(a.firstDriver + a.drivers) { driverOwner[(a.hicann * 2 + a.side) * HICANN.driversPerSide + d] = bus }
      }
      arrivals += best.reached
      let reached = Set(best.reached.map(\.hicann))
      for t in wanted where !reached.contains(t) {
        failed.append((t, blockedVertically(hicann: hicann, vLine: best.vLine, target: t) ? .vertical : .driver))
      }
    }
    // What the row, its columns and the detours did not reach: a search from the bus's tree.
    let (found, lineReached) = failed.isEmpty ? ([:], []) : searchRoutes(bus: bus, source: source, hLine: h0, targets: failed.map { ($0.hicann, drivers($0.hicann)) }, into: &taken)
    arrivals += failed.compactMap { found[$0.hicann] }
    taken.arrivals = arrivals
    // A target whose lines the search reached lacks drivers, not lines.
    return (taken, failed.filter { found[$0.hicann] == nil }.map { ($0.hicann, lineReached.contains($0.hicann) ? .driver : $0.why) })
  }

  /// For each target, the cheapest path (fewest new segments; the bus's own segments are free) from
  /// the bus's sending HLine or any segment it already holds to a VLine of the target whose synapse
  /// switch feeds a free chain of `drivers`: one 0-1 breadth-first search over HLines, VLines and
  /// crossbar switches; the paths share the search's tree, so they join into one route. Also the
  /// targets whose VLines it reached without a free driver chain behind them.
  private mutating func searchRoutes(bus: Int32, source: Int, hLine h0: Int, targets: [(hicann: Int, drivers: Int)],
                                     into taken: inout L1Route) -> (found: [Int: Arrival], lineReached: Set<Int>) {
    let root = source * Self.linesPerHICANN + h0
    guard [-1, bus].contains(hLineOwner[source * HICANN.hLines + h0]) else { return ([:], []) }
    var lineReached = Set<Int>()
    var pending = Dictionary(targets.map { ($0.hicann, $0.drivers) }, uniquingKeysWith: { a, _ in a })
    var ends: [(line: Int, arrival: Arrival)] = []
    search &+= 1
    let stampNow = search
    func owner(_ line: Int) -> Int32 {
      let h = line / Self.linesPerHICANN, l = line % Self.linesPerHICANN
      return l < HICANN.hLines ? hLineOwner[h * HICANN.hLines + l] : vLineOwner[h * HICANN.vLines + l - HICANN.hLines]
    }
    // The deque: zero-cost steps (onto the bus's own lines) go to the front, others to the back.
    var head = Self.frontReserve, tail = head
    cost[root] = 0
    parent[root] = -1
    stamp[root] = stampNow
    deque[tail] = Int32(root)
    tail += 1
    func relax(_ n: Int, from line: Int, cost c: Int32) {
      let o = owner(n)
      guard o == -1 || o == bus else { return }
      let step: Int32 = o == bus ? 0 : 1
      guard stamp[n] != stampNow || cost[n] > c + step else { return }
      stamp[n] = stampNow
      cost[n] = c + step
      parent[n] = Int32(line)
      if step == 0 && head > 0 { head -= 1; deque[head] = Int32(n) }
      else if tail < deque.count { deque[tail] = Int32(n); tail += 1 }
    }
    var expanded = 0
    while head < tail && expanded < Self.searchBudget && !pending.isEmpty {
      let line = Int(deque[head])
      head += 1
      expanded += 1
      let h = line / Self.linesPerHICANN, l = line % Self.linesPerHICANN, c = cost[line]
      if l >= HICANN.hLines, let drivers = pending[h] {
        if let a = feed(hicann: h, vLine: l - HICANN.hLines, drivers: drivers, hops: 0, taken: []) {
          ends.append((line, a))
          pending[h] = nil
        } else {
          lineReached.insert(h)
        }
      }
      if l < HICANN.hLines {
        for dx in [1, -1] { if let n = neighbour(h, dx: dx, dy: 0) { relax(n * Self.linesPerHICANN + HICANN.hLine(l, shiftedBy: dx), from: line, cost: c) } }
        for v in Self.vLinesOfHLine[l] { relax(h * Self.linesPerHICANN + HICANN.hLines + v, from: line, cost: c) }
      } else {
        let v = l - HICANN.hLines
        for dy in [1, -1] { if let n = neighbour(h, dx: 0, dy: dy) { relax(n * Self.linesPerHICANN + HICANN.hLines + HICANN.vLine(v, shiftedBy: dy), from: line, cost: c) } }
        for hl in Self.hLinesOfVLine[v] { relax(h * Self.linesPerHICANN + hl, from: line, cost: c) }
      }
    }
    var found: [Int: Arrival] = [:]
    for end in ends { found[end.arrival.hicann] = claim(bus: bus, path: end.line, arrival: end.arrival, into: &taken) }
    return (found, lineReached)
  }

  /// Takes the lines and crossbar switches of the path that ends at `end` and the arrival's drivers.
  private mutating func claim(bus: Int32, path end: Int, arrival: Arrival, into taken: inout L1Route) -> Arrival {
    var lines: [Int] = []
    var line = end
    while line >= 0 { lines.append(line); line = Int(parent[line]) }
    lines.reverse()
    var hops = 0
    for (i, line) in lines.enumerated() {
      let h = line / Self.linesPerHICANN, l = line % Self.linesPerHICANN
      // A line the bus holds is in the route already, except its reserved sending HLine.
      if l < HICANN.hLines {
        let segment = L1Route.Segment(hicann: h, line: l)
        if hLineOwner[h * HICANN.hLines + l] == -1 || !taken.hLines.contains(segment) { taken.hLines.append(segment) }
        hLineOwner[h * HICANN.hLines + l] = bus
      } else {
        if vLineOwner[h * HICANN.vLines + l - HICANN.hLines] == -1 { taken.vLines.append(.init(hicann: h, line: l - HICANN.hLines)) }
        vLineOwner[h * HICANN.vLines + l - HICANN.hLines] = bus
      }
      guard i > 0 else { continue }
      let before = lines[i - 1], hb = before / Self.linesPerHICANN, lb = before % Self.linesPerHICANN
      if hb != h { hops += 1; continue }
      let (hl, vl) = l < HICANN.hLines ? (l, lb - HICANN.hLines) : (lb, l - HICANN.hLines)
      let crossing = L1Route.CrossbarSwitch(hicann: h, hLine: hl, vLine: vl)
      if !taken.crossbarSwitches.contains(crossing) { taken.crossbarSwitches.append(crossing) }
    }
    var a = arrival
    a.hops = hops
    for d in a.firstDriver..<(a.firstDriver + a.drivers) { driverOwner[(a.hicann * 2 + a.side) * HICANN.driversPerSide + d] = bus }
    return a
  }

  /// Around the backbone: from the source's sending HLine onto a VLine of the source column, along
  /// it to row `via`, onto an HLine there, along it to the target column, onto a VLine there and
  /// along it to the target row, where a synapse switch feeds the drivers (three crossbar switches).
  /// `via` is the target's row (an L) or a row next to it (a U around a defect or a taken line);
  /// the first row in that order with a free path is taken.
  private mutating func detour(bus: Int32, source: Int, hLine h0: Int, target: Int, drivers: Int, into taken: inout L1Route) -> Arrival? {
    let s = Wafer.coordinates[source % Wafer.hicanns], t = Wafer.coordinates[target % Wafer.hicanns]
    guard [-1, bus].contains(hLineOwner[source * HICANN.hLines + h0]) else { return nil }
    let rows = [t.y, t.y - 1, t.y + 1, t.y - 2, t.y + 2, t.y - 3, t.y + 3, t.y - 4, t.y + 4].filter { $0 != s.y && (0..<Wafer.height).contains($0) }
    for via in rows {
      if let a = detour(bus: bus, source: source, hLine: h0, target: target, via: via, drivers: drivers, into: &taken) { return a }
    }
    return nil
  }

  /// Walks `steps` HICANNs from (hicann, line) along VLines (dy ≠ 0) or HLines (dx ≠ 0), all free.
  private func walk(from hicann: Int, line: Int, dx: Int, dy: Int, steps: Int) -> [Int]? {
    var (h, l) = (hicann, line), path: [Int] = []
    for _ in 0..<steps {
      guard let next = neighbour(h, dx: dx, dy: dy) else { return nil }
      l = dy != 0 ? HICANN.vLine(l, shiftedBy: dy) : HICANN.hLine(l, shiftedBy: dx)
      h = next
      let owner = dy != 0 ? vLineOwner[h * HICANN.vLines + l] : hLineOwner[h * HICANN.hLines + l]
      guard owner == -1 else { return nil }
      path.append(dy != 0 ? h * HICANN.vLines + l : h * HICANN.hLines + l)
    }
    return path
  }

  private mutating func detour(bus: Int32, source: Int, hLine h0: Int, target: Int, via: Int, drivers: Int, into taken: inout L1Route) -> Arrival? {
    let s = Wafer.coordinates[source % Wafer.hicanns], t = Wafer.coordinates[target % Wafer.hicanns]
    let down = via > s.y ? 1 : -1, across = t.x >= s.x ? 1 : -1, back = t.y > via ? 1 : -1
    for v0 in 0..<HICANN.vLines where HICANN.crossbarSwitch(vLine: v0, hLine: h0) && vLineOwner[source * HICANN.vLines + v0] == -1 {
      guard let leg1 = walk(from: source, line: v0, dx: 0, dy: down, steps: abs(via - s.y)) else { continue }
      let corner = leg1.last! / HICANN.vLines, cornerVLine = leg1.last! % HICANN.vLines
      for h1 in 0..<HICANN.hLines where HICANN.crossbarSwitch(vLine: cornerVLine, hLine: h1) && hLineOwner[corner * HICANN.hLines + h1] == -1 {
        guard let leg2 = walk(from: corner, line: h1, dx: across, dy: 0, steps: abs(t.x - s.x)) else { continue }
        let turn = leg2.last.map { $0 / HICANN.hLines } ?? corner, turnHLine = leg2.last.map { $0 % HICANN.hLines } ?? h1
        for v2 in 0..<HICANN.vLines where HICANN.crossbarSwitch(vLine: v2, hLine: turnHLine) && vLineOwner[turn * HICANN.vLines + v2] == -1 {
          guard let leg3 = walk(from: turn, line: v2, dx: 0, dy: back, steps: abs(t.y - via)) else { continue }
          let arrivalVLine = leg3.last.map { $0 % HICANN.vLines } ?? v2
          guard (leg3.last.map { $0 / HICANN.vLines } ?? turn) == target else { continue }
          let hops = abs(via - s.y) + abs(t.x - s.x) + abs(t.y - via)
          guard let a = feed(hicann: target, vLine: arrivalVLine, drivers: drivers, hops: hops, taken: []) else { continue }
          for i in [source * HICANN.vLines + v0] + leg1 + [turn * HICANN.vLines + v2] + leg3 {
            vLineOwner[i] = bus
            taken.vLines.append(.init(hicann: i / HICANN.vLines, line: i % HICANN.vLines))
          }
          for i in [source * HICANN.hLines + h0, corner * HICANN.hLines + h1] + leg2 {
            hLineOwner[i] = bus
            let segment = L1Route.Segment(hicann: i / HICANN.hLines, line: i % HICANN.hLines)
            if !taken.hLines.contains(segment) { taken.hLines.append(segment) }
          }
          taken.crossbarSwitches += [.init(hicann: source, hLine: h0, vLine: v0), .init(hicann: corner, hLine: h1, vLine: cornerVLine),
                                     .init(hicann: turn, hLine: turnHLine, vLine: v2)]
          for d in a.firstDriver..<(a.firstDriver + a.drivers) { driverOwner[(a.hicann * 2 + a.side) * HICANN.driversPerSide + d] = bus }
          return a
        }
      }
    }
    return nil
  }

  /// Follows VLine v from `hicann` north and south over the target rows: the targets whose drivers
  /// it can feed, and the segments it would take (only as far as the farthest target reached).
  private func probe(hicann: Int, vLine: Int, targets: [Int], hops: Int, drivers: (Int) -> Int) -> ([Arrival], [Int]) {
    guard vLineOwner[hicann * HICANN.vLines + vLine] == -1 else { return ([], []) }
    let y0 = Wafer.coordinates[hicann % Wafer.hicanns].y
    var reached: [Arrival] = [], path: [Int] = []
    var takenDrivers = Set<Int>()
    for direction in [0, -1, 1] {
      let rows = targets.map { Wafer.coordinates[$0 % Wafer.hicanns].y - y0 }.filter { direction == 0 ? $0 == 0 : $0 * direction > 0 }
      guard let farthest = rows.map({ abs($0) }).max() else { continue }
      var (h, v) = (hicann, vLine)
      var segments: [Int] = [], last = 0
      for step in 0...farthest {
        if step > 0 {
          guard let next = neighbour(h, dx: 0, dy: direction) else { break }
          let nextLine = HICANN.vLine(v, shiftedBy: direction)
          guard vLineOwner[next * HICANN.vLines + nextLine] == -1 else { break }
          (h, v) = (next, nextLine)
        }
        segments.append(h * HICANN.vLines + v)
        if (step > 0 || direction == 0), targets.contains(h), let a = feed(hicann: h, vLine: v, drivers: drivers(h), hops: hops + step, taken: takenDrivers) {
          reached.append(a)
          for d in a.firstDriver..<(a.firstDriver + a.drivers) { takenDrivers.insert((a.hicann * 2 + a.side) * HICANN.driversPerSide + d) }
          last = segments.count
        }
      }
      path += segments.prefix(last)
    }
    if !reached.isEmpty && !path.contains(hicann * HICANN.vLines + vLine) { path.append(hicann * HICANN.vLines + vLine) }
    return (reached, path)
  }

  /// A chain of `count` free drivers of one quadrant that VLine v reaches through a local synapse switch.
  private func feed(hicann: Int, vLine v: Int, drivers count: Int, hops: Int, taken: Set<Int>) -> Arrival? {
    let side = v < 128 ? 0 : 1
    for row in HICANN.synapseSwitchRows(vLine: v) where HICANN.switchRowIsLocal(vLine: v, row: row) {
      let driver = row / 2, quadrant = driver / HICANN.driversPerQuadrant
      let low = quadrant * HICANN.driversPerQuadrant, high = low + HICANN.driversPerQuadrant
      // The chain around the switched driver: it first, then its neighbours.
      for first in stride(from: driver, through: max(low, driver - count + 1), by: -1) where first + count <= high {
        let chain = first..<(first + count)
        if chain.allSatisfy({ d in
          let index = (hicann * 2 + side) * HICANN.driversPerSide + d
          return driverOwner[index] == -1 && !taken.contains(index)
        }) {
          return Arrival(hicann: hicann, vLine: v, switchRow: row, side: side, firstDriver: first, drivers: count, hops: hops)
        }
      }
    }
    return nil
  }

  /// Whether the VLine path from `hicann` to `target` is cut (rather than the target lacking drivers).
  private func blockedVertically(hicann: Int, vLine: Int, target: Int) -> Bool {
    let y0 = Wafer.coordinates[hicann % Wafer.hicanns].y, dy = Wafer.coordinates[target % Wafer.hicanns].y - y0
    guard dy != 0 else { return false }
    var (h, v) = (hicann, vLine)
    for _ in 0..<abs(dy) {
      guard let next = neighbour(h, dx: 0, dy: dy > 0 ? 1 : -1) else { return true }
      v = HICANN.vLine(v, shiftedBy: dy > 0 ? 1 : -1)
      h = next
      let owner = vLineOwner[h * HICANN.vLines + v]
      if owner != -1 && owner != vLineOwner[hicann * HICANN.vLines + vLine] { return true }
    }
    return false
  }
}

/// The L1 resources one bus holds: HLine and VLine segments (global HICANN, line), the crossbar
/// switches that join them, and where it feeds synapse drivers.
public struct L1Route: Sendable, Equatable, Codable {
  public struct Segment: Sendable, Hashable, Codable { public var hicann: Int, line: Int }
  public struct CrossbarSwitch: Sendable, Hashable, Codable { public var hicann: Int, hLine: Int, vLine: Int }
  public var hLines: [Segment] = []
  public var crossbarSwitches: [CrossbarSwitch] = []
  public var vLines: [Segment] = []
  var arrivals: [Layer1Router.Arrival] = []
  /// Target HICANN, VLine, synapse-switch row (on the VLine's side), first driver, chained drivers, hops.
  public var feeds: [(hicann: Int, vLine: Int, switchRow: Int, side: Int, firstDriver: Int, drivers: Int, hops: Int)] {
    arrivals.map { ($0.hicann, $0.vLine, $0.switchRow, $0.side, $0.firstDriver, $0.drivers, $0.hops) }
  }
  /// Without `synapse-loss`: the targets no route reached, fed directly (nil with it on, so the
  /// saved state is what it was before effects could be switched off).
  public var direct: [DirectFeed]?
  /// Every HICANN the bus's events reach and the HICANN segments they cross: the routed feeds, then the direct ones.
  public var deliveries: [(hicann: Int, hops: Int)] {
    arrivals.map { ($0.hicann, $0.hops) } + (direct ?? []).map { ($0.hicann, $0.hops) }
  }

  /// A target HICANN reached without a route, after as many HICANN segments as the grid steps
  /// between it and the bus's HICANN (the shortest route there could be).
  public struct DirectFeed: Sendable, Equatable, Codable {
    public var hicann: Int, hops: Int
    public init(source: Int, target: Int) {
      let a = Wafer.coordinates[source % Wafer.hicanns], b = Wafer.coordinates[target % Wafer.hicanns]
      hicann = target
      hops = abs(a.x - b.x) + abs(a.y - b.y)
    }
  }
}
