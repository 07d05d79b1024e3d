/// A run of consecutive records of a master dataset that one rank file holds. A rank file holds
/// its segments of a dataset in master order, so each segment continues where that rank's
/// previous segment ended.
public struct TraceSegment: Sendable, Equatable {
  public var rank: Int
  public var count: Int

  public init(rank: Int, count: Int) {
    self.rank = rank
    self.count = count
  }
}

/// Everything rank 0 needs to write `trace.h5`: where each record of each dataset lies in the rank files.
public struct TraceLayout: Sendable {
  public struct Population: Sendable {
    public var name: String
    public var size: Int
    /// Spikes in node-id order; nil when the population's spikes are not recorded.
    public var spikeSegments: [TraceSegment]?
    /// Sampled node ids, ascending, and the rank files' columns that hold them.
    public var sampledNodes: [UInt64]
    public var sampleSegments: [TraceSegment]
    /// Rows of membrane samples (the same on every rank), first sample time and interval (ms).
    public var sampleRows: Int
    public var sampleInterval: Double

    public init(name: String, size: Int, spikeSegments: [TraceSegment]?, sampledNodes: [UInt64], sampleSegments: [TraceSegment],
                sampleRows: Int, sampleInterval: Double) {
      self.name = name
      self.size = size
      self.spikeSegments = spikeSegments
      self.sampledNodes = sampledNodes
      self.sampleSegments = sampleSegments
      self.sampleRows = sampleRows
      self.sampleInterval = sampleInterval
    }
  }

  public var rankFiles: [String]
  public var populations: [Population]
  public var linkColumns: [String]
  public var routerColumns: [String]
  /// Columns of `/fabric/pes` (per processing element; empty for systems without PEs).
  public var peColumns: [String]
  public var linkSegments: [TraceSegment]
  public var routerSegments: [TraceSegment]
  public var peSegments: [TraceSegment]
  public var latencyBins: Int
  public var seriesRows: Int
  public var seriesInterval: Double
  /// Spikes from the rank files' `/spikes_by_id` (a finished run: the master is sorted by id), or
  /// from their time-ordered `/spikes` as flushed (a recovered run: concatenated by rank, unsorted).
  public var spikesFlushed = false

  public init(rankFiles: [String], populations: [Population], linkColumns: [String], routerColumns: [String],
              peColumns: [String] = [], linkSegments: [TraceSegment], routerSegments: [TraceSegment],
              peSegments: [TraceSegment] = [], latencyBins: Int, seriesRows: Int, seriesInterval: Double) {
    self.rankFiles = rankFiles
    self.populations = populations
    self.linkColumns = linkColumns
    self.routerColumns = routerColumns
    self.peColumns = peColumns
    self.linkSegments = linkSegments
    self.routerSegments = routerSegments
    self.peSegments = peSegments
    self.latencyBins = latencyBins
    self.seriesRows = seriesRows
    self.seriesInterval = seriesInterval
  }
}

/// Writes the master file `trace.h5` (docs/design-notes.md §8): virtual datasets over the rank files,
/// which concatenate in node-id, link and router order, so the file reads the same for any rank
/// count. Source names are relative, so the run directory can be moved whole. `extra` adds groups
/// at the root (the mapping report).
public enum MasterTraceWriter {
  public static func write(path: String, layout: TraceLayout, provenance: (HDF5Group) throws -> Void,
                           extra: (HDF5Group) throws -> Void = { _ in }) throws {
    let file = try HDF5File.create(path)
    let root = try file.root()
    try SONATA.markFile(root)
    func sources(_ dataset: String, _ segments: [TraceSegment]) -> [VirtualSource] {
      var next = [Int](repeating: 0, count: layout.rankFiles.count)
      var merged: [VirtualSource] = []
      for segment in segments where segment.count > 0 {
        if let last = merged.last, last.file == layout.rankFiles[segment.rank] {
          merged[merged.count - 1].count += segment.count
        } else {
          merged.append(VirtualSource(file: layout.rankFiles[segment.rank], dataset: dataset, count: segment.count,
                                      offset: next[segment.rank]))
        }
        next[segment.rank] += segment.count
      }
      return merged
    }
    let spikeGroup = layout.spikesFlushed ? "spikes" : "spikes_by_id"
    for p in layout.populations {
      if let counts = p.spikeSegments {
        let group = try root.createGroup("spikes/\(p.name)")
        try SONATA.setSorting(group, layout.spikesFlushed ? .none : .byId)
        try group.setAttribute("n_nodes", UInt64(p.size))
        try group.createVirtualDataset("timestamps", of: Double.self, sources: sources("/\(spikeGroup)/\(p.name)/timestamps", counts),
                                       fill: SONATA.missingTime).setAttribute("units", "ms")
        try group.createVirtualDataset("node_ids", of: UInt64.self, sources: sources("/\(spikeGroup)/\(p.name)/node_ids", counts),
                                       fill: SONATA.missingNode)
      }
      let nodes = p.sampledNodes
      guard !nodes.isEmpty else { continue }
      let group = try root.createGroup("report/\(p.name)")
      try group.createVirtualMatrix("data", of: Float.self, rows: p.sampleRows,
                                    sources: sources("/report/\(p.name)/data", p.sampleSegments), fill: .nan)
        .setAttribute("units", "mV")
      let mapping = try group.createGroup("mapping")
      try mapping.createDataset("node_ids", values: nodes).setAttribute("sorted", UInt8(1))
      try mapping.createDataset("index_pointers", values: (0...nodes.count).map { UInt64($0) })
      try mapping.createHardLink("index_pointer", to: "\(mapping.name)/index_pointers")
      try mapping.createDataset("element_ids", values: [UInt32](repeating: 0, count: nodes.count))
      // Sample m (from 0) is the state at the end of step (m+1)·interval, as NEST's multimeter.
      let start = p.sampleInterval, end = start + Double(p.sampleRows) * p.sampleInterval
      try mapping.createDataset("time", values: [start, end, p.sampleInterval]).setAttribute("units", "ms")
    }
    let fabric = try root.createGroup("fabric")
    let links = try fabric.createGroup("links"), routers = try fabric.createGroup("routers")
    for name in layout.linkColumns {
      try links.createVirtualDataset(name, of: UInt64.self, sources: sources("/fabric/links/\(name)", layout.linkSegments), fill: .max)
    }
    for name in layout.routerColumns {
      try routers.createVirtualDataset(name, of: UInt64.self, sources: sources("/fabric/routers/\(name)", layout.routerSegments), fill: .max)
    }
    if !layout.peColumns.isEmpty {
      let pes = try fabric.createGroup("pes")
      for name in layout.peColumns {
        try pes.createVirtualDataset(name, of: UInt64.self, sources: sources("/fabric/pes/\(name)", layout.peSegments), fill: .max)
      }
    }
    if layout.linkSegments.reduce(0, { $0 + $1.count }) > 0 {
      if !layout.linkColumns.isEmpty {
        try links.createVirtualMatrix("latency_histogram", of: UInt64.self, rows: layout.latencyBins,
                                      sources: sources("/fabric/links/latency_histogram", layout.linkSegments), fill: .max)
          .setAttribute("bin_edges_ns", (0..<layout.latencyBins).map { $0 == 0 ? 0 : UInt64(1) << UInt64($0 - 1) })
      }
      let series = try fabric.createGroup("series")
      for name in ["packets", "drops"] {
        try series.createVirtualMatrix(name, of: UInt64.self, rows: layout.seriesRows,
                                       sources: sources("/fabric/series/\(name)", layout.linkSegments), fill: .max)
      }
      try series.createDataset("time", values: [0, Double(layout.seriesRows) * layout.seriesInterval, layout.seriesInterval])
        .setAttribute("units", "ms")
    }
    try provenance(try root.createGroup("provenance"))
    try extra(root)
    try file.flush()
  }
}
