import ArgumentParser
import Foundation

/// A span of bio time on the command line: `1000ms`, `1s` or a number of ms; positive and at most
/// `maximum` (10^9 ms, 11.6 days of bio time: 10^10 steps of 0.1 ms, whose step and window counts
/// stay exact in the engine's 64-bit integers).
struct BioDuration: ExpressibleByArgument, CustomStringConvertible {
  static let maximum = 1e9
  let milliseconds: Double

  init?(argument: String) {
    let t = argument.trimmingCharacters(in: .whitespaces)
    let value: Double?
    if t.hasSuffix("ms") { value = Double(t.dropLast(2)) }
    else if t.hasSuffix("s") { value = Double(t.dropLast(1)).map { $0 * 1000 } }
    else { value = Double(t) }
    guard let value, value.isFinite, value > 0, value <= Self.maximum else { return nil }
    milliseconds = value
  }

  var description: String { "\(milliseconds)ms" }

  static var defaultCompletionKind: CompletionKind { .default }
}
