import Model

/// Why `infer` refuses a graph, a data set or a trial length before any trial runs: set-ups whose
/// every trial, or some trials, could only be scored wrong.
public enum NIRInferenceError: Error, CustomStringConvertible, Equatable {
  /// A label that no neuron of the readout population stands for (`beyond` of the `checked`
  /// samples run have one).
  case labelBeyondReadout(file: String, dataset: String, sample: Int, label: Int, population: String, size: Int, beyond: Int, checked: Int)
  /// A spike readout of a population whose neurons have no threshold (LI, CubaLI, I).
  case readoutWithoutSpikes(network: String, population: String, kind: String, readout: String)
  /// The graph's Input read out: its spikes are the data set's, not the network's answer.
  case readoutOfInput(network: String, population: String, readout: String)
  /// A sample with events, every one of them after the trial's end: its trial runs without input.
  case everyEventAfterTrial(file: String, dataset: String, sample: Int, events: Int, first: Double, firstMs: Double, trial: Double, needed: Double)
  /// A trial of more steps than `infer` runs without `--long-trials`; `latestEvent` (the file's
  /// unit) where the trial is the default one, which lasts past the data set's latest event.
  case trialTooLong(trial: Double, steps: Int64, dt: Double, bound: Int64, latestEvent: Double?)

  public var description: String {
    switch self {
    case let .labelBeyondReadout(file, dataset, sample, label, population, size, beyond, checked):
      return "\(file): \(dataset): sample \(sample): label \(label) is not a neuron of the readout '\(population)' (\(size) neuron\(size == 1 ? "" : "s"), "
        + "labels 0 to \(size - 1)): no trial can predict it (\(beyond) of the \(checked) samples run have such a label); "
        + "choose the readout with --readout-population, or the data set that goes with this graph"
    case let .readoutWithoutSpikes(network, population, kind, readout):
      return "\(network): readout \(readout) of '\(population)' needs spikes, and its neurons (NIR \(kind)) have no threshold: "
        + "every trial would predict nothing; read their membrane with --readout max-membrane, or a spiking population with --readout-population"
    case let .readoutOfInput(network, population, readout):
      return "\(network): readout \(readout) of '\(population)', the graph's Input: its spikes are the data set's own, not the network's answer; "
        + "read a population of neurons with --readout-population"
    case let .everyEventAfterTrial(file, dataset, sample, events, first, firstMs, trial, needed):
      return "\(file): \(dataset): sample \(sample): all \(events) of its events lie after the trial's end (the first at \(first.compact), \(firstMs.compact) ms; "
        + "the trial lasts \(trial.compact) ms), so its trial would run without input; give --trial \(needed.compact)ms or more "
        + "(or leave --trial out), check that the times are in the graph's time unit, or pass --truncate-samples to run such samples without input"
    case let .trialTooLong(trial, steps, dt, bound, latestEvent):
      let cause = latestEvent.map { " (the default: past the data set's latest event, at \($0.compact) in the graph's time unit)" } ?? ""
      return "infer: a trial of \(trial.compact) ms\(cause) is \(Double(steps).compact) steps of \(dt.compact) ms, more than the "
        + "\(Double(bound).compact) steps (\((Double(bound) * dt).compact) ms) a trial may take without --long-trials; "
        + (latestEvent == nil ? "" : "check that the data set's times are in the graph's time unit, ")
        + "give a shorter --trial, or pass --long-trials to run it"
    }
  }
}
