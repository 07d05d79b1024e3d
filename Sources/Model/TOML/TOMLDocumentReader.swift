import Foundation

/// Reads typed values out of a parsed TOML document, collecting every problem as a `Problem`
/// (the kind of file the document is: `NetworkFileError`, `TopologyFileError`) with file, line and
/// key path instead of stopping at the first. Network and topology readers build on it.
public struct TOMLDocumentReader<Problem: LocatedFileError> {
  public let file: String
  /// Line of every key path seen, for locating problems found later (e.g. by validation).
  public private(set) var lines: [String: Int] = [:]
  public private(set) var errors: [Problem] = []

  public init(file: String) { self.file = file }

  /// The text of the file at `path`; a missing, unreadable or non-UTF-8 file is a located error.
  public static func text(ofFile path: String) throws(FileErrors<Problem>) -> String {
    if let refusal = InputFile.refusal(path) { throw FileErrors([Problem(file: path, line: 0, key: "", message: refusal)]) }
    guard let data = FileManager.default.contents(atPath: path) else {
      let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
      throw FileErrors([Problem(file: path, line: 0, key: "", message: reason)])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw FileErrors([Problem(file: path, line: 0, key: "", message: "not UTF-8 text")])
    }
    return text
  }

  /// Parses TOML text; a syntax error names file, line and column.
  public static func parse(_ text: String, file: String) throws(FileErrors<Problem>) -> TOMLTable {
    do {
      return try TOMLParser.parse(text)
    } catch {
      throw FileErrors([Problem(file: file, line: error.line, key: "", message: "column \(error.column): \(error.message)")])
    }
  }

  /// The root table as a section.
  public func root(_ table: TOMLTable) -> Section { Section(table: table, path: "", line: 1) }

  /// The line of the longest recorded prefix of `keyPath`.
  public func line(of keyPath: String) -> Int {
    var path = keyPath
    while !path.isEmpty {
      if let line = lines[path] { return line }
      guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
      path = String(path[..<cut])
    }
    return 0
  }

  /// A table being read, with its key path and line.
  public struct Section {
    public var table: TOMLTable
    public var path: String
    public var line: Int
    public func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
  }

  public mutating func record(_ s: Section) {
    lines[s.path] = s.line
    for key in s.table.keys { lines[s.key(key)] = s.table[key]!.line }
  }

  /// Records a problem at an explicit key path and line.
  public mutating func fail(key: String, line: Int, _ message: String) {
    errors.append(Problem(file: file, line: line, key: key, message: message))
  }

  /// Records the line of a key path that is not a table key (e.g. a row of an array).
  public mutating func recordLine(_ keyPath: String, _ line: Int) { lines[keyPath] = line }

  public mutating func fail(_ s: Section, _ key: String, _ message: String) {
    errors.append(Problem(file: file, line: s.table[key]?.line ?? s.line, key: s.key(key), message: message))
  }

  public mutating func checkKeys(_ s: Section, allowed: [String]) {
    record(s)
    for key in s.table.keys where !allowed.contains(key) {
      fail(s, key, "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
    }
  }

  public mutating func required(_ s: Section, _ key: String) {
    errors.append(Problem(file: file, line: s.line, key: s.key(key), message: "missing required key '\(key)'"))
  }

  public mutating func table(_ s: Section, _ key: String) -> Section? {
    guard let value = s.table[key] else { return nil }
    guard case let .table(t) = value.kind else {
      fail(s, key, "expected a table, got \(value.typeName)")
      return nil
    }
    return Section(table: t, path: s.key(key), line: value.line)
  }

  public mutating func tables(_ s: Section, _ key: String) -> [Section] {
    guard let value = s.table[key] else { return [] }
    guard case let .array(items) = value.kind else {
      fail(s, key, "expected [[\(key)]] tables, got \(value.typeName)")
      return []
    }
    var sections: [Section] = []
    for (i, item) in items.enumerated() {
      guard case let .table(t) = item.kind else {
        fail(s, key, "expected [[\(key)]] tables, got an array of \(item.typeName)s")
        return []
      }
      sections.append(Section(table: t, path: "\(s.key(key))[\(i)]", line: item.line))
    }
    return sections
  }

  /// The value at `key` converted by `convert`; a missing required key or a value of the wrong
  /// type is recorded as an error and gives nil.
  public mutating func scalar<T>(_ s: Section, _ key: String, required: Bool, expected: String,
                                  _ convert: (TOMLValue) -> T?) -> T? {
    guard let value = s.table[key] else {
      if required { self.required(s, key) }
      return nil
    }
    guard let converted = convert(value) else {
      fail(s, key, "expected \(expected), got \(value.typeName)")
      return nil
    }
    return converted
  }

  public mutating func string(_ s: Section, _ key: String, required: Bool = false) -> String? {
    scalar(s, key, required: required, expected: "a string") { $0.stringValue }
  }

  public mutating func number(_ s: Section, _ key: String, required: Bool = false) -> Double? {
    scalar(s, key, required: required, expected: "a number") { $0.numberValue }
  }

  public mutating func integer(_ s: Section, _ key: String, required: Bool = false) -> Int? {
    scalar(s, key, required: required, expected: "an integer") { $0.integerValue.map { Int($0) } }
  }

  public mutating func boolean(_ s: Section, _ key: String) -> Bool? {
    scalar(s, key, required: false, expected: "true or false") {
      if case let .boolean(b) = $0.kind { return b }
      return nil
    }
  }

  public mutating func strings(_ s: Section, _ key: String) -> [String]? {
    guard let value = s.table[key] else { return nil }
    var strings: [String] = []
    if case let .array(items) = value.kind {
      for item in items {
        guard case let .string(text) = item.kind else { break }
        strings.append(text)
      }
      if strings.count == items.count { return strings }
    }
    fail(s, key, "expected an array of strings")
    return nil
  }

  public mutating func numbers(_ s: Section, _ key: String) -> [Double]? {
    guard let value = s.table[key] else { return nil }
    guard case let .array(items) = value.kind, items.allSatisfy({ $0.numberValue != nil }) else {
      fail(s, key, "expected an array of numbers")
      return nil
    }
    return items.compactMap(\.numberValue)
  }

  /// An array of integer arrays of `width` each, e.g. `[[3, 4], [5, 6]]`; `what` names one row
  /// in the error, e.g. "[x, y] chip coordinates".
  public mutating func integerRows(_ s: Section, _ key: String, width: Int, what: String) -> [[Int]]? {
    guard let value = s.table[key] else { return nil }
    var rows: [[Int]] = []
    if case let .array(items) = value.kind {
      for item in items {
        guard case let .array(row) = item.kind, row.count == width else { break }
        let values = row.compactMap(\.integerValue)
        guard values.count == width else { break }
        rows.append(values.map { Int($0) })
      }
      if rows.count == items.count { return rows }
    }
    fail(s, key, "expected a list of \(what)")
    return nil
  }
}

extension TOMLValue {
  var stringValue: String? {
    if case let .string(s) = kind { return s }
    return nil
  }

  var numberValue: Double? {
    switch kind {
    case let .integer(i): return Double(i)
    case let .float(f): return f
    default: return nil
    }
  }

  var integerValue: Int64? {
    if case let .integer(i) = kind { return i }
    return nil
  }
}

extension TOMLDocumentReader {
  /// Calls `set` with the number at `key` when it lies in [1e-6, max]; records an error naming the unit otherwise.
  /// (At least 1e-6 of the unit: smaller positive values, 5e-324 say, turn into zero or infinite
  /// times and rates downstream.)
  public mutating func positive(_ s: Section, _ key: String, max: Double, unit: String, _ set: (Double) -> Void) {
    guard let value = number(s, key) else { return }
    if value >= 1e-6 && value <= max { set(value) } else { fail(s, key, "must be in [1e-6, \(max)] \(unit), got \(value)") }
  }

  /// Calls `set` with the integer at `key` when it lies in 1...max; records an error otherwise.
  public mutating func count(_ s: Section, _ key: String, max: Int, _ set: (Int) -> Void) {
    guard let value = integer(s, key) else { return }
    if value >= 1 && value <= max { set(value) } else { fail(s, key, "must be in 1...\(max), got \(value)") }
  }
}
