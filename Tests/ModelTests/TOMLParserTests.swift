import Testing
@testable import Model

@Suite struct TOMLParserTests {
  @Test func parsesTablesArraysAndValuesWithLines() throws {
    let text = """
      # comment
      title = "net"   # trailing comment
      [a.b]
      x = 1_000
      y = -2.5e-3
      z = [1, 2.0,
           3]   # multi-line array
      "quoted key" = 'literal \\n'
      flag = true
      [[pop]]
      name = "exc"
      inline = { p = 0.1, kind = "fixed_probability" }
      [pop.parameters]
      tau_m = 20.0
      [[pop]]
      name = "inh"
      s = "tab\\tand \\u00b5S"
      dotted.key = 3
      hex = 0xff
      """
    let root = try TOMLParser.parse(text)
    #expect(root["title"]?.stringValue == "net")
    guard case let .table(a)? = root["a"]?.kind, case let .table(b)? = a["b"]?.kind else { Issue.record("no [a.b]"); return }
    #expect(b["x"]?.integerValue == 1000)
    #expect(b["y"]?.numberValue == -2.5e-3)
    #expect(b["y"]?.line == 5)
    guard case let .array(z)? = b["z"]?.kind else { Issue.record("no z"); return }
    #expect(z.compactMap(\.numberValue) == [1, 2, 3])
    #expect(z[2].line == 7)
    #expect(b["quoted key"]?.stringValue == "literal \\n")
    guard case let .array(pops)? = root["pop"]?.kind, pops.count == 2,
          case let .table(first) = pops[0].kind, case let .table(second) = pops[1].kind else { Issue.record("no [[pop]]"); return }
    #expect(pops[0].line == 10 && pops[1].line == 15)
    #expect(first["name"]?.stringValue == "exc")
    guard case let .table(parameters)? = first["parameters"]?.kind, case let .table(inline)? = first["inline"]?.kind else {
      Issue.record("pop[0] sub-tables"); return
    }
    #expect(parameters["tau_m"]?.numberValue == 20)
    #expect(parameters["tau_m"]?.line == 14)
    #expect(inline["p"]?.numberValue == 0.1)
    #expect(second["s"]?.stringValue == "tab\tand µS")
    guard case let .table(dotted)? = second["dotted"]?.kind else { Issue.record("dotted"); return }
    #expect(dotted["key"]?.integerValue == 3)
    #expect(second["hex"]?.integerValue == 255)
  }

  @Test(arguments: [
    ("a = 1\na = 2", 2, "duplicate key 'a' (first defined on line 1)"),
    ("a = \"unterminated", 1, "unterminated string"),
    ("[t]\nx = 1\n[t]", 3, "table '[t]' is defined twice (first on line 1)"),
    ("x = [1, 2", 1, "expected ',' or ']' in the array"),
    ("x = 1 2", 1, "expected the end of the line"),
    ("x = 1979-05-27", 1, "dates and times are not supported"),
    ("x = 007", 1, "leading zeros"),
    ("x =", 1, "expected a value"),
    ("\n\n= 3", 3, "expected a key"),
  ])
  func syntaxErrorsNameTheLine(text: String, line: Int, message: String) {
    #expect(throws: TOMLSyntaxError.self) { try TOMLParser.parse(text) }
    do {
      _ = try TOMLParser.parse(text)
    } catch {
      #expect(error.line == line, "\(error)")
      #expect(error.message.contains(message), "\(error)")
    }
  }

  /// Nesting beyond `maximumDepth` (arrays, inline tables, dotted keys, headers) is a named error,
  /// not a stack overflow; documents half as deep still parse.
  @Test(arguments: [
    { (n: Int) in "x = " + String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n" },
    { (n: Int) in "x = " + String(repeating: "{a = ", count: n) + "1" + String(repeating: "}", count: n) + "\n" },
    { (n: Int) in "x = " + String(repeating: "[{a = ", count: n / 2) + "1" + String(repeating: "}]", count: n / 2) + "\n" },
    { (n: Int) in (1...n).map { "k\($0)" }.joined(separator: ".") + " = 1\n" },
    { (n: Int) in "[" + (1...n).map { "k\($0)" }.joined(separator: ".") + "]\n" },
  ] as [@Sendable (Int) -> String])
  func deepNestingIsRefusedByName(document: @Sendable (Int) -> String) throws {
    _ = try TOMLParser.parse(document(TOMLParser.maximumDepth / 2))
    for depth in [TOMLParser.maximumDepth + 2, 50_000] {
      #expect { try TOMLParser.parse(document(depth)) } throws: { "\($0)".contains("at most \(TOMLParser.maximumDepth) are allowed") }
    }
  }
}
