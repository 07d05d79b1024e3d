#if canImport(Glibc)
import Glibc
#endif
import Model
import Traces

/// A run directory on disk: one HDF5 file per rank and `trace.h5` over them (docs/design-notes.md §8).
public struct RunDirectory: TraceOutput {
  public let path: String

  public init(_ path: String) { self.path = path }

  /// Creates the directory; one that holds a run (`trace.h5` or rank files) is refused, or with
  /// `overwrite` emptied of them: `trace.h5` first, so no master file is left over rank files that
  /// are gone or belong to the new run, then every rank file, also those of a run on more ranks.
  public func prepare(overwrite: Bool) -> String? {
    if let reason = RunFiles.makeDirectory(path) { return reason }
    if !overwrite, let held = heldRun() { return held }
    for name in RunFiles.runFiles(in: path) where unlink(path + "/" + name) != 0 && errno != ENOENT {
      return "cannot remove \(name) of the earlier run: \(String(cString: strerror(errno)))"
    }
    return nil
  }

  /// Creates the directory and claims it for one writer (`OutputClaim`); a directory made here and
  /// left empty (a run that failed before writing) is removed again at release.
  public func claim(command: String) throws(OutputClaimError) -> OutputClaim {
    let existed = access(path, F_OK) == 0
    if let reason = RunFiles.makeDirectory(path) { throw .unwritable(output: path, lock: OutputClaim.lockPath(directory: path), reason: reason) }
    var claim = try OutputClaim.claim(directory: path, command: command)
    if !existed { claim.made(directory: path) }
    return claim
  }

  /// Why the directory cannot take a run without `--overwrite`: the run it holds, or nil.
  public func heldRun() -> String? {
    let held = RunFiles.runFiles(in: path)
    guard !held.isEmpty else { return nil }
    let ranks = held.filter { $0 != "trace.h5" }.count
    let what = [held.contains("trace.h5") ? "trace.h5" : nil, ranks > 0 ? "\(ranks) rank file\(ranks == 1 ? "" : "s")" : nil]
      .compactMap { $0 }.joined(separator: " and ")
    let command = (try? HDF5File.open(masterPath).root().openGroup("provenance").stringAttribute("command").first).flatMap { $0 }
    return "holds a run (\(what)\(command.map { ", made by: \($0)" } ?? "")); choose another --out, or pass --overwrite to replace it"
  }

  public func makeSink(rank: Int, populations: [RecordedPopulation], seriesColumns: Int, header: RunHeader) throws -> TraceSink {
    try RankTraceWriter(path: RunFiles.rankFilePath(path, rank), populations: populations, links: seriesColumns, header: header)
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

  /// The rank whose file `name` is (`rankFileName`'s inverse), or nil.
  static func rank(ofFileName name: String) -> Int? {
    guard name.hasPrefix("rank-"), name.hasSuffix(".h5"), let rank = Int(name.dropFirst(5).dropLast(3)), rank >= 0,
          rankFileName(rank) == name else { return nil }
    return rank
  }

  /// The files of a run in `directory`: `trace.h5` first, then every `rank-NNNNN.h5`, ascending.
  static func runFiles(in directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name == "trace.h5" || rank(ofFileName: name) != nil {
        names.append(name)
      }
    }
    return names.sorted { ($0 == "trace.h5" ? 0 : 1, $0) < ($1 == "trace.h5" ? 0 : 1, $1) }
  }

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
