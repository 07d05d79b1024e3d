import Foundation
import TestSupport
import Testing
@testable import Model

/// NeuroFabric's TOML parser against Python's tomllib on generated documents
/// (Scripts/checks/toml_corpus.py): documents tomllib reads parse to the same values, and those it
/// refuses are refused. The corpus stays within what NeuroFabric reads (no dates, 64-bit integers).
@Suite struct TOMLDifferentialTests {
  static let python3 = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test(.enabled(if: python3 != nil, "needs python3 with tomllib (Python ≥ 3.11)"), arguments: Array(UInt64(1)...UInt64(10)))
  func agreesWithTomllib(seed: UInt64) throws {
    let script = packageRoot.appendingPathComponent("Scripts/checks/toml_corpus.py").path
    let result = try runProcess(Self.python3!, [script, "--seed", String(seed), "--count", "400"])
    try #require(result.status == 0, "\(result.output)")
    var checked = 0, valid = 0, mismatches: [String] = []
    for line in result.output.split(separator: "\n") where line.hasPrefix("{") {
      let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let text = try #require(row["text"] as? String)
      checked += 1
      let ours: TOMLTable?
      var message = ""
      do { ours = try TOMLParser.parse(text) } catch { ours = nil; message = "\(error)" }
      if let expected = row["value"] as? [String: Any] {
        valid += 1
        guard let ours else { mismatches.append("refused what tomllib reads (\(message)):\n\(text)"); continue }
        if !Self.same(.init(kind: .table(ours), line: 0), expected) { mismatches.append("other values than tomllib:\n\(text)") }
      } else if ours != nil {
        mismatches.append("accepted what tomllib refuses (\(row["error"] ?? "")):\n\(text)")
      }
    }
    #expect(checked == 400 && valid > 150 && valid < 400, "\(valid) of \(checked) valid")
    #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; the first:\n\(mismatches.prefix(3).joined(separator: "\n---\n"))")
  }

  /// Whether a parsed value is tomllib's typed value (`{"t": type, "v": value}`).
  static func same(_ value: TOMLValue, _ expected: [String: Any]) -> Bool {
    guard let type = expected["t"] as? String else { return false }
    switch (value.kind, type) {
    case let (.string(s), "string"): return s == expected["v"] as? String
    case let (.integer(i), "integer"): return String(i) == expected["v"] as? String
    case let (.boolean(b), "boolean"): return b == expected["v"] as? Bool
    case let (.float(f), "float"):
      guard let text = expected["v"] as? String else { return false }
      if text == "nan" { return f.isNaN }
      guard let d = Double(text) else { return false }
      return d.bitPattern == f.bitPattern || (d.isInfinite && d == f)
    case let (.array(items), "array"):
      guard let list = expected["v"] as? [[String: Any]], list.count == items.count else { return false }
      return zip(items, list).allSatisfy { same($0, $1) }
    case let (.table(table), "table"):
      guard let members = expected["v"] as? [String: [String: Any]], members.count == table.keys.count else { return false }
      return table.keys.allSatisfy { k in members[k].map { same(table[k]!, $0) } ?? false }
    default: return false
    }
  }
}
