import CHDF5
import Glibc

/// An open HDF5 file. Objects opened from it keep it open until they are closed too.
public final class HDF5File {
  public let path: String
  let id: hid_t

  private init(path: String, id: hid_t) {
    self.path = path
    self.id = id
  }

  deinit { H5Fclose(id) }

  /// Creates (or truncates) `path`. A missing parent directory is named in the error.
  public static func create(_ path: String) throws -> HDF5File {
    HDF5Library.ensureInitialized()
    let directory = parentDirectory(of: path)
    var info = stat()
    if stat(directory, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
      throw HDF5Error.directoryMissing(path: path, directory: directory)
    }
    let id = try HDF5Library.check(
      H5Fcreate(path, ch5_acc_trunc(), ch5_default(), ch5_default()), "create file", path: path)
    return HDF5File(path: path, id: id)
  }

  /// Opens an existing HDF5 file, read-only unless `writable`.
  public static func open(_ path: String, writable: Bool = false) throws -> HDF5File {
    HDF5Library.ensureInitialized()
    guard access(path, F_OK) == 0 else { throw HDF5Error.fileNotFound(path: path) }
    guard H5Fis_hdf5(path) > 0 else { throw HDF5Error.notHDF5(path: path) }
    let id = try HDF5Library.check(
      H5Fopen(path, writable ? ch5_acc_rdwr() : ch5_acc_rdonly(), ch5_default()), "open file", path: path)
    return HDF5File(path: path, id: id)
  }

  /// The root group "/".
  public func root() throws -> HDF5Group {
    let gid = try HDF5Library.check(H5Gopen2(id, "/", ch5_default()), "open group", path: path, object: "/")
    return HDF5Group(id: gid, filePath: path, name: "/")
  }

  /// Opens the group at an absolute path, e.g. "/spikes/exc".
  public func group(_ name: String) throws -> HDF5Group {
    try root().openGroup(name)
  }

  /// Writes everything buffered so far to disk (what a killed run keeps).
  public func flush() throws {
    try HDF5Library.check(H5Fflush(id, H5F_SCOPE_LOCAL), "flush", path: path)
  }

  static func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let parent = String(path[..<slash])
    return parent.isEmpty ? "/" : parent
  }
}
