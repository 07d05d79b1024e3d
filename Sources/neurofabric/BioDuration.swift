import ArgumentParser
import Foundation

/// A span of bio time on the command line: `1000ms`, `1s` or a number of ms; finite and positive.
struct BioDuration: ExpressibleByArgument, CustomStringConvertible {
  let milliseconds: Double

  init?(argument: String) {
    let t = argument.trimmingCharacters(in: .whitespaces)
    let value: Double?
    if t.hasSuffix("ms") { value = Double(t.dropLast(2)) }
    else if t.hasSuffix("s") { value = Double(t.dropLast(1)).map { $0 * 1000 } }
    else { value = Double(t) }
    guard let value, value.isFinite, value > 0 else { return nil }
    milliseconds = value
  }

  var description: String { "\(milliseconds)ms" }

  static var defaultCompletionKind: CompletionKind { .default }
}
