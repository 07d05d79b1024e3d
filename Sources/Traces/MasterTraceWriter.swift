/// Everything rank 0 needs to write `trace.h5`: what each rank file holds, as counts per rank.
public struct TraceLayout: Sendable {
  public struct Population: Sendable {
    public var name: String
    public var size: Int
    /// Spikes in each rank file; nil when the population's spikes are not recorded.
    public var spikeCounts: [Int]?
    /// Sampled node ids of each rank, ascending and contiguous in rank order.
    public var sampledNodes: [[UInt64]]
    /// Rows of membrane samples (the same on every rank), first sample time and interval (ms).
    public var sampleRows: Int
    public var sampleInterval: Double

    public init(name: String, size: Int, spikeCounts: [Int]?, sampledNodes: [[UInt64]], sampleRows: Int, sampleInterval: Double) {
      self.name = name
      self.size = size
      self.spikeCounts = spikeCounts
      self.sampledNodes = sampledNodes
      self.sampleRows = sampleRows
      self.sampleInterval = sampleInterval
    }
  }

  public var rankFiles: [String]
  public var populations: [Population]
  public var linkColumns: [String]
  public var routerColumns: [String]
  public var linksPerRank: [Int]
  public var routersPerRank: [Int]
  public var latencyBins: Int
  public var seriesRows: Int
  public var seriesInterval: Double

  public init(rankFiles: [String], populations: [Population], 
              linkColumns: [String], routerColumns: [String], linksPerRank: [Int], routersPerRank: [Int],
              latencyBins: Int, seriesRows: Int, seriesInterval: Double) {
    self.rankFiles = rankFiles
    self.populations = populations
    self.linkColumns = linkColumns
    self.routerColumns = routerColumns
    self.linksPerRank = linksPerRank
    self.routersPerRank = routersPerRank
    self.latencyBins = latencyBins
    self.seriesRows = seriesRows
    self.seriesInterval = seriesInterval
  }
}

/// Writes the master file `trace.h5` (ARCHITECTURE.md §8): virtual datasets over the rank files,
/// which concatenate in node-id and link order, so the file reads the same for any rank count.
/// Source names are relative, so the run directory can be moved whole.
public enum MasterTraceWriter {
  public static func write(path: String, layout: TraceLayout, provenance: (HDF5Group) throws -> Void) throws {
    let file = try HDF5File.create(path)
    let root = try file.root()
    try SONATA.markFile(root)
    func sources(_ dataset: String, _ counts: [Int]) -> [VirtualSource] {
      zip(layout.rankFiles, counts).map { VirtualSource(file: $0, dataset: dataset, count: $1) }
    }
    for p in layout.populations {
      if let counts = p.spikeCounts {
        let group = try root.createGroup("spikes/\(p.name)")
        try SONATA.setSorting(group, .byId)
        try group.setAttribute("n_nodes", UInt64(p.size))
        try group.createVirtualDataset("timestamps", of: Double.self, sources: sources("/spikes_by_id/\(p.name)/timestamps", counts),
                                       fill: SONATA.missingTime).setAttribute("units", "ms")
        try group.createVirtualDataset("node_ids", of: UInt64.self, sources: sources("/spikes_by_id/\(p.name)/node_ids", counts),
                                       fill: SONATA.missingNode)
      }
      let nodes = Array(p.sampledNodes.joined())
      guard !nodes.isEmpty else { continue }
      let group = try root.createGroup("report/\(p.name)")
      try group.createVirtualMatrix("data", of: Float.self, rows: p.sampleRows,
                                    sources: sources("/report/\(p.name)/data", p.sampledNodes.map(\.count)), fill: .nan)
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
      try links.createVirtualDataset(name, of: UInt64.self, sources: sources("/fabric/links/\(name)", layout.linksPerRank), fill: .max)
    }
    for name in layout.routerColumns {
      try routers.createVirtualDataset(name, of: UInt64.self, sources: sources("/fabric/routers/\(name)", layout.routersPerRank), fill: .max)
    }
    if layout.linksPerRank.reduce(0, +) > 0 {
      try links.createVirtualMatrix("latency_histogram", of: UInt64.self, rows: layout.latencyBins,
                                    sources: sources("/fabric/links/latency_histogram", layout.linksPerRank), fill: .max)
        .setAttribute("bin_edges_ns", (0..<layout.latencyBins).map { $0 == 0 ? 0 : UInt64(1) << UInt64($0 - 1) })
      let series = try fabric.createGroup("series")
      for name in ["packets", "drops"] {
        try series.createVirtualMatrix(name, of: UInt64.self, rows: layout.seriesRows,
                                       sources: sources("/fabric/series/\(name)", layout.linksPerRank), fill: .max)
      }
      try series.createDataset("time", values: [0, Double(layout.seriesRows) * layout.seriesInterval, layout.seriesInterval])
        .setAttribute("units", "ms")
    }
    try provenance(try root.createGroup("provenance"))
    try file.flush()
  }
}
