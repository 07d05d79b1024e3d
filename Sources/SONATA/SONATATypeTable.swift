import Foundation
import Model

/// A SONATA type file (`node_types.csv`, `edge_types.csv`): space-separated values under a header
/// row, one row per type id; a value may be double-quoted to hold spaces. `NONE` (or `NULL`, or
/// an empty quoted value) means the type gives no value and the HDF5 file holds it per node or edge.
public struct SONATATypeTable: Sendable {
  public struct Row: Sendable {
    /// 1-based line in the file, for errors.
    public var line: Int
    public var values: [String: String]
  }

  public var file: String
  public var columns: [String]
  /// Rows by type id (`node_type_id` or `edge_type_id`).
  public var rows: [Int: Row]

  static let byteLimit = 64 << 20

  public static func read(path: String, idColumn: String) throws(SONATAFileErrors) -> SONATATypeTable {
    if let refusal = InputFile.refusal(path) { throw SONATAConfig.error(path, "", refusal) }
    guard let handle = FileHandle(forReadingAtPath: path) else { throw SONATAConfig.error(path, "", "cannot open the type file") }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: byteLimit + 1)) ?? Data()
    guard data.count <= byteLimit else { throw SONATAConfig.error(path, "", "larger than \(byteLimit >> 20) MiB: a type file has one row per type") }
    guard let text = String(data: data, encoding: .utf8) else { throw SONATAConfig.error(path, "", "not UTF-8 text") }
    return try parse(text, file: path, idColumn: idColumn)
  }

  public static func parse(_ text: String, file: String, idColumn: String) throws(SONATAFileErrors) -> SONATATypeTable {
    func fail(_ line: Int, _ key: String, _ message: String) -> SONATAFileErrors {
      SONATAFileErrors([SONATAFileError(file: file, line: line, key: key, message: message)])
    }
    var table = SONATATypeTable(file: file, columns: [], rows: [:])
    // Python's csv module ends rows with "\r\n", which Swift takes as one character.
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    for (index, content) in lines.enumerated() {
      let line = index + 1
      if content.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      guard let fields = split(content) else { throw fail(line, "", "a quoted value is not closed") }
      if table.columns.isEmpty {
        table.columns = fields
        if let duplicate = Dictionary(grouping: fields, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
          throw fail(line, duplicate, "column named twice")
        }
        guard fields.contains(idColumn) else { throw fail(line, idColumn, "missing column: a type file keys its rows by \(idColumn)") }
        continue
      }
      guard fields.count == table.columns.count else {
        throw fail(line, "", "\(fields.count) values for \(table.columns.count) columns (\(table.columns.joined(separator: " ")))")
      }
      var values: [String: String] = [:]
      for (column, value) in zip(table.columns, fields) where !isAbsent(value) { values[column] = value }
      guard let idText = values[idColumn], let id = Int(idText) else {
        throw fail(line, idColumn, "expected an integer type id, got '\(values[idColumn] ?? "NONE")'")
      }
      if let first = table.rows[id] { throw fail(line, idColumn, "type id \(id) is also on line \(first.line)") }
      table.rows[id] = Row(line: line, values: values)
    }
    guard !table.columns.isEmpty else { throw fail(0, "", "empty type file: it needs a header row naming its columns") }
    return table
  }

  /// A value as a number, where it is a finite decimal (as pandas reads one; not Swift's hex,
  /// "inf" or "nan").
  static func number(_ text: String) -> Double? {
    guard text.range(of: #"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
          let value = Double(text), value.isFinite else { return nil }
    return value
  }

  static func isAbsent(_ value: String) -> Bool {
    value.isEmpty || value == "NONE" || value == "NULL"
  }

  /// The values of one line: separated by spaces or tabs, double quotes keep spaces together and
  /// a doubled quote inside them is a quote (the spec's CSV dialect, Python's csv module).
  private static func split(_ line: Substring) -> [String]? {
    var fields: [String] = []
    var current = ""
    var quoted = false, started = false, closing = false
    for character in line {
      if closing {
        closing = false
        if character == "\"" {
          current.append(character)
          quoted = true
          continue
        }
      }
      if quoted {
        if character == "\"" { quoted = false; closing = true } else { current.append(character) }
      } else if character == " " || character == "\t" {
        if started { fields.append(current); current = ""; started = false }
      } else if character == "\"" {
        quoted = true
        started = true
      } else {
        current.append(character)
        started = true
      }
    }
    if quoted { return nil }
    if started { fields.append(current) }
    return fields
  }
}

extension SONATAConfig {
  /// A problem with a value of a type file's row, located by its line and column name.
  static func rowError(_ table: SONATATypeTable, _ row: SONATATypeTable.Row, _ column: String, _ message: String) -> SONATAFileErrors {
    SONATAFileErrors([SONATAFileError(file: table.file, line: row.line, key: column, message: message)])
  }
}
