/// Run totals of the links and routers a rank owns, as named columns (one value per link or router).
public struct FabricTotals: Sendable {
  public var linkColumns: [(name: String, values: [UInt64])]
  /// Transit-time histogram, bins × links, row-major.
  public var latencyHistogram: [UInt64]
  public var latencyBins: Int
  public var routerColumns: [(name: String, values: [UInt64])]
  /// Per processing element (`/fabric/pes`); empty for systems without PEs.
  public var peColumns: [(name: String, values: [UInt64])]

  /// Bytes the totals take in a rank file.
  public var estimatedBytes: Int {
    8 * (latencyHistogram.count + (linkColumns + routerColumns + peColumns).reduce(0) { $0 + $1.values.count })
  }

  public init(linkColumns: [(name: String, values: [UInt64])], latencyHistogram: [UInt64], latencyBins: Int,
              routerColumns: [(name: String, values: [UInt64])], peColumns: [(name: String, values: [UInt64])] = []) {
    self.linkColumns = linkColumns
    self.latencyHistogram = latencyHistogram
    self.latencyBins = latencyBins
    self.routerColumns = routerColumns
    self.peColumns = peColumns
  }

  public var linkCount: Int { linkColumns.first?.values.count ?? 0 }
  public var routerCount: Int { routerColumns.first?.values.count ?? 0 }

  func write(to fabric: HDF5Group) throws {
    let links = try fabric.group("links"), routers = try fabric.group("routers")
    for (name, values) in linkColumns { try links.createDataset(name, values: values) }
    for (name, values) in routerColumns { try routers.createDataset(name, values: values) }
    if !peColumns.isEmpty {
      let pes = try fabric.group("pes")
      for (name, values) in peColumns { try pes.createDataset(name, values: values) }
    }
    if linkCount > 0 {
      try links.createExtendibleMatrix("latency_histogram", of: UInt64.self, columns: linkCount).appendRows(latencyHistogram)
    }
  }
}
