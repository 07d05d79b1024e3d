import ArgumentParser
import Engine
import Foundation
import Traces

/// `neurofabric inspect`: a summary of a run's `trace.h5`.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Summarise a trace: spikes and rates per population, busiest links, drops, timers.",
    discussion: """
      Reads the master file of a run (its virtual datasets pull from the rank files beside it) and \
      prints the populations with spike counts and mean rates, the ten busiest links and drops by \
      cause (SpiNNaker, ideal) or every fabric counter's total and the chips or HICANNs with the \
      most drops (BrainScaleS), and the provenance with phase timers. A missing rank file shows up \
      as missing values.

      Example:
        neurofabric inspect runs/brunel/trace.h5
      """
  )

  @Argument(help: "A trace.h5 written by `neurofabric run`.")
  var trace: String

  func run() throws {
    do {
      print(try summary())
    } catch {
      printError("neurofabric inspect: \(error)")
      throw ExitCode.failure
    }
  }

  private func summary() throws -> String {
    let file = try HDF5File.open(trace)
    let root = try file.root()
    let provenance = try root.openGroup("provenance")
    let duration = try provenance.attribute("duration_ms", as: Double.self).first ?? 0
    var out: [String] = []
    out.append("trace \(trace)")
    for name in ["command", "version", "network", "system"] {
      out.append("  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(try provenance.stringAttribute(name).first ?? "")")
    }
    let seed = try provenance.attribute("seed", as: UInt64.self).first ?? 0
    let ranks = try provenance.attribute("ranks", as: Int64.self).first ?? 0
    let windows = try provenance.attribute("windows", as: Int64.self).first ?? 0
    out.append("  seed \(seed), \(ranks) ranks, \(Int(windows).grouped) windows, \(duration) ms bio")

    out.append("\npopulations")
    var rows: [[String]] = []
    var missing = 0
    if root.contains("spikes") {
      let spikes = try root.openGroup("spikes")
      for name in spikes.memberNames {
        let group = try spikes.openGroup(name)
        let times = try group.openDataset("timestamps", as: Double.self).read()
        missing += times.filter(\.isNaN).count
        let size = try group.attribute("n_nodes", as: UInt64.self).first ?? 0
        let rate = size > 0 && duration > 0 ? Double(times.count) / Double(size) / (duration / 1000) : 0
        rows.append([name, Int(size).grouped, times.count.grouped, String(format: "%.2f", rate)])
      }
    }
    out.append(table(["population", "neurons", "spikes", "mean rate (Hz)"], rows))
    if missing > 0 { out.append("  WARNING: \(missing) spikes read as NaN: a rank file is missing") }

    let links = try root.openGroup("fabric/links")
    if links.contains("source") { out += try linkSummary(root) } else { out += try counterSummary(root) }

    let phases = try provenance.stringAttribute("phases")
    let seconds = try provenance.attribute("phase_seconds", as: Double.self)
    let memory = try provenance.attribute("peak_memory_bytes", as: Int64.self).first ?? 0
    out.append("\ntimers")
    out.append(table(["phase", "seconds"], zip(phases, seconds).map { [$0, String(format: "%.3f", $1)] }))
    out.append("  peak memory \(String(format: "%.1f", Double(memory) / 1_048_576)) MiB per rank (largest)")
    return out.joined(separator: "\n")
  }

  /// Chip-to-chip links (SpiNNaker, ideal): the busiest links and drops by cause.
  private func linkSummary(_ root: HDF5Group) throws -> [String] {
    var out: [String] = []
    let links = try root.openGroup("fabric/links")
    let source = try links.openDataset("source", as: UInt64.self).read()
    let target = try links.openDataset("target", as: UInt64.self).read()
    let packets = try links.openDataset("packets", as: UInt64.self).read()
    let queue = try links.openDataset("max_queue", as: UInt64.self).read()
    var drops: [(String, [UInt64])] = []
    for name in links.memberNames where name.hasPrefix("drops_") {
      drops.append((String(name.dropFirst(6)), try links.openDataset(name, as: UInt64.self).read()))
    }
    let totalDrops = packets.indices.map { l in drops.reduce(0) { $0 + $1.1[l] } }
    let busiest = packets.indices.sorted { packets[$0] != packets[$1] ? packets[$0] > packets[$1] : $0 < $1 }.prefix(10)
    out.append("\nbusiest links (of \(packets.count))")
    out.append(table(["link", "chips", "packets", "drops", "max queue"], busiest.map { l in
      [String(l), "\(source[l]) → \(target[l])", Int(packets[l]).grouped, Int(totalDrops[l]).grouped, String(queue[l])]
    }))
    out.append("\ndrops by cause")
    out.append(table(["cause", "packets"], drops.map { [$0.0, Int($0.1.reduce(0, +)).grouped] }))
    let late = try root.openGroup("fabric/routers").openDataset("late_events", as: UInt64.self).read().reduce(0, +)
    if late > 0 { out.append("  synaptic events delivered late (fabric slower than the delay): \(Int(late).grouped)") }

    return out
  }

  /// BrainScaleS traces (per chip or HICANN, no chip-to-chip links): every counter's total, numbered
  /// columns (per PADI bus, per crossbar input) summed, and the ten rows with the most drops.
  private func counterSummary(_ root: HDF5Group) throws -> [String] {
    let routers = try root.openGroup("fabric/routers")
    let identity = ["chip", "hicann", "wafer", "x", "y", "reticle"]
    var totals: [(String, UInt64)] = []
    for name in routers.memberNames where !identity.contains(name) {
      let family = name.replacingOccurrences(of: #"_\d+$"#, with: "", options: .regularExpression)
      let sum = try routers.openDataset(name, as: UInt64.self).read().reduce(0, +)
      if let i = totals.firstIndex(where: { $0.0 == family }) { totals[i].1 += sum } else { totals.append((family, sum)) }
    }
    var out = ["\nfabric counters (run totals)", table(["counter", "events"], totals.map { [$0.0, Int($0.1).grouped] })]
    let unit = routers.contains("hicann") ? "hicann" : "chip"
    let id = try routers.openDataset(unit, as: UInt64.self).read()
    let drops = try routers.openDataset("drops", as: UInt64.self).read()
    let worst = drops.indices.filter { drops[$0] > 0 }.sorted { drops[$0] != drops[$1] ? drops[$0] > drops[$1] : $0 < $1 }.prefix(10)
    if !worst.isEmpty {
      out.append("\nmost drops (of \(drops.count) \(unit == "hicann" ? "HICANNs" : "chips"))")
      out.append(table([unit, "drops"], worst.map { [String(id[$0]), Int(drops[$0]).grouped] }))
    }
    return out
  }
}
