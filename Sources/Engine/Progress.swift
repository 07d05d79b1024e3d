#if canImport(Glibc)
import Glibc
#endif
import Distributed

/// Progress of a run on rank 0 (docs/design-notes.md §4): simulated bio time, %, real-time factor and
/// ETA; redrawn in place on a terminal, one line every 10 s otherwise (e.g. in a batch log).
struct ProgressReporter {
  let enabled: Bool
  let duration: Double
  let start = ContinuousClock.now
  let terminal = isatty(2) != 0
  var lastPrint = ContinuousClock.now

  init(enabled: Bool, duration: Double) {
    self.enabled = enabled
    self.duration = duration
  }

  mutating func update(bioTime: Double, force: Bool = false) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard force || now - lastPrint >= .milliseconds(terminal ? 500 : 10_000) else { return }
    lastPrint = now
    let elapsed = (now - start).seconds
    let fraction = duration > 0 ? bioTime / duration : 1
    let factor = bioTime > 0 ? elapsed / (bioTime / 1000) : 0
    let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
    let line = "run: \(format(bioTime, 1)) / \(format(duration, 1)) ms bio (\(format(fraction * 100, 0)) %), "
      + "real-time factor \(format(factor, 2)), ETA \(format(eta, 0)) s"
    writeToStandardError(terminal ? "\r\(line)\u{1B}[K" + (force ? "\n" : "") : line + "\n")
  }
}

/// Progress of `infer` on rank 0 over its share of the trials: trials done, trials per second and
/// ETA, on a run's schedule; the last line only where an earlier one was printed.
public struct TrialProgress {
  let enabled: Bool
  let trials: Int
  let start = ContinuousClock.now
  let terminal = isatty(2) != 0
  var lastPrint = ContinuousClock.now
  var printed = false

  public init(enabled: Bool, trials: Int) {
    self.enabled = enabled
    self.trials = trials
  }

  public mutating func update(done: Int) {
    guard enabled && trials > 0 else { return }
    let now = ContinuousClock.now, finished = done >= trials
    guard finished ? printed : now - lastPrint >= .milliseconds(terminal ? 500 : 10_000) else { return }
    lastPrint = now
    printed = true
    let elapsed = (now - start).seconds
    let eta = done > 0 ? elapsed * Double(trials - done) / Double(done) : 0
    let line = "infer: \(done.grouped) / \(trials.grouped) trials (\(format(100 * Double(done) / Double(trials), 0)) %), "
      + "\(format(Double(done) / max(elapsed, 1e-9), 1)) trials per second, ETA \(format(eta, 0)) s"
    writeToStandardError(terminal ? "\r\(line)\u{1B}[K" + (finished ? "\n" : "") : line + "\n")
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
