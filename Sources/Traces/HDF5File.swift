import CHDF5
import Glibc

/// An open HDF5 file. Objects opened from it keep it open until they are closed too.
public final class HDF5File {
  public let path: String
  let id: hid_t
  private var abandoned = false

  private init(path: String, id: hid_t) {
    self.path = path
    self.id = id
  }

  deinit { if !abandoned { H5Fclose(id) } }

  /// Never writes to the file again, not even on close: after a failed write its in-memory state
  /// is ahead of the disk, and closing would write metadata pointing at data that never got there.
  /// With `flushesOnly` files the disk then holds the file as its last successful flush left it.
  public func abandon() { abandoned = true }

  /// Creates (or truncates) `path`. A missing parent directory is named in the error. With
  /// `flushesOnly`, metadata reaches the disk only at `flush` (the metadata cache never evicts), so
  /// the file on disk is always the state of a completed flush plus raw data it does not yet point to.
  public static func create(_ path: String, flushesOnly: Bool = false) throws -> HDF5File {
    HDF5Library.ensureInitialized()
    let directory = parentDirectory(of: path)
    var info = stat()
    if stat(directory, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
      throw HDF5Error.directoryMissing(path: path, directory: directory)
    }
    var access = ch5_default()
    if flushesOnly {
      access = H5Pcreate(ch5_file_access())
      var config = H5AC_cache_config_t()
      config.version = ch5_cache_config_version()
      H5Pget_mdc_config(access, &config)
      config.evictions_enabled = false
      config.incr_mode = H5C_incr__off
      config.flash_incr_mode = H5C_flash_incr__off
      config.decr_mode = H5C_decr__off
      H5Pset_mdc_config(access, &config)
    }
    defer { if access != ch5_default() { H5Pclose(access) } }
    let id = try HDF5Library.check(
      H5Fcreate(path, ch5_acc_trunc(), ch5_default(), access), "create file", path: path)
    return HDF5File(path: path, id: id)
  }

  /// Opens an existing HDF5 file, read-only unless `writable`.
  public static func open(_ path: String, writable: Bool = false) throws -> HDF5File {
    HDF5Library.ensureInitialized()
    var info = stat()
    guard stat(path, &info) == 0 else { throw HDF5Error.fileNotFound(path: path) }
    // A FIFO or a device would block H5Fis_hdf5's read, or never end it.
    guard info.st_mode & S_IFMT == S_IFREG else { throw HDF5Error.notRegularFile(path: path) }
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

  /// Bytes the file may still grow by: the smaller of what the file-size limit (RLIMIT_FSIZE) and
  /// the file system's free space leave beyond its allocated end.
  public var room: Int {
    var eoa: haddr_t = 0
    H5Fget_eoa(id, &eoa)
    var info = stat()
    let end = max(Int(eoa), stat(path, &info) == 0 ? Int(info.st_size) : 0)
    var limit = rlimit()
    var room = Int.max
    if getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max {
      room = Int(clamping: limit.rlim_cur) - end
    }
    var fs = statvfs()
    if statvfs(HDF5File.parentDirectory(of: path), &fs) == 0 {
      room = min(room, Int(clamping: UInt64(fs.f_bavail) &* UInt64(fs.f_frsize)))
    }
    return room
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
