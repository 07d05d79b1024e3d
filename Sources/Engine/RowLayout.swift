import Fabric
import Traces

extension TraceLayout {
  /// The layout of a family whose fabric counters have one link row and one router row per chip
  /// (or HICANN), the rows in chip order, chip c in the file of rank `rowOwners[c]`.
  init(rankFiles: [String], populations: [Population], fabric: FabricTotals, rowOwners: [Int], seriesRows: Int, seriesInterval: Double) {
    let rows = rowOwners.map { TraceSegment(rank: $0, count: 1) }
    self.init(rankFiles: rankFiles, populations: populations,
              linkColumns: fabric.linkColumns.map(\.name), routerColumns: fabric.routerColumns.map(\.name),
              linkSegments: rows, routerSegments: rows,
              latencyBins: FabricCounters.latencyBins, seriesRows: seriesRows, seriesInterval: seriesInterval)
  }
}
