/// A parsed TOML value with the line it starts on, so readers can point at it.
public struct TOMLValue: Sendable {
  public indirect enum Kind: Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)
  }

  public var kind: Kind
  public var line: Int

  /// The TOML type name, for "expected a number, got a string" messages.
  public var typeName: String {
    switch kind {
    case .string: return "a string"
    case .integer: return "an integer"
    case .float: return "a float"
    case .boolean: return "a boolean"
    case .array: return "an array"
    case .table: return "a table"
    }
  }
}

/// A TOML table: keys in the order they were written, each with its value and the key's line.
public struct TOMLTable: Sendable {
  public private(set) var keys: [String] = []
  private var values: [String: TOMLValue] = [:]
  /// Line of the table's header (or of its first key for the root and inline tables).
  public var line: Int

  public init(line: Int) { self.line = line }

  public subscript(key: String) -> TOMLValue? { values[key] }

  mutating func set(_ key: String, _ value: TOMLValue) {
    if values[key] == nil { keys.append(key) }
    values[key] = value
  }
}
