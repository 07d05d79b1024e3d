#if canImport(Glibc)
import Glibc
#endif
import Model

/// Fixed-pattern noise of the analog neuron circuits: each circuit's parameters deviate from their
/// targets by an offset drawn once from the stream (seed, mismatch, chip, circuit), the same on
/// every rank and in every run with that seed. The spreads are documented defaults, not measured
/// figures (docs/hardware.md §7): uncalibrated, transistor mismatch moves potentials by several mV and
/// time constants by tens of percent; calix calibration leaves about one CADC LSB and a few percent.
public enum FixedPatternNoise {
  /// Standard deviations, in bio units: potentials in mV, time constants and gains relative.
  public struct Spread: Sendable, Equatable, Codable {
    public var leak = 0.0, reset = 0.0, threshold = 0.0      // mV
    public var tauM = 0.0, tauSyn = 0.0, synapticGain = 0.0   // relative (0.1 = 10 %)

    public init(leak: Double = 0, reset: Double = 0, threshold: Double = 0, tauM: Double = 0, tauSyn: Double = 0, synapticGain: Double = 0) {
      self.leak = leak; self.reset = reset; self.threshold = threshold
      self.tauM = tauM; self.tauSyn = tauSyn; self.synapticGain = synapticGain
    }

    public static var fields: [(name: String, path: WritableKeyPath<Spread, Double>)] { [
      ("leak", \.leak), ("reset", \.reset), ("threshold", \.threshold), ("tau_m", \.tauM), ("tau_syn", \.tauSyn),
      ("synaptic_gain", \.synapticGain),
    ] }
  }

  /// The spreads before and after calibration.
  public struct Spreads: Sendable, Equatable, Codable {
    public var uncalibrated = Spread(leak: 5, reset: 5, threshold: 5, tauM: 0.25, tauSyn: 0.25, synapticGain: 0.2)
    public var calibrated = Spread(leak: 0.5, reset: 0.5, threshold: 0.5, tauM: 0.02, tauSyn: 0.03, synapticGain: 0.05)
    public init() {}
  }

  /// One circuit's deviations in standard units (one N(0, 1) draw per parameter).
  public struct Draw: Sendable, Equatable {
    public var leak, reset, threshold, tauM, tauSynE, tauSynI, synapticGain: Double
  }

  /// The deviations of `circuit` on `chip`; a logical neuron of several circuits averages its circuits' draws.
  public static func draw(seed: UInt64, chip: Int, circuit: Int) -> Draw {
    var stream = RandomStream(seed: seed, purpose: .mismatch, group: UInt32(chip), member: UInt32(circuit))
    func normal() -> Double {
      // Box–Muller; one value per pair keeps the stream layout simple.
      let u = stream.nextOpenUnit(), v = stream.nextUnit()
      return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    return Draw(leak: normal(), reset: normal(), threshold: normal(), tauM: normal(), tauSynE: normal(), tauSynI: normal(),
                synapticGain: normal())
  }

  /// The mean of several circuits' draws: a merged membrane averages its circuits, so its spread shrinks with √k.
  public static func mean(_ draws: [Draw]) -> Draw {
    let n = Double(draws.count)
    func avg(_ f: (Draw) -> Double) -> Double { draws.reduce(0) { $0 + f($1) } / n }
    return Draw(leak: avg(\.leak), reset: avg(\.reset), threshold: avg(\.threshold), tauM: avg(\.tauM), tauSynE: avg(\.tauSynE),
                tauSynI: avg(\.tauSynI), synapticGain: avg(\.synapticGain))
  }
}
