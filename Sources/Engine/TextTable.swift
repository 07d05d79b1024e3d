import Foundation

/// Left-aligned text columns.
public func table(_ header: [String], _ rows: [[String]]) -> String {
  let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
  func line(_ cells: [String]) -> String {
    zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
      .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
  }
  return ([line(header)] + rows.map(line)).joined(separator: "\n")
}
