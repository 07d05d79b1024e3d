/// What one rank records of one population: its spikes, and membrane samples of some neurons.
public struct RecordedPopulation: Sendable {
  public var name: String
  public var recordsSpikes: Bool
  /// Node ids (within the population) sampled on this rank, ascending; empty for none.
  public var sampledNodes: [UInt64]
  /// Neurons of the population, and bio ms between its membrane samples (what `recover` needs).
  public var size: Int
  public var sampleInterval: Double

  public init(name: String, recordsSpikes: Bool, sampledNodes: [UInt64], size: Int = 0, sampleInterval: Double = 0) {
    self.name = name
    self.recordsSpikes = recordsSpikes
    self.sampledNodes = sampledNodes
    self.size = size
    self.sampleInterval = sampleInterval
  }
}

/// What every rank file records about its run when it is created, so that a killed or failed run
/// can be recovered from its rank files alone (`neurofabric recover`).
public struct RunHeader {
  /// The run's identity, the same in every file of the run.
  public var runID: UInt64
  /// Bio ms between rows of `/fabric/series`.
  public var seriesInterval: Double
  /// Fills the rank file's `/provenance` as the run's start knows it.
  public var provenance: (HDF5Group) throws -> Void

  public init(runID: UInt64, seriesInterval: Double, provenance: @escaping (HDF5Group) throws -> Void) {
    self.runID = runID
    self.seriesInterval = seriesInterval
    self.provenance = provenance
  }
}

/// The per-rank trace file `rank-NNNNN.h5` (docs/design-notes.md §8), appended during the run.
///
/// - `/spikes/<population>/{timestamps, node_ids}`: a SONATA spike group streamed in time order
///   (`sorting = by_time`), flushed at intervals, so a killed run keeps what was flushed;
/// - `/spikes_by_id/<population>/…`: the same spikes sorted by node id, written when the run ends
///   (the blocks the master file concatenates: node ids are contiguous per rank);
/// - `/report/<population>/data`: membrane samples, time × this rank's sampled neurons;
/// - `/fabric/…`: counters of the links and routers this rank owns;
/// - `/provenance` and the root's `run_id`: the run as it started; the root's `flushed_ms`: the bio
///   time the last flush reached.
/// Spike groups carry `n_nodes`, report data and the series `interval_ms`, so `recover` needs nothing else.
public final class RankTraceWriter: TraceSink {
  public let path: String
  let file: HDF5File
  private let populations: [RecordedPopulation]
  private var timestamps: [HDF5Dataset<Double>?] = []
  private var nodeIds: [HDF5Dataset<UInt64>?] = []
  private var reports: [HDF5Matrix<Float>?] = []
  private var pendingTimes: [[Double]]
  private var pendingNodes: [[UInt64]]
  private var pendingSamples: [[Float]]
  private var pendingSeriesPackets: [UInt64] = []
  private var pendingSeriesDrops: [UInt64] = []
  private var seriesPackets: HDF5Matrix<UInt64>?
  private var seriesDrops: HDF5Matrix<UInt64>?
  private let links: Int

  /// Creates the file; `links` is the number of links this rank owns (columns of the series).
  public init(path: String, populations: [RecordedPopulation], links: Int, header: RunHeader) throws {
    self.path = path
    self.populations = populations
    self.links = links
    file = try HDF5File.create(path, flushesOnly: true)
    let root = try file.root()
    try SONATA.markFile(root)
    try root.setAttribute("run_id", header.runID)
    try root.setAttribute("flushed_ms", 0.0)
    try header.provenance(try root.createGroup("provenance"))
    for p in populations {
      if p.recordsSpikes {
        let group = try root.createGroup("spikes/\(p.name)")
        try SONATA.setSorting(group, .byTime)
        try group.setAttribute("n_nodes", UInt64(p.size))
        let t = try group.createExtendibleDataset("timestamps", of: Double.self)
        try t.setAttribute("units", "ms")
        timestamps.append(t)
        nodeIds.append(try group.createExtendibleDataset("node_ids", of: UInt64.self))
      } else {
        timestamps.append(nil)
        nodeIds.append(nil)
      }
      if p.sampledNodes.isEmpty {
        reports.append(nil)
      } else {
        let group = try root.createGroup("report/\(p.name)")
        let data = try group.createExtendibleMatrix("data", of: Float.self, columns: p.sampledNodes.count)
        try data.setAttribute("units", "mV")
        try data.setAttribute("interval_ms", p.sampleInterval)
        try group.createGroup("mapping").createDataset("node_ids", values: p.sampledNodes)
        reports.append(data)
      }
    }
    if links > 0 {
      let series = try root.createGroup("fabric/series")
      try series.setAttribute("interval_ms", header.seriesInterval)
      seriesPackets = try series.createExtendibleMatrix("packets", of: UInt64.self, columns: links)
      seriesDrops = try series.createExtendibleMatrix("drops", of: UInt64.self, columns: links)
    }
    pendingTimes = populations.map { _ in [] }
    pendingNodes = populations.map { _ in [] }
    pendingSamples = populations.map { _ in [] }
    try file.flush()
  }

  /// Buffers a window's records; spikes go to the file when many are pending.
  public func append(_ records: TraceRecords) throws {
    for i in 0..<records.spikeCount {
      let p = records.spikePopulation[i]
      pendingTimes[p].append(records.spikeTime[i])
      pendingNodes[p].append(records.spikeNode[i])
    }
    for p in records.samples.indices where !records.samples[p].isEmpty { pendingSamples[p].append(contentsOf: records.samples[p]) }
    pendingSeriesPackets.append(contentsOf: records.seriesPackets)
    pendingSeriesDrops.append(contentsOf: records.seriesDrops)
    if pendingTimes.reduce(0, { $0 + $1.count }) >= 1 << 16 { try guarded { try write(toDisk: false) } }
  }

  /// A flush that fails half-way can leave the file's end beyond what reached the disk; one that
  /// would not fit the file-size limit or the free space is refused before it writes: what is
  /// pending (plus `extra`), a new chunk of every dataset it extends, and 256 KiB of metadata
  /// (object headers and chunk indices).
  private func ensureRoom(extra: Int = 0) throws {
    var needed = extra + (1 << 18)
    for p in populations.indices {
      if !pendingTimes[p].isEmpty {
        needed += pendingTimes[p].count * 16 + (timestamps[p]?.chunkBytes ?? 0) + (nodeIds[p]?.chunkBytes ?? 0)
      }
      if !pendingSamples[p].isEmpty { needed += pendingSamples[p].count * 4 + (reports[p]?.chunkBytes ?? 0) }
    }
    if !pendingSeriesPackets.isEmpty {
      needed += (pendingSeriesPackets.count + pendingSeriesDrops.count) * 8 + 2 * (seriesPackets?.chunkBytes ?? 0)
    }
    let room = file.room
    if needed > room {
      throw HDF5Error.noRoom(path: path, needed: needed, room: room)
    }
  }

  /// Runs a write; after a failed one the file is abandoned (`HDF5File.abandon`), so it stays
  /// readable as its last successful flush left it, whatever the disk did.
  private func guarded<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch {
      file.abandon()
      throw error
    }
  }

  /// Writes what is buffered and flushes the file, so a killed run keeps it up to bio time `reached` (ms).
  public func flush(reached: Double) throws {
    try guarded {
      try ensureRoom()
      try write(toDisk: false)
      try file.root().setAttribute("flushed_ms", reached)
      try file.flush()
    }
  }

  /// Writes buffered records; with `toDisk`, also flushes the file.
  func write(toDisk: Bool) throws {
    for p in populations.indices {
      if let t = timestamps[p], let n = nodeIds[p], !pendingTimes[p].isEmpty {
        try t.append(pendingTimes[p])
        try n.append(pendingNodes[p])
        pendingTimes[p].removeAll(keepingCapacity: true)
        pendingNodes[p].removeAll(keepingCapacity: true)
      }
      if let r = reports[p], !pendingSamples[p].isEmpty {
        try r.appendRows(pendingSamples[p])
        pendingSamples[p].removeAll(keepingCapacity: true)
      }
    }
    if !pendingSeriesPackets.isEmpty {
      try seriesPackets?.appendRows(pendingSeriesPackets)
      try seriesDrops?.appendRows(pendingSeriesDrops)
      pendingSeriesPackets.removeAll(keepingCapacity: true)
      pendingSeriesDrops.removeAll(keepingCapacity: true)
    }
    if toDisk { try file.flush() }
  }

  /// Spikes written per population (0 where spikes are not recorded).
  public var spikeCounts: [Int] { timestamps.map { $0?.count ?? 0 } }
  /// Rows of membrane samples written per population.
  public var sampleRows: [Int] { reports.map { $0?.rows ?? 0 } }
  public var seriesRows: Int { seriesPackets?.rows ?? 0 }

  /// Ends the run: writes what is buffered, the spikes sorted by node id, and the fabric totals.
  public func finish(fabric: FabricTotals, attributes: [String: Int64]) throws {
    try guarded { try finishRecords(fabric: fabric, attributes: attributes) }
  }

  private func finishRecords(fabric: FabricTotals, attributes: [String: Int64]) throws {
    try ensureRoom(extra: spikeCounts.reduce(0, +) * 16 + fabric.estimatedBytes)
    try write(toDisk: false)
    let root = try file.root()
    for (p, population) in populations.enumerated() {
      guard let t = timestamps[p], let n = nodeIds[p] else { continue }
      let times = try t.read(), nodes = try n.read()
      let order = nodes.indices.sorted { nodes[$0] != nodes[$1] ? nodes[$0] < nodes[$1] : $0 < $1 }
      let group = try root.createGroup("spikes_by_id/\(population.name)")
      try SONATA.setSorting(group, .byId)
      try group.createDataset("timestamps", values: order.map { times[$0] }).setAttribute("units", "ms")
      try group.createDataset("node_ids", values: order.map { nodes[$0] })
    }
    try fabric.write(to: root.group("fabric"))
    for (name, value) in attributes { try root.setAttribute(name, value) }
    try file.flush()
  }
}
