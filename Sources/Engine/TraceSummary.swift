import Traces

/// What `neurofabric inspect` prints of a trace's fabric: each family chooses the summaries that
/// fit its counters (`Family.inspect`).
public enum TraceSummary {
  /// Chip-to-chip links (SpiNNaker, ideal): the busiest links and drops by cause.
  public static func links(_ root: HDF5Group) throws -> [String] {
    var out: [String] = []
    let links = try root.openGroup("fabric/links")
    // A recovered trace has no run totals: no link table to rank.
    guard links.contains("source") else { return try counters(root, labels: ["chip"]) }
    let source = try links.openDataset("source", as: UInt64.self).read()
    let target = try links.openDataset("target", as: UInt64.self).read()
    let packets = try links.openDataset("packets", as: UInt64.self).read()
    let queue = try links.openDataset("max_queue", as: UInt64.self).read()
    var drops: [(String, [UInt64])] = []
    for name in links.memberNames where name.hasPrefix("drops_") {
      drops.append((String(name.dropFirst(6)), try links.openDataset(name, as: UInt64.self).read()))
    }
    let totalDrops = packets.indices.map { l in Self.total(drops.map { $0.1[l] }) }
    let busiest = packets.indices.filter { packets[$0] != Self.missing }
      .sorted { packets[$0] != packets[$1] ? packets[$0] > packets[$1] : $0 < $1 }.prefix(10)
    let unread = packets.filter { $0 == Self.missing }.count
    out.append("\nbusiest links (of \(packets.count)\(unread > 0 ? ", \(unread) in rank files that could not be read" : ""))")
    out.append(table(["link", "chips", "packets", "drops", "max queue"], busiest.map { l in
      [String(l), "\(source[l]) → \(target[l])", Self.count(packets[l]), Self.count(totalDrops[l]), Self.count(queue[l])]
    }))
    out.append("\ndrops by cause")
    out.append(table(["cause", "packets"], drops.map { [$0.0, Self.count(Self.total($0.1))] }))
    let routers = try root.openGroup("fabric/routers")
    let late = routers.contains("late_events") ? Self.total(try routers.openDataset("late_events", as: UInt64.self).read()) : 0
    if late > 0 { out.append("  synaptic events delivered late (fabric slower than the delay): \(Self.count(late))") }

    return out
  }

  /// Traces with a row per chip (or HICANN) and no chip-to-chip links: every counter's total,
  /// numbered columns (per PADI bus, per crossbar input) summed, and the ten rows with the most
  /// drops; `labels` are the family's columns that name a row (the first names the rows).
  public static func counters(_ root: HDF5Group, labels: [String]) throws -> [String] {
    let routers = try root.openGroup("fabric/routers")
    let counters = routers.memberNames.filter { !labels.contains($0) }
    guard !counters.isEmpty else { return ["\nfabric counters: none (run totals are written at a run's end)"] }
    var totals: [(String, UInt64)] = []
    for name in counters {
      let family = name.replacingOccurrences(of: #"_\d+$"#, with: "", options: .regularExpression)
      let sum = Self.total(try routers.openDataset(name, as: UInt64.self).read())
      if let i = totals.firstIndex(where: { $0.0 == family }) { totals[i].1 &+= sum } else { totals.append((family, sum)) }
    }
    var out = ["\nfabric counters (run totals)", table(["counter", "events"], totals.map { [$0.0, Self.count($0.1)] })]
    guard let unit = labels.first, routers.contains(unit), routers.contains("drops") else { return out }
    let id = try routers.openDataset(unit, as: UInt64.self).read()
    let drops = try routers.openDataset("drops", as: UInt64.self).read()
    let worst = drops.indices.filter { drops[$0] > 0 && drops[$0] != Self.missing }.sorted { drops[$0] != drops[$1] ? drops[$0] > drops[$1] : $0 < $1 }.prefix(10)
    if !worst.isEmpty {
      out.append("\nmost drops (of \(drops.count) \(unit)s)")
      out.append(table([unit, "drops"], worst.map { [Self.count(id[$0]), Self.count(drops[$0])] }))
    }
    return out
  }

  /// SpiNNaker's processing elements: every counter summed over the PEs (overruns and saturations
  /// among them), and the PEs with the most timer overruns.
  public static func processingElements(_ pes: HDF5Group) throws -> [String] {
    let identity = ["chip", "pe", "slice", "population", "first"]
    let totals = try pes.memberNames.filter { !identity.contains($0) }.map { name in
      [name, Self.count(Self.total(try pes.openDataset(name, as: UInt64.self).read()))]
    }
    var out = ["\nprocessing elements (run totals over \(try pes.openDataset("chip", as: UInt64.self).read().count) PEs)",
               table(["counter", "total"], totals)]
    if pes.contains("overruns") {
      let overruns = try pes.openDataset("overruns", as: UInt64.self).read()
      let chip = try pes.openDataset("chip", as: UInt64.self).read(), pe = try pes.openDataset("pe", as: UInt64.self).read()
      let worst = overruns.indices.filter { overruns[$0] > 0 && overruns[$0] != Self.missing }
        .sorted { overruns[$0] != overruns[$1] ? overruns[$0] > overruns[$1] : $0 < $1 }.prefix(5)
      if !worst.isEmpty {
        out.append("\nmost timer overruns")
        out.append(table(["chip", "pe", "overruns"], worst.map { [Self.count(chip[$0]), Self.count(pe[$0]), Self.count(overruns[$0])] }))
      }
    }
    return out
  }

  /// What a counter of a missing rank file reads as (the virtual datasets' fill value).
  public static let missing = UInt64.max

  /// The sum of the counters that were read, ignoring missing ones.
  public static func total(_ values: [UInt64]) -> UInt64 { values.lazy.filter { $0 != missing }.reduce(0, &+) }

  public static func count(_ value: UInt64) -> String { value == missing ? "missing" : Int(clamping: value).grouped }
}
