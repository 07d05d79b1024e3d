import CHDF5

/// A group or dataset in an open file: what attributes hang on.
public class HDF5Object {
  let id: hid_t
  /// The file this object lives in, for error messages.
  public let filePath: String
  /// Absolute path of the object inside the file.
  public let name: String

  init(id: hid_t, filePath: String, name: String) {
    self.id = id
    self.filePath = filePath
    self.name = name
    HDF5Library.ensureInitialized()
  }

  func check(_ id: hid_t, _ operation: @autoclosure () -> String, object: String? = nil) throws -> hid_t {
    try HDF5Library.check(id, operation(), path: filePath, object: object ?? name)
  }

  func check(_ status: herr_t, _ operation: @autoclosure () -> String, object: String? = nil) throws {
    try HDF5Library.check(status, operation(), path: filePath, object: object ?? name)
  }

  func childPath(_ child: String) -> String {
    child.hasPrefix("/") ? child : (name == "/" ? "/" + child : name + "/" + child)
  }
}
