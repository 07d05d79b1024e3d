import CMETIS
import Synchronization

/// k-way graph partitioning with METIS (Debian's libmetis-dev): balanced parts by vertex weights
/// (one or more constraints), minimal weight of cut edges. Deterministic for a given seed; calls
/// are serialised because METIS draws from a process-wide random state.
public enum GraphPartitioner {
  private static let metis = Mutex(())

  /// The part of each vertex. Weights are scaled to METIS's 32-bit integers.
  public static func partition(_ graph: WeightedGraph, vertexWeights: [[Double]], parts: Int,
                               seed: UInt64) throws(MappingError) -> [Int] {
    let n = graph.vertexCount
    guard parts > 1, n > parts else { return (0..<n).map { $0 * max(1, parts) / max(1, n) } }
    let constraints = vertexWeights.first?.count ?? 1
    var vwgt = [idx_t](repeating: 1, count: n * constraints)
    for c in 0..<constraints {
      let top = vertexWeights.map { $0[c] }.max() ?? 1
      for v in 0..<n { vwgt[v * constraints + c] = idx_t(max(1, (vertexWeights[v][c] / max(top, 1e-300) * 1000).rounded())) }
    }
    // Edge weights: the heaviest edge becomes 10^4, keeping the total below 2^30.
    let total = graph.weights.reduce(0, +), top = graph.weights.max() ?? 1
    let scale = min(10_000 / max(top, 1e-300), 1e9 / max(total, 1e-300))
    var adjwgt = graph.weights.map { idx_t(max(1, ($0 * scale).rounded())) }
    var xadj = graph.offsets.map { idx_t($0) }
    var adjncy = graph.neighbours.map { idx_t($0) }
    var nvtxs = idx_t(n), ncon = idx_t(constraints), nparts = idx_t(parts)
    var ubvec = [real_t](repeating: 1.03, count: constraints)
    var options = [idx_t](repeating: 0, count: Int(METIS_NOPTIONS))
    METIS_SetDefaultOptions(&options)
    options[Int(METIS_OPTION_SEED.rawValue)] = idx_t(truncatingIfNeeded: seed & 0x7fff_ffff)
    var cut: idx_t = 0
    var part = [idx_t](repeating: 0, count: n)
    let status = metis.withLock { _ in
      METIS_PartGraphKway(&nvtxs, &ncon, &xadj, &adjncy, &vwgt, nil, &adjwgt, &nparts, nil, &ubvec, &options, &cut, &part)
    }
    guard status == METIS_OK.rawValue else {
      throw .partitionerFailed("METIS_PartGraphKway returned \(status) for \(n) vertices, \(parts) parts")
    }
    return part.map { Int($0) }
  }
}
