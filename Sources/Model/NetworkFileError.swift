/// A problem in a network file, located by file, line and key, e.g.
/// `net.toml:14: projection[1].delay: delay must be > 0 ms, got -1.0`.
public struct NetworkFileError: Error, CustomStringConvertible, Equatable {
  public var file: String
  /// 1-based line; 0 when the problem is not on one line (an unreadable file).
  public var line: Int
  /// The key path, e.g. "population[0].size"; empty for syntax errors.
  public var key: String
  public var message: String

  public init(file: String, line: Int, key: String, message: String) {
    self.file = file
    self.line = line
    self.key = key
    self.message = message
  }

  public var description: String {
    var location = file
    if line > 0 { location += ":\(line)" }
    return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
  }
}
