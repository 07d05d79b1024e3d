#if canImport(Glibc)
import Glibc
#endif
import Model
import Traces

/// A run directory on disk: one HDF5 file per rank and `trace.h5` over them (docs/design-notes.md §8).
public struct RunDirectory: TraceOutput {
  public let path: String

  public init(_ path: String) { self.path = path }

  public func prepare() -> String? { RunFiles.makeDirectory(path) }

  public func makeSink(rank: Int, populations: [RecordedPopulation], seriesColumns: Int) throws -> TraceSink {
    try RankTraceWriter(path: RunFiles.rankFilePath(path, rank), populations: populations, links: seriesColumns)
  }

  public func writeMaster(layout: TraceLayout, provenance: (HDF5Group) throws -> Void, extra: (HDF5Group) throws -> Void) throws {
    try MasterTraceWriter.write(path: masterPath, layout: layout, provenance: provenance, extra: extra)
  }

  public var masterPath: String { path + "/trace.h5" }
}

/// The files of a run directory and what they record.
public enum RunFiles {
  /// Steps between membrane samples of each population (its recording interval, else `defaultInterval`; at least one step).
  public static func sampleSteps(_ network: Network, step: Double, defaultInterval: Double? = nil) -> [Int64] {
    network.populations.map { population in
      let interval = network.recordings.first { $0.population == population.label && $0.variables.contains(.v) }?.interval ?? defaultInterval ?? step
      return max(1, Int64((interval / step).rounded()))
    }
  }

  public static func rankFileName(_ rank: Int) -> String {
    let digits = String(rank)
    return "rank-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".h5"
  }

  static func rankFilePath(_ directory: String, _ rank: Int) -> String { directory + "/" + rankFileName(rank) }

  /// Creates `path` and its parents; nil on success, else why not.
  static func makeDirectory(_ path: String) -> String? {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component + "/"
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
    }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return "not a directory" }
    guard access(path, W_OK) == 0 else { return "directory is not writable" }
    return nil
  }
}
