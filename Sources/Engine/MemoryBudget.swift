#if canImport(Glibc)
import Glibc
#endif

/// The memory one rank may use: the node's available memory (`MemAvailable` of /proc/meminfo)
/// shared by the ranks on the node (`MPI_LOCALNRANKS`, which MPICH's launcher sets; 1 alone), or
/// `NEUROFABRIC_MEMORY_PER_RANK` (bytes, or with a K, M, G or T suffix) where a job is given less
/// than the node has. A run whose estimate exceeds it is refused before it allocates.
enum MemoryBudget {
  /// The memory per rank, nil where unknown; a value of either variable that is not what it must
  /// be is refused by name, never ignored.
  static func availablePerRank() throws(RunError) -> Double? {
    if let text = getenv("NEUROFABRIC_MEMORY_PER_RANK").map({ String(cString: $0) }) {
      guard let bytes = bytes(text) else {
        throw .memory("NEUROFABRIC_MEMORY_PER_RANK=\(text): give a positive number of bytes, or one with a K, M, G or T suffix (e.g. 4G)")
      }
      return bytes
    }
    var local = 1
    if let text = getenv("MPI_LOCALNRANKS").map({ String(cString: $0) }) {
      guard let ranks = Int(text), ranks >= 1 else { throw .memory("MPI_LOCALNRANKS=\(text): the launcher's ranks per node must be a whole number ≥ 1") }
      local = ranks
    }
    guard let file = fopen("/proc/meminfo", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    var available: Double?
    while fgets(&line, Int32(line.count), file) != nil {
      let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if text.hasPrefix("MemAvailable:"), let kb = Double(text.dropFirst(13).split(separator: " ").first ?? "") { available = kb * 1024 }
    }
    return available.map { $0 / Double(local) }
  }

  /// "4G", "512M", "1000000": bytes, or nil.
  static func bytes(_ text: String) -> Double? {
    let scales: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
    let scale = text.last.flatMap { scales[Character($0.uppercased())] }
    guard let value = Double(scale == nil ? text : String(text.dropLast())), value > 0, value.isFinite else { return nil }
    return value * (scale ?? 1)
  }

  /// Why `estimate` does not fit the memory a rank has, or nil.
  static func problem(_ estimate: [(part: String, bytes: Double)], available: Double?) -> String? {
    let total = estimate.reduce(0) { $0 + $1.bytes }
    guard let available, total > available else { return nil }
    func size(_ bytes: Double) -> String {
      let units: [(String, Double)] = [("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10)]
      let (unit, scale) = units.first { bytes >= $0.1 } ?? units[3]
      return "\(Int((bytes / scale).rounded())) \(unit)"
    }
    let parts = estimate.filter { $0.bytes >= total / 100 }.map { "\($0.part) \(size($0.bytes))" }.joined(separator: ", ")
    return "the run needs about \(size(total)) per rank (\(parts)); a rank has \(size(available)) (the node's available memory over its ranks, or NEUROFABRIC_MEMORY_PER_RANK): use a smaller system or network, or more nodes"
  }
}
