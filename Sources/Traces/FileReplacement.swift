#if canImport(Glibc)
import Glibc
#endif

extension HDF5File {
  /// Writes a whole file at `path` without ever leaving half of one there: `body` fills a new file
  /// beside it (`.NAME.partial`), which is closed and then renamed over `path` in one step. A
  /// failed or interrupted write leaves `path` as it was.
  public static func replace(_ path: String, _ body: (HDF5Group) throws -> Void) throws {
    let slash = path.lastIndex(of: "/")
    let partial = parentDirectory(of: path) + "/." + (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".partial"
    defer { unlink(partial) }
    try {  // the file closes when this closure returns
      let file = try create(partial)
      try body(file.root())
      try file.flush()
    }()
    guard rename(partial, path) == 0 else {
      throw HDF5Error.library(operation: "rename the written file into place", path: path, object: "", stack: [String(cString: strerror(errno))])
    }
  }
}
