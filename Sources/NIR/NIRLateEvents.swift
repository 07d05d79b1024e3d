import Model

/// The events of a data set that fall after a trial's end, which the trial drops: how many, in how
/// many samples, the first of them, and the samples that have events but none within the trial.
public struct NIRLateEvents: Sendable, Equatable {
  public var file: String
  /// The times' dataset, for messages.
  public var dataset: String
  /// The trial (ms), the samples looked at, and milliseconds per unit of the file's time.
  public var trial: Double
  public var checked: Int
  public var msPerUnit: Double
  public var events = 0
  public var samples = 0
  /// The first late event: its sample, its index in the sample and its time (the file's unit).
  public var firstSample = -1
  public var firstEvent = -1
  public var firstTime = 0.0
  /// How many samples have events, every one of them late, and the first of them as an error:
  /// its trial would run without input.
  public var silentSamples = 0
  public var silentSample: NIRInferenceError?
  /// The shortest trial (ms) that keeps every event of the samples looked at.
  public var needed = 0.0
}

extension NIRLateEvents: CustomStringConvertible {
  public var description: String {
    "\(file): \(dataset): \(events) event\(events == 1 ? "" : "s") in \(samples) of the \(checked) samples run lie after the trial's end "
      + "(\(trial.compact) ms) and are dropped\(silentSamples > 0 ? " (every event of \(silentSamples) sample\(silentSamples == 1 ? "" : "s"))" : ""), the first in sample \(firstSample) (event \(firstEvent), time \(firstTime.compact), "
      + "\((firstTime * msPerUnit).compact) ms); --trial \(needed.compact)ms keeps them all, and leaving --trial out lets them reach the output"
  }
}

extension NIRSampleSet {
  /// The events of the first `samples` samples that a trial of `steps` steps of `modelDt` (ms) drops:
  /// those of step `steps` or later. Events `trains` refuses (an index or time out of range) are left to it.
  public func lateEvents(steps: Int64, samples: Int, msPerUnit: Double, modelDt: Double) -> NIRLateEvents {
    var late = NIRLateEvents(file: path, dataset: (group == "/" ? "" : group) + (layout.hasPrefix("SHD") ? "/spikes/times" : "/time"),
                             trial: Double(steps) * modelDt, checked: samples, msPerUnit: msPerUnit)
    var lastStep = -1.0, silent: (sample: Int, events: Int, first: Double)?
    for s in 0..<min(samples, count) {
      var inTrial = 0, beyond = 0, earliest = Double.infinity
      for (e, time) in times[s].enumerated() where time >= 0 && time.isFinite {
        let step = Self.step(time, msPerUnit: msPerUnit, modelDt: modelDt)
        guard (step + 1) * modelDt <= Self.latestTime else { continue }
        lastStep = max(lastStep, step)
        guard step >= Double(steps) else {
          inTrial += 1
          continue
        }
        if late.firstSample < 0 { (late.firstSample, late.firstEvent, late.firstTime) = (s, e, time) }
        beyond += 1
        earliest = min(earliest, time)
      }
      guard beyond > 0 else { continue }
      late.events += beyond
      late.samples += 1
      if inTrial == 0 {
        late.silentSamples += 1
        if silent == nil { silent = (s, beyond, earliest) }
      }
    }
    late.needed = (lastStep + 1) * modelDt
    if let (s, events, first) = silent {
      late.silentSample = .everyEventAfterTrial(file: path, dataset: late.dataset, sample: s, events: events, first: first,
                                                firstMs: first * msPerUnit, trial: late.trial, needed: late.needed)
    }
    return late
  }

  /// Refuses a label of the first `samples` samples that no neuron of a readout of `size` neurons stands for.
  public func checkLabels(samples: Int, readout population: String, size: Int) throws(NIRInferenceError) {
    guard let labels else { return }
    let run = labels.prefix(samples)
    guard let s = run.firstIndex(where: { $0 >= size }) else { return }
    throw .labelBeyondReadout(file: path, dataset: (group == "/" ? "" : group) + "/labels", sample: s, label: labels[s], population: population,
                              size: size, beyond: run.filter { $0 >= size }.count, checked: run.count)
  }
}
