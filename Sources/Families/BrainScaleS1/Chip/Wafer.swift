/// The HICANN grid of one BrainScaleS-1 wafer (docs/hardware.md §1.1, §1.2): 384 HICANNs on the sparse
/// 36 × 16 grid (rows of 12, 12, 20, 20, 28, 28, 36, 36, 36, 36, 28, 28, 20, 20, 12, 12, centred;
/// halco lookup_tables.cpp), numbered row-major; 48 reticles of 4 × 2 HICANNs, one FPGA each.
public enum Wafer {
  public static let width = 36, height = 16
  public static let rowWidths = [12, 12, 20, 20, 28, 28, 36, 36, 36, 36, 28, 28, 20, 20, 12, 12]
  public static let hicanns = 384
  public static let reticles = 48

  /// (x, y) of each HICANN, in enum order.
  public static let coordinates: [(x: Int, y: Int)] = rowWidths.enumerated().flatMap { y, w in
    ((width - w) / 2..<((width + w) / 2)).map { (x: $0, y: y) }
  }

  /// HICANN enum at (x, y), or nil off the wafer.
  public static func hicann(x: Int, y: Int) -> Int? {
    guard (0..<height).contains(y), (0..<width).contains(x) else { return nil }
    return grid[y * width + x] >= 0 ? Int(grid[y * width + x]) : nil
  }

  private static let grid: [Int16] = {
    var g = [Int16](repeating: -1, count: width * height)
    for (i, c) in coordinates.enumerated() { g[c.y * width + c.x] = Int16(i) }
    return g
  }()

  /// Reticle (FPGA) of each HICANN: 4 × 2 blocks, numbered row-major over the 48 that exist.
  public static let reticleOf: [Int] = {
    var index: [Int: Int] = [:]
    return coordinates.map { c in
      let key = (c.y / 2) * 9 + c.x / 4
      if let r = index[key] { return r }
      index[key] = index.count
      return index[key]!
    }
  }()
}
