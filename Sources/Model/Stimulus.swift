/// A current injected into neurons (PyNN's `DCSource` and `StepCurrentSource`), in nA.
public struct CurrentStimulus: Sendable, Equatable {
  public enum Waveform: Sendable, Equatable {
    /// `amplitude` nA in [start, stop) ms.
    case dc(amplitude: Double, start: Double, stop: Double)
    /// Amplitude `amplitudes[i]` from `times[i]` until the next time (ms).
    case step(times: [Double], amplitudes: [Double])
  }

  public var label: String
  public var target: String
  /// Indices of the target neurons; nil for all.
  public var neurons: [Int]?
  public var waveform: Waveform

  public init(label: String, target: String, neurons: [Int]? = nil, waveform: Waveform) {
    self.label = label
    self.target = target
    self.neurons = neurons
    self.waveform = waveform
  }
}
