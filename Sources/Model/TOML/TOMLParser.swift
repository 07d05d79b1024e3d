/// A syntax error in a TOML document, with its 1-based line and column.
public struct TOMLSyntaxError: Error, CustomStringConvertible, Equatable {
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { "line \(line), column \(column): \(message)" }
}

/// Parses TOML 1.0 documents (all of it except dates and times), keeping the line of every value.
///
/// Written for NeuroFabric's network and topology files, whose readers must name the line of a
/// bad value; the Swift TOML packages report lines for syntax errors only.
public struct TOMLParser {
  /// How deep values may nest: arrays, inline tables and the parts of dotted keys and headers
  /// together. Deeper documents are refused by name instead of exhausting the stack.
  public static let maximumDepth = 128

  private let bytes: [UInt8]
  private var position = 0
  /// Nesting of the value being parsed (arrays, inline tables, dotted keys).
  private var depth = 0
  private var line = 1
  private var lineStart = 0

  /// Tables during parsing: a class tree, so headers can reopen and extend them in place.
  private final class Node {
    var table: TOMLTable
    var children: [String: Node] = [:]
    var arrays: [String: [Node]] = [:]
    /// Defined by a header or a dotted key (may not be redefined by another header), or inline (closed).
    var explicitlyDefined = false
    var inline = false
    init(line: Int) { table = TOMLTable(line: line) }

    func value() -> TOMLTable {
      var result = table
      for key in table.keys {
        if let child = children[key] {
          result.set(key, TOMLValue(kind: .table(child.value()), line: child.table.line))
        } else if let array = arrays[key] {
          let line = table[key]?.line ?? array.first?.table.line ?? 0
          result.set(key, TOMLValue(kind: .array(array.map { TOMLValue(kind: .table($0.value()), line: $0.table.line) }), line: line))
        }
      }
      return result
    }
  }

  public init(_ text: String) {
    bytes = Array(text.utf8)
  }

  /// Parses a whole document into its root table.
  public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
    var parser = TOMLParser(text)
    return try parser.document()
  }

  private mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
    let root = Node(line: 1)
    var current = root
    while true {
      try skipWhitespaceCommentsAndNewlines()
      guard let c = peek() else { break }
      if c == UInt8(ascii: "[") {
        current = try header(root: root)
      } else {
        try keyValue(into: current)
      }
      try endOfLine()
    }
    return root.value()
  }

  // MARK: - Tables

  private mutating func header(root: Node) throws(TOMLSyntaxError) -> Node {
    let headerLine = line
    advance()
    let isArray = peek() == UInt8(ascii: "[")
    if isArray { advance() }
    skipSpaces()
    let path = try keyPath()
    try checkDepth(path.count)
    skipSpaces()
    try expect("]", "to close the table header")
    if isArray { try expect("]", "to close the array-of-tables header '[[…]]'") }
    var node = root
    for (index, key) in path.enumerated() {
      let last = index == path.count - 1
      if last && isArray {
        if node.table[key] != nil && node.arrays[key] == nil {
          throw error("'\(path.joined(separator: "."))' is already defined as a value on line \(node.table[key]!.line), not an array of tables", line: headerLine)
        }
        let element = Node(line: headerLine)
        element.explicitlyDefined = true
        if node.arrays[key] == nil {
          node.arrays[key] = []
          node.table.set(key, TOMLValue(kind: .array([]), line: headerLine))
        }
        node.arrays[key]!.append(element)
        return element
      }
      if let array = node.arrays[key], let lastElement = array.last {
        if last {
          throw error("'[\(path.joined(separator: "."))]' is already an array of tables (line \(array[0].table.line)); its elements are '[[\(path.joined(separator: "."))]]'", line: headerLine)
        }
        node = lastElement
        continue
      }
      if let child = node.children[key] {
        if child.inline {
          throw error("inline table '\(key)' cannot be extended", line: headerLine)
        }
        if last {
          if child.explicitlyDefined {
            throw error("table '[\(path.joined(separator: "."))]' is defined twice (first on line \(child.table.line))", line: headerLine)
          }
          child.explicitlyDefined = true
          child.table.line = headerLine
        }
        node = child
        continue
      }
      if let existing = node.table[key] {
        throw error("'\(key)' is already defined as a value on line \(existing.line)", line: headerLine)
      }
      let child = Node(line: headerLine)
      child.explicitlyDefined = last
      node.children[key] = child
      node.table.set(key, TOMLValue(kind: .table(TOMLTable(line: headerLine)), line: headerLine))
      node = child
    }
    return node
  }

  private mutating func keyValue(into node: Node) throws(TOMLSyntaxError) {
    let keyLine = line
    let path = try keyPath()
    try checkDepth(depth + path.count)
    skipSpaces()
    try expect("=", "after the key '\(path.joined(separator: "."))'")
    skipSpaces()
    depth += path.count - 1
    defer { depth -= path.count - 1 }
    let value = try self.value()
    var target = node
    for key in path.dropLast() {
      if let child = target.children[key] {
        if child.inline { throw error("inline table '\(key)' cannot be extended", line: keyLine) }
        target = child
      } else if let existing = target.table[key] {
        throw error("'\(key)' is already defined on line \(existing.line)", line: keyLine)
      } else {
        let child = Node(line: keyLine)
        child.explicitlyDefined = true
        target.children[key] = child
        target.table.set(key, TOMLValue(kind: .table(TOMLTable(line: keyLine)), line: keyLine))
        target = child
      }
    }
    let key = path.last!
    if let existing = target.table[key] {
      throw error("duplicate key '\(path.joined(separator: "."))' (first defined on line \(existing.line))", line: keyLine)
    }
    target.table.set(key, TOMLValue(kind: value.kind, line: keyLine))
  }

  private mutating func keyPath() throws(TOMLSyntaxError) -> [String] {
    var path = [try simpleKey()]
    while true {
      skipSpaces()
      guard peek() == UInt8(ascii: ".") else { return path }
      advance()
      skipSpaces()
      path.append(try simpleKey())
    }
  }

  private mutating func simpleKey() throws(TOMLSyntaxError) -> String {
    guard let c = peek() else { throw error("expected a key, found the end of the file") }
    if c == UInt8(ascii: "\"") { return try basicString() }
    if c == UInt8(ascii: "'") { return try literalString() }
    let start = position
    while let c = peek(), Self.isBareKeyByte(c) { advance() }
    guard position > start else { throw error("expected a key, found '\(Character(Unicode.Scalar(c)))'") }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  // MARK: - Values

  private mutating func value() throws(TOMLSyntaxError) -> TOMLValue {
    let valueLine = line
    guard let c = peek() else { throw error("expected a value, found the end of the file") }
    switch c {
    case UInt8(ascii: "\""):
      return TOMLValue(kind: .string(try basicString()), line: valueLine)
    case UInt8(ascii: "'"):
      return TOMLValue(kind: .string(try literalString()), line: valueLine)
    case UInt8(ascii: "["), UInt8(ascii: "{"):
      depth += 1
      defer { depth -= 1 }
      try checkDepth(depth)
      return c == UInt8(ascii: "[") ? TOMLValue(kind: .array(try array()), line: valueLine)
        : TOMLValue(kind: .table(try inlineTable()), line: valueLine)
    case UInt8(ascii: "t"), UInt8(ascii: "f"):
      if matches("true") { position += 4; return TOMLValue(kind: .boolean(true), line: valueLine) }
      if matches("false") { position += 5; return TOMLValue(kind: .boolean(false), line: valueLine) }
      throw error("expected a value (true/false, a number, a string, an array or a table)")
    default:
      return try number()
    }
  }

  private func checkDepth(_ nesting: Int) throws(TOMLSyntaxError) {
    guard nesting <= Self.maximumDepth else {
      throw error("values nest \(nesting) deep (arrays, inline tables and dotted keys); at most \(Self.maximumDepth) are allowed")
    }
  }

  private mutating func array() throws(TOMLSyntaxError) -> [TOMLValue] {
    advance()
    var elements: [TOMLValue] = []
    while true {
      try skipWhitespaceCommentsAndNewlines()
      if peek() == UInt8(ascii: "]") { advance(); return elements }
      elements.append(try value())
      try skipWhitespaceCommentsAndNewlines()
      if peek() == UInt8(ascii: ",") { advance(); continue }
      if peek() == UInt8(ascii: "]") { advance(); return elements }
      throw error("expected ',' or ']' in the array")
    }
  }

  private mutating func inlineTable() throws(TOMLSyntaxError) -> TOMLTable {
    let node = Node(line: line)
    node.inline = true
    advance()
    skipSpaces()
    if peek() == UInt8(ascii: "}") { advance(); return node.value() }
    while true {
      skipSpaces()
      try keyValue(into: node)
      skipSpaces()
      if peek() == UInt8(ascii: ",") { advance(); continue }
      if peek() == UInt8(ascii: "}") { advance(); break }
      throw error("expected ',' or '}' in the inline table (inline tables stay on one line)")
    }
    markInline(node)
    return node.value()
  }

  private func markInline(_ node: Node) {
    node.inline = true
    for child in node.children.values { markInline(child) }
  }

  private mutating func number() throws(TOMLSyntaxError) -> TOMLValue {
    let valueLine = line
    let start = position
    while let c = peek(), Self.isNumberByte(c) { advance() }
    var text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard !text.isEmpty else {
      let found = peek().map { "'\(Character(Unicode.Scalar($0)))'" } ?? "the end of the line"
      throw error("expected a value (a number, a string, true/false, an array or a table), found \(found)")
    }
    if text.contains(":") || (text.filter { $0 == "-" }.count >= 2 && !text.contains("e") && !text.contains("E")) {
      throw error("dates and times are not supported: '\(text)'")
    }
    let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? String(text.dropFirst()) : text
    if ["inf", "nan"].contains(unsigned) {
      let v: Double = unsigned == "inf" ? .infinity : .nan
      return TOMLValue(kind: .float(text.hasPrefix("-") ? -v : v), line: valueLine)
    }
    if unsigned.hasPrefix("_") || text.hasSuffix("_") || text.contains("__") {
      throw error("misplaced '_' in the number '\(text)'")
    }
    text.removeAll { $0 == "_" }
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
      guard let v = Int64(text.dropFirst(2), radix: radix) else { throw error("invalid number '\(text)'") }
      return TOMLValue(kind: .integer(v), line: valueLine)
    }
    let isFloat = text.contains(".") || text.contains("e") || text.contains("E")
    if isFloat {
      let integerPart = unsigned.prefix { $0 != "." && $0 != "e" && $0 != "E" }
      if integerPart.count > 1 && integerPart.hasPrefix("0") { throw error("leading zeros are not allowed in '\(text)'") }
      guard let v = Double(text), !text.hasSuffix("."), !unsigned.hasPrefix("."), !text.contains(".e"), !text.contains(".E") else {
        throw error("invalid number '\(text)'")
      }
      return TOMLValue(kind: .float(v), line: valueLine)
    }
    let digits = unsigned
    if digits.count > 1 && digits.hasPrefix("0") { throw error("leading zeros are not allowed in '\(text)'") }
    guard let v = Int64(text) else { throw error("invalid number '\(text)' (integers must fit in 64 bits)") }
    return TOMLValue(kind: .integer(v), line: valueLine)
  }

  // MARK: - Strings

  private mutating func basicString() throws(TOMLSyntaxError) -> String {
    let multiline = matches("\"\"\"")
    position += multiline ? 3 : 1
    if multiline { skipNewlineAfterOpeningQuotes() }
    var scalars = String.UnicodeScalarView()
    var utf8: [UInt8] = []
    func flush() { if !utf8.isEmpty { scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars); utf8.removeAll() } }
    while true {
      guard let c = peek() else { throw error("unterminated string") }
      if multiline && matches("\"\"\"") {
        utf8 += closeMultilineString(quote: UInt8(ascii: "\""))
        break
      }
      if !multiline && c == UInt8(ascii: "\"") { advance(); break }
      if c == UInt8(ascii: "\n") {
        guard multiline else { throw error("unterminated string (a basic string ends on its line)") }
        utf8.append(c); newline(); continue
      }
      if c == UInt8(ascii: "\\") {
        advance()
        guard let e = peek() else { throw error("unterminated string") }
        advance()
        switch e {
        case UInt8(ascii: "n"): utf8.append(10)
        case UInt8(ascii: "t"): utf8.append(9)
        case UInt8(ascii: "r"): utf8.append(13)
        case UInt8(ascii: "b"): utf8.append(8)
        case UInt8(ascii: "f"): utf8.append(12)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): utf8.append(e)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
          let n = e == UInt8(ascii: "u") ? 4 : 8
          guard position + n <= bytes.count,
                let code = UInt32(String(decoding: bytes[position..<position + n], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(code)
          else { throw error("invalid unicode escape") }
          position += n
          flush()
          scalars.append(scalar)
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
          // A line-ending backslash (multi-line strings only): spaces, then the end of the line.
          position -= 1
          var end = position
          while end < bytes.count && (bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t")) { end += 1 }
          if end < bytes.count && bytes[end] == UInt8(ascii: "\r") { end += 1 }
          guard multiline, end < bytes.count, bytes[end] == UInt8(ascii: "\n") else {
            throw error("a '\\' followed by a space ends a line only in a multi-line string, and only before the end of the line")
          }
          skipWhitespaceAndNewlinesOnly()
        default:
          throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
        continue
      }
      try refuseControlCharacter(c, multiline: multiline)
      utf8.append(c)
      advance()
    }
    flush()
    return String(scalars)
  }

  private mutating func literalString() throws(TOMLSyntaxError) -> String {
    let multiline = matches("'''")
    position += multiline ? 3 : 1
    if multiline { skipNewlineAfterOpeningQuotes() }
    var utf8: [UInt8] = []
    while true {
      guard let c = peek() else { throw error("unterminated string") }
      if multiline && matches("'''") {
        utf8 += closeMultilineString(quote: UInt8(ascii: "'"))
        break
      }
      if !multiline && c == UInt8(ascii: "'") { advance(); break }
      if c == UInt8(ascii: "\n") {
        guard multiline else { throw error("unterminated string (a literal string ends on its line)") }
        utf8.append(c); newline(); continue
      }
      try refuseControlCharacter(c, multiline: multiline)
      utf8.append(c)
      advance()
    }
    return String(decoding: utf8, as: UTF8.self)
  }

  /// Moves past the closing quotes of a multi-line string: three, or up to five when the string
  /// ends in one or two quotes of its own, which it returns.
  private mutating func closeMultilineString(quote: UInt8) -> [UInt8] {
    var quotes = 3
    while position + quotes < bytes.count && bytes[position + quotes] == quote && quotes < 5 { quotes += 1 }
    position += quotes
    return Array(repeating: quote, count: quotes - 3)
  }

  /// TOML strings and comments hold no control character but tab (and, where a line may end in
  /// them, a CR before a newline).
  private func refuseControlCharacter(_ c: UInt8, multiline: Bool, in place: String = "a string (write it as an escape such as \\u0000)")
    throws(TOMLSyntaxError)
  {
    let crlf = multiline && c == UInt8(ascii: "\r") && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\n")
    if (c < 0x20 && c != UInt8(ascii: "\t") && !crlf) || c == 0x7f {
      throw error("control character 0x\(String(c, radix: 16, uppercase: true)) in \(place)")
    }
  }

  private mutating func skipNewlineAfterOpeningQuotes() {
    if peek() == UInt8(ascii: "\r") { advance() }
    if peek() == UInt8(ascii: "\n") { newline() }
  }

  // MARK: - Lexing helpers

  private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
  private mutating func advance() { position += 1 }

  private mutating func newline() {
    position += 1
    line += 1
    lineStart = position
  }

  private func matches(_ text: StaticString) -> Bool {
    let n = text.utf8CodeUnitCount
    guard position + n <= bytes.count else { return false }
    return text.withUTF8Buffer { Array($0) == Array(bytes[position..<position + n]) }
  }

  private mutating func expect(_ character: Character, _ context: String) throws(TOMLSyntaxError) {
    guard peek() == character.asciiValue else {
      let found = peek().map { $0 == 10 ? "the end of the line" : "'\(Character(Unicode.Scalar($0)))'" } ?? "the end of the file"
      throw error("expected '\(character)' \(context), found \(found)")
    }
    advance()
  }

  private mutating func skipSpaces() {
    while let c = peek(), c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { advance() }
  }

  private mutating func skipWhitespaceAndNewlinesOnly() {
    while let c = peek() {
      if c == UInt8(ascii: "\n") { newline() } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { advance() } else { return }
    }
  }

  private mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLSyntaxError) {
    while let c = peek() {
      if c == UInt8(ascii: "#") {
        try comment()
      } else if c == UInt8(ascii: "\n") {
        newline()
      } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
        advance()
      } else {
        return
      }
    }
  }

  private mutating func endOfLine() throws(TOMLSyntaxError) {
    skipSpaces()
    if peek() == UInt8(ascii: "\r") { advance() }
    if peek() == UInt8(ascii: "#") { try comment() }
    guard let c = peek() else { return }
    guard c == UInt8(ascii: "\n") else {
      throw error("expected the end of the line after the value, found '\(Character(Unicode.Scalar(c)))'")
    }
  }

  /// Skips a comment up to the end of its line; TOML allows no control character in it but tab.
  private mutating func comment() throws(TOMLSyntaxError) {
    while let d = peek(), d != UInt8(ascii: "\n") {
      try refuseControlCharacter(d, multiline: true, in: "a comment")
      advance()
    }
  }

  private func error(_ message: String, line: Int? = nil) -> TOMLSyntaxError {
    TOMLSyntaxError(line: line ?? self.line, column: line == nil ? position - lineStart + 1 : 1, message: message)
  }

  private static func isBareKeyByte(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
  }

  private static func isNumberByte(_ c: UInt8) -> Bool {
    isBareKeyByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
  }
}
