import Traces

/// Why a run directory cannot be recovered, naming the file.
public enum RecoveryError: Error, CustomStringConvertible {
  case hasMaster(path: String)
  case noRankFiles(directory: String)
  case unreadable(path: String, reason: String)
  case notARankFile(path: String)
  case otherRun(path: String, runID: UInt64, expected: UInt64)
  case missingRanks(directory: String, missing: [Int], ranks: Int)
  case write(path: String, reason: String)
  case count(StoredCountError)

  public var description: String {
    switch self {
    case let .hasMaster(path):
      return "\(path) exists: the run is complete or already recovered (inspect it; remove it to recover again)"
    case let .noRankFiles(directory):
      return "\(directory) holds no rank files (rank-NNNNN.h5)"
    case let .unreadable(path, reason):
      return "\(path) does not open (\(reason)): its records are lost; the other rank files cannot make a whole run"
    case let .notARankFile(path):
      return "\(path) has no /provenance and run_id: it was written by a release without recovery, or is not a rank file"
    case let .otherRun(path, runID, expected):
      return "\(path) belongs to another run (run_id \(String(runID, radix: 16)), rank 0's is \(String(expected, radix: 16)))"
    case let .missingRanks(directory, missing, ranks):
      let listed = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", … (\(missing.count) in all)" : "")
      return "\(directory): the run had \(ranks) ranks; the rank files of rank \(listed) are missing"
    case let .write(path, reason):
      return "cannot write \(path): \(reason)"
    case let .count(error):
      return error.description
    }
  }
}

/// What `recover` made of a run directory.
public struct RecoverySummary: Sendable {
  public var path: String
  public var ranks: Int
  public var spikes: Int
  /// Bio time every rank had flushed (ms): the recovered trace is whole up to here.
  public var reached: Double
}

/// Writes `trace.h5` for a run that was killed or failed before writing it, from its rank files
/// alone: each rank file records the run's provenance and identity at its start, and its spikes
/// (in time order), membrane samples and link series up to its last flush. The master concatenates
/// each rank's records as flushed: spikes unsorted (`sorting = none`), samples and series up to the
/// rows every rank reached; run totals (`/fabric/links`, `/fabric/routers`) were never written and
/// are absent. `/provenance` says `complete = 0`, `recovered = 1`, and `bio_time_ms` up to which
/// every rank had flushed.
public enum RunRecovery {
  public static func recover(_ directory: String) throws(RecoveryError) -> RecoverySummary {
    let files = RunFiles.runFiles(in: directory)
    let masterPath = directory + "/trace.h5"
    if files.contains("trace.h5") { throw .hasMaster(path: masterPath) }
    guard !files.isEmpty else { throw .noRankFiles(directory: directory) }
    var rankFiles: [(rank: Int, name: String, root: HDF5Group, file: HDF5File)] = []
    var runID: UInt64?, ranks = 0
    for name in files {
      let path = directory + "/" + name
      let file: HDF5File, root: HDF5Group
      do {
        file = try HDF5File.open(path)
        root = try file.root()
      } catch {
        throw .unreadable(path: path, reason: "\(error)")
      }
      guard root.hasAttribute("run_id"), root.contains("provenance"),
            let id = try? root.attribute("run_id", as: UInt64.self).first,
            let count = try? root.openGroup("provenance").attribute("ranks", as: Double.self).first
      else { throw .notARankFile(path: path) }
      if let runID, id != runID { throw .otherRun(path: path, runID: id, expected: runID) }
      runID = id
      let rank = RunFiles.rank(ofFileName: name)!
      do throws(StoredCountError) {
        let said = try StoredCount.ranks(count, file: path)
        // Every rank file of one run says the same rank count, its own rank as its name does, and
        // a flush time that is one (recover takes the least as the time the trace is whole to).
        if ranks != 0, said != ranks {
          throw StoredCountError(file: path, attribute: "/provenance ranks", value: String(said), bound: "\(ranks), as the other rank files say")
        }
        ranks = said
        if root.hasAttribute("rank"), let own = try? root.attribute("rank", as: Int64.self).first, own != Int64(rank) {
          throw StoredCountError(file: path, attribute: "rank", value: String(own), bound: "\(rank), as its name says")
        }
        if root.hasAttribute("flushed_ms"), let flushed = try? root.attribute("flushed_ms", as: Double.self).first,
           !(flushed.isFinite && flushed >= 0 && flushed <= Self.duration(of: root)) {
          throw StoredCountError(file: path, attribute: "flushed_ms", value: String(flushed), bound: "a time in 0…\(Self.duration(of: root)) ms (its duration)")
        }
      } catch { throw .count(error) }
      rankFiles.append((rank, name, root, file))
    }
    let present = Set(rankFiles.map(\.rank))
    let missing = (0..<ranks).filter { !present.contains($0) }
    guard missing.isEmpty, rankFiles.count == ranks else {
      throw .missingRanks(directory: directory, missing: missing.isEmpty ? rankFiles.map(\.rank).filter { $0 >= ranks } : missing, ranks: ranks)
    }
    rankFiles.sort { $0.rank < $1.rank }
    do {
      let layout = try recoveredLayout(rankFiles.map { ($0.name, $0.root) })
      let reached = try rankFiles.map { try $0.root.attribute("flushed_ms", as: Double.self).first ?? 0 }.min() ?? 0
      let provenance = try rankFiles[0].root.openGroup("provenance")
      try MasterTraceWriter.write(path: masterPath, layout: layout) { group throws in
        try copyProvenance(provenance, to: group)
        try group.setAttribute("complete", Int64(0))
        try group.setAttribute("recovered", Int64(1))
        try group.setAttribute("bio_time_ms", reached)
        try group.setAttribute("stopped_by", "a kill or failure before trace.h5 was written (recovered from the rank files)")
      }
      let spikes = layout.populations.reduce(0) { $0 + ($1.spikeSegments?.reduce(0) { $0 + $1.count } ?? 0) }
      return RecoverySummary(path: masterPath, ranks: ranks, spikes: spikes, reached: reached)
    } catch {
      throw .write(path: masterPath, reason: "\(error)")
    }
  }

  /// The layout of the records the rank files hold as flushed.
  /// A rank file's run duration in ms (`/provenance duration_ms`), the latest a flush can reach; ∞ if absent.
  static func duration(of root: HDF5Group) -> Double {
    guard let provenance = try? root.openGroup("provenance"), provenance.hasAttribute("duration_ms"),
          let duration = try? provenance.attribute("duration_ms", as: Double.self).first, duration.isFinite else { return .infinity }
    return duration
  }

  static func recoveredLayout(_ files: [(name: String, root: HDF5Group)]) throws -> TraceLayout {
    var names: [String] = []
    for (_, root) in files {
      for group in ["spikes", "report"] where root.contains(group) {
        for name in try root.openGroup(group).memberNames where !names.contains(name) { names.append(name) }
      }
    }
    var populations: [TraceLayout.Population] = []
    for name in names.sorted() {
      var size = 0, spikeSegments: [TraceSegment]?
      var samples: [(node: UInt64, rank: Int)] = [], rows = Int.max, interval = 0.0
      for (rank, (_, root)) in files.enumerated() {
        if root.contains("spikes/\(name)") {
          let group = try root.openGroup("spikes/\(name)")
          size = try StoredCount.nodes(try group.attribute("n_nodes", as: Double.self).first, file: files[rank].name,
                                       attribute: "/spikes/\(name) n_nodes")
          let count = min(try group.openDataset("timestamps", as: Double.self).count, try group.openDataset("node_ids", as: UInt64.self).count)
          spikeSegments = (spikeSegments ?? []) + [TraceSegment(rank: rank, count: count)]
        }
        if root.contains("report/\(name)") {
          let group = try root.openGroup("report/\(name)")
          let data = try group.openMatrix("data", as: Float.self)
          rows = min(rows, data.rows)
          interval = try data.attribute("interval_ms", as: Double.self).first ?? 0
          samples += try group.openDataset("mapping/node_ids", as: UInt64.self).read().map { ($0, rank) }
        }
      }
      // Sampled nodes ascending across ranks, as runs of columns of one rank.
      samples.sort { $0.node < $1.node }
      var segments: [TraceSegment] = []
      for s in samples {
        if let last = segments.last, last.rank == s.rank { segments[segments.count - 1].count += 1 } else { segments.append(TraceSegment(rank: s.rank, count: 1)) }
      }
      populations.append(TraceLayout.Population(name: name, size: size, spikeSegments: spikeSegments, sampledNodes: samples.map(\.node),
                                                sampleSegments: segments, sampleRows: samples.isEmpty ? 0 : rows, sampleInterval: interval))
    }
    var seriesSegments: [TraceSegment] = [], seriesRows = Int.max, seriesInterval = 0.0
    for (rank, (_, root)) in files.enumerated() where root.contains("fabric/series/packets") {
      let packets = try root.openMatrix("fabric/series/packets", as: UInt64.self)
      let drops = try root.openMatrix("fabric/series/drops", as: UInt64.self)
      seriesRows = min(seriesRows, packets.rows, drops.rows)
      seriesInterval = try root.openGroup("fabric/series").attribute("interval_ms", as: Double.self).first ?? 0
      seriesSegments.append(TraceSegment(rank: rank, count: packets.columns))
    }
    var layout = TraceLayout(rankFiles: files.map(\.name), populations: populations, linkColumns: [], routerColumns: [],
                             linkSegments: seriesSegments, routerSegments: [], latencyBins: 0,
                             seriesRows: seriesSegments.isEmpty ? 0 : seriesRows, seriesInterval: seriesInterval)
    layout.spikesFlushed = true
    return layout
  }

  /// The provenance a rank file recorded at the start of the run.
  static func copyProvenance(_ from: HDF5Group, to group: HDF5Group) throws {
    for name in ["command", "version", "network", "system", "family", "mismatch"] where from.hasAttribute(name) {
      try group.setAttribute(name, try from.stringAttribute(name).first ?? "")
    }
    for name in ["seed", "run_id"] where from.hasAttribute(name) {
      try group.setAttribute(name, try from.attribute(name, as: UInt64.self).first ?? 0)
    }
    for name in ["ranks", "windows"] where from.hasAttribute(name) {
      try group.setAttribute(name, try from.attribute(name, as: Int64.self).first ?? 0)
    }
    for name in ["lookahead_ms", "duration_ms", "dt_ms", "speedup"] where from.hasAttribute(name) {
      try group.setAttribute(name, try from.attribute(name, as: Double.self).first ?? 0)
    }
  }
}
