/// Where in an input file a problem lies and what it is, told the same way for every kind of file:
/// `file:line: key: message`, without the line when it is 0 and without the key when it is empty.
public struct FileProblem: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// 1-based line; 0 when the problem is not on one line (an unreadable file, an HDF5 file).
  public var line: Int
  /// The key path, e.g. "population[0].size" or "/node/nodes/lif/tau"; empty for syntax errors.
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

/// A problem in an input file, typed by the kind of file it is about (`NetworkFileError`,
/// `TopologyFileError`, `NIRFileError`, `DataSetFileError`, `SONATAFileError`); every kind is
/// located and printed as its `FileProblem`.
public protocol LocatedFileError: Error, CustomStringConvertible, Equatable {
  var problem: FileProblem { get }
  init(_ problem: FileProblem)
}

extension LocatedFileError {
  public init(file: String, line: Int, key: String, message: String) {
    self.init(FileProblem(file: file, line: line, key: key, message: message))
  }

  public var file: String { problem.file }
  public var line: Int { problem.line }
  public var key: String { problem.key }
  public var message: String { problem.message }
  public var description: String { problem.description }
}
