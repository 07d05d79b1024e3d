import CHDF5

/// A failed HDF5 operation, naming the file and object, with HDF5's own error-stack text.
public enum HDF5Error: Error, CustomStringConvertible, Equatable {
  case fileNotFound(path: String)
  case notHDF5(path: String)
  case notRegularFile(path: String)
  case directoryMissing(path: String, directory: String)
  case objectNotFound(path: String, object: String)
  case typeMismatch(path: String, object: String, expected: String)
  case library(operation: String, path: String, object: String, stack: [String])
  /// A write that would not fit the file-size limit or the free space (refused before writing).
  case noRoom(path: String, needed: Int, room: Int)

  public var description: String {
    switch self {
    case let .fileNotFound(path):
      return "\(path): no such file"
    case let .notHDF5(path):
      return "\(path): not an HDF5 file"
    case let .notRegularFile(path):
      return "\(path): not a regular file (a directory, FIFO or device): give an HDF5 file"
    case let .directoryMissing(path, directory):
      return "\(path): cannot create the file, directory '\(directory)' does not exist"
    case let .objectNotFound(path, object):
      return "\(path): no object '\(object)'"
    case let .typeMismatch(path, object, expected):
      return "\(path): '\(object)' is not \(expected)"
    case let .noRoom(path, needed, room):
      return "\(path): no room for the next write (about \(needed / 1024) KiB; the file-size limit or the free space leaves \(max(0, room) / 1024) KiB): the file keeps what its last flush wrote"
    case let .library(operation, path, object, stack):
      let location = object.isEmpty ? path : "\(path):\(object)"
      let detail = stack.isEmpty ? "" : "\n  " + stack.joined(separator: "\n  ")
      return "\(location): \(operation) failed\(detail)"
    }
  }
}

/// Turns HDF5's automatic error printing off, and reads its error stack into Swift errors.
enum HDF5Library {
  /// Opens the library and silences automatic error printing for the calling thread (the
  /// thread-safe build keeps one error stack, and one printing switch, per thread).
  static func ensureInitialized() { _ = initialized }

  /// HDF5 is told not to close open files when the process exits: a file abandoned after a failed
  /// write (`HDF5File.abandon`) stays as its last successful flush left it.
  private static let initialized: Void = {
    H5dont_atexit()
    H5open()
    H5Eset_auto2(ch5_error_default(), nil, nil)
  }()

  /// The current thread's HDF5 error stack, innermost call last, one line per record.
  static func errorStack() -> [String] {
    final class Lines { var items: [String] = [] }
    let lines = Lines()
    withExtendedLifetime(lines) {
      let context = Unmanaged.passUnretained(lines).toOpaque()
      H5Ewalk2(ch5_error_default(), H5E_WALK_DOWNWARD, { _, record, context in
        guard let record, let context else { return 0 }
        let lines = Unmanaged<Lines>.fromOpaque(context).takeUnretainedValue()
        let function = record.pointee.func_name.map { String(cString: $0) } ?? "?"
        let text = record.pointee.desc.map { String(cString: $0) } ?? ""
        lines.items.append("\(function): \(text)")
        return 0
      }, context)
    }
    H5Eclear2(ch5_error_default())
    return lines.items
  }

  /// Checks an identifier returned by HDF5; a negative one becomes `HDF5Error.library`.
  @discardableResult
  static func check(_ id: hid_t, _ operation: @autoclosure () -> String, path: String, object: String = "") throws -> hid_t {
    if id < 0 {
      throw HDF5Error.library(operation: operation(), path: path, object: object, stack: errorStack())
    }
    return id
  }

  static func check(_ status: herr_t, _ operation: @autoclosure () -> String, path: String, object: String = "") throws {
    if status < 0 {
      throw HDF5Error.library(operation: operation(), path: path, object: object, stack: errorStack())
    }
  }

  /// "major.minor.release" of the linked library.
  static var version: String {
    var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
    H5get_libversion(&major, &minor, &release)
    return "\(major).\(minor).\(release)"
  }
}

/// Version of the HDF5 library NeuroFabric is linked against.
public var hdf5LibraryVersion: String { HDF5Library.version }
