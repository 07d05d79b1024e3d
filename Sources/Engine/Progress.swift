#if canImport(Glibc)
import Glibc
#endif
import Distributed

/// A progress line on standard error: redrawn in place on a terminal at most every 0.5 s, one
/// line every 10 s otherwise (e.g. in a batch log).
struct ProgressLine {
  let start = ContinuousClock.now
  let terminal = isatty(2) != 0
  var lastPrint = ContinuousClock.now
  private(set) var printed = false

  /// The seconds since the start when a line is due (always when `force`), else nil.
  mutating func due(force: Bool) -> Double? {
    let now = ContinuousClock.now
    guard force || now - lastPrint >= .milliseconds(terminal ? 500 : 10_000) else { return nil }
    lastPrint = now
    printed = true
    return (now - start).seconds
  }

  /// Writes `text`; the `last` line ends the line on a terminal.
  func write(_ text: String, last: Bool) {
    writeToStandardError(terminal ? "\r\(text)\u{1B}[K" + (last ? "\n" : "") : text + "\n")
  }
}

/// Progress of a run on rank 0 (docs/design-notes.md §4): simulated bio time, %, real-time factor and ETA.
struct ProgressReporter {
  let enabled: Bool
  let duration: Double
  var line = ProgressLine()

  init(enabled: Bool, duration: Double) {
    self.enabled = enabled
    self.duration = duration
  }

  mutating func update(bioTime: Double, force: Bool = false) {
    guard enabled, let elapsed = line.due(force: force) else { return }
    let fraction = duration > 0 ? bioTime / duration : 1
    let factor = bioTime > 0 ? elapsed / (bioTime / 1000) : 0
    let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
    line.write("run: \(format(bioTime, 1)) / \(format(duration, 1)) ms bio (\(format(fraction * 100, 0)) %), "
      + "real-time factor \(format(factor, 2)), ETA \(format(eta, 0)) s", last: force)
  }
}

/// Progress of `infer` on rank 0 over its share of the trials: trials done, trials per second and
/// ETA, on a run's schedule; the last line only where an earlier one was printed.
public struct TrialProgress {
  let enabled: Bool
  let trials: Int
  var line = ProgressLine()

  public init(enabled: Bool, trials: Int) {
    self.enabled = enabled
    self.trials = trials
  }

  public mutating func update(done: Int) {
    let finished = done >= trials
    guard enabled && trials > 0 && (!finished || line.printed), let elapsed = line.due(force: finished) else { return }
    let eta = done > 0 ? elapsed * Double(trials - done) / Double(done) : 0
    line.write("infer: \(done.grouped) / \(trials.grouped) trials (\(format(100 * Double(done) / Double(trials), 0)) %), "
      + "\(format(Double(done) / max(elapsed, 1e-9), 1)) trials per second, ETA \(format(eta, 0)) s", last: finished)
  }
}

extension Duration {
  /// The duration in seconds.
  public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

func format(_ value: Double, _ decimals: Int) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let rounded = (value * scale).rounded() / scale
  guard decimals > 0 else { return String(Int64(rounded)) }
  var text = String(rounded)
  if let dot = text.firstIndex(of: ".") {
    let have = text.distance(from: dot, to: text.endIndex) - 1
    if have < decimals { text += String(repeating: "0", count: decimals - have) }
  }
  return text
}

extension Int {
  /// 77169 → "77,169".
  public var grouped: String {
    let digits = String(Swift.abs(self))
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
      out.append(c)
    }
    return self < 0 ? "-" + out : out
  }
}
