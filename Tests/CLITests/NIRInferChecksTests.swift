import Foundation
import TestSupport
import Testing
import Traces

/// `neurofabric infer` refuses, by name, set-ups that could only be scored wrong (labels no output
/// neuron stands for, readouts that cannot predict, samples whose events all fall after the trial,
/// trials beyond the bound without --long-trials) and warns of those that lose part of a sample.
@Suite struct NIRInferChecksTests {
  static let feedforward = NIRInferTests.fixture("feedforward.nir")

  /// A data set for the feedforward fixture (3 inputs): per sample, events (idx, time in s); -1 pads.
  static func dataSet(_ dir: TemporaryDirectory, _ name: String, _ samples: [[(Int64, Double)]], labels: [Double]) throws -> String {
    let path = dir.path(name), width = samples.map(\.count).max() ?? 0
    let file = try HDF5File.create(path)
    let padded = samples.map { $0 + Array(repeating: (Int64(-1), 0.0), count: width - $0.count) }
    try file.root().createDataset("idx", values: padded.flatMap { $0.map(\.0) }, shape: [samples.count, width])
    try file.root().createDataset("time", values: padded.flatMap { $0.map(\.1) }, shape: [samples.count, width])
    try file.root().createDataset("labels", values: labels)
    try file.flush()
    return path
  }

  static let events: [(Int64, Double)] = [(0, 0.0005), (1, 0.001), (2, 0.002), (1, 0.004)]

  @Test func aLabelBeyondTheReadoutIsRefusedWithItsSample() throws {
    let dir = try TemporaryDirectory("infer-labels")
    defer { dir.remove() }
    // 'lif' has 4 neurons: label 5 can never be predicted
    let data = try Self.dataSet(dir, "beyond.h5", [Self.events, Self.events, Self.events], labels: [0, 5, 7])
    var result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "10ms"])
    #expect(result.status == 1, "\(result.output)")
    #expect(result.output.contains("beyond.h5: /labels: sample 1: label 5 is not a neuron of the readout 'lif' (4 neurons, labels 0 to 3)")
            && result.output.contains("(2 of the 3 samples run have such a label)") && result.output.contains("--readout-population"),
            "\(result.output)")
    // only the samples run are checked
    result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "10ms", "--trials", "1"])
    #expect(result.status == 0 && result.output.contains(" of 1)"), "\(result.output)")
  }

  @Test(arguments: [(-1.0, "label -1.0 is not a class"), (1.5, "label 1.5 is not a class")])
  func aNegativeOrFractionalLabelIsRefusedWithItsSample(label: Double, message: String) throws {
    let dir = try TemporaryDirectory("infer-label-value")
    defer { dir.remove() }
    let data = try Self.dataSet(dir, "labels.h5", [Self.events, Self.events], labels: [0, label])
    let result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "10ms"])
    #expect(result.status == 1 && result.output.contains("labels.h5: /labels: sample 1: \(message)"), "\(result.output)")
  }

  @Test func aSpikeReadoutOfNeuronsWithoutThresholdIsRefused() throws {
    for readout in ["spike-count", "first-spike"] {
      let result = try NIRInferTests.infer(["--network", NIRInferTests.fixture("recurrent.nir"), "--input", NIRInferTests.fixture("recurrent-events.h5"),
                                            "--readout-population", "readout", "--readout", readout])
      #expect(result.status == 1, "\(result.output)")
      #expect(result.output.contains("recurrent.nir: readout \(readout) of 'readout' needs spikes, and its neurons (NIR LI) have no threshold")
              && result.output.contains("--readout max-membrane"), "\(result.output)")
    }
    let membrane = try NIRInferTests.infer(["--network", NIRInferTests.fixture("recurrent.nir"), "--input", NIRInferTests.fixture("recurrent-events.h5"),
                                            "--readout-population", "readout", "--readout", "max-membrane"])
    #expect(membrane.status == 0 && !membrane.output.contains("warning"), "the LI readout's membrane is what it is for: \(membrane.output)")
  }

  @Test func theInputReadOutIsRefused() throws {
    for readout in ["spike-count", "max-membrane"] {
      let result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", NIRInferTests.fixture("feedforward-events.h5"),
                                            "--readout-population", "input", "--readout", readout])
      #expect(result.status == 1 && result.output.contains("feedforward.nir: readout \(readout) of 'input', the graph's Input: its spikes are the data set's own"),
              "\(result.output)")
    }
  }

  @Test func aMembraneReadoutOfSpikingNeuronsIsAWarning() throws {
    let result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", NIRInferTests.fixture("feedforward-events.h5"), "--readout", "max-membrane"])
    #expect(result.status == 0 && result.output.contains("accuracy"), "\(result.output)")
    #expect(result.output.contains("warning: ") && result.output.contains("readout max-membrane of 'lif': its neurons (NIR CubaLIF) spike and reset"),
            "\(result.output)")
  }

  @Test func eventsAfterTheTrialAreCountedInAWarning() throws {
    let dir = try TemporaryDirectory("infer-late")
    defer { dir.remove() }
    // 30 ms trial: sample 1 loses 2 events (at 35 and 50 ms), sample 2 one; sample 0 none
    let data = try Self.dataSet(dir, "late.h5", [Self.events, Self.events + [(0, 0.035), (2, 0.050)], Self.events + [(1, 0.0301)]], labels: [0, 1, 2])
    let result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "30ms"])
    #expect(result.status == 0 && result.output.contains("accuracy"), "\(result.output)")
    #expect(result.output.contains("late.h5: /time: 3 events in 2 of the 3 samples run lie after the trial's end (30 ms) and are dropped, "
                                   + "the first in sample 1 (event 4, time 0.035, 35 ms); --trial 50.1ms keeps them all"), "\(result.output)")
    let whole = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "50.1ms"])
    #expect(whole.status == 0 && !whole.output.contains("warning"), "the trial the warning names keeps every event: \(whole.output)")
  }

  @Test func aSampleWhoseEventsAllFallAfterTheTrialIsRefused() throws {
    let dir = try TemporaryDirectory("infer-silent")
    defer { dir.remove() }
    // sample 1's times are in ms where the graph reads seconds: every one lies beyond a 30 ms trial
    let data = try Self.dataSet(dir, "silent.h5", [Self.events, Self.events.map { ($0.0, $0.1 * 1000) }], labels: [0, 1])
    let result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "30ms"])
    #expect(result.status == 1, "\(result.output)")
    #expect(result.output.contains("silent.h5: /time: sample 1: all 4 of its events lie after the trial's end (the first at 0.5, 500 ms; the trial lasts 30 ms)")
            && result.output.contains("give --trial 4000.1ms or more") && result.output.contains("time unit")
            && result.output.contains("--truncate-samples"), "\(result.output)")
    // a trial shorter than its samples on purpose: run, and the warning counts the samples left without input
    let truncated = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "30ms", "--truncate-samples"])
    #expect(truncated.status == 0 && truncated.output.contains("silent.h5: /time: 4 events in 1 of the 2 samples run lie after the trial's end "
                                                               + "(30 ms) and are dropped (every event of 1 sample)"), "\(truncated.output)")
  }

  @Test func aTrialBeyondTheBoundNeedsLongTrials() throws {
    let data = NIRInferTests.fixture("feedforward-events.h5")
    let refused = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "1e9ms"])
    #expect(refused.status == 1, "\(refused.output)")
    #expect(refused.output.contains("infer: a trial of 1e+09 ms is 1e+10 steps of 0.1 ms, more than the 1e+07 steps (1e+06 ms) a trial may take without --long-trials"),
            "\(refused.output)")
    // the default trial lasts past the latest event: times in ms read as seconds make it too long
    let dir = try TemporaryDirectory("infer-bound")
    defer { dir.remove() }
    let milliseconds = try Self.dataSet(dir, "ms.h5", [[(0, 0.5), (1, 1500.0)]], labels: [0])
    let byDefault = try NIRInferTests.infer(["--network", Self.feedforward, "--input", milliseconds])
    #expect(byDefault.status == 1 && byDefault.output.contains("(the default: past the data set's latest event, at 1500 in the graph's time unit)")
            && byDefault.output.contains("check that the data set's times are in the graph's time unit"), "\(byDefault.output)")
    // with the flag the bound is lifted: this system then refuses the graph itself, before any trial
    let allowed = try runProcess(neurofabric, ["infer", "--system", topology("spinnaker1-board.toml"), "--network", Self.feedforward, "--input", data,
                                               "--trial", "1001s", "--long-trials"], timeout: 60)
    #expect(allowed.status == 1 && !allowed.output.contains("--long-trials") && allowed.output.contains("sPyNNaker reads PyNN, not NIR"),
            "\(allowed.output)")
  }

  /// A trial of 10^6 steps prints a run's progress line (bio time, %, ETA) on rank 0; --no-progress silences it.
  @Test func aLongTrialShowsProgressAndAnEstimate() throws {
    let data = NIRInferTests.fixture("feedforward-events.h5")
    let result = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "100s", "--trials", "1"])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("run: 100000.0 / 100000.0 ms bio (100 %)") && result.output.contains("ETA"), "\(result.output)")
    let short = try NIRInferTests.infer(["--network", Self.feedforward, "--input", data, "--trial", "30ms", "--no-progress"])
    #expect(short.status == 0 && !short.output.contains("ETA"), "\(short.output)")
  }
}
