import Foundation
import TestSupport
import Testing
import Traces

/// `neurofabric infer`: trials from the initial state, the same per-trial results on any rank
/// count, both data-set layouts, and named errors.
@Suite struct NIRInferTests {
  static func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent("nir/\(name)").path }

  static func infer(ranks: Int = 1, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try runProcess(mpiexec, ["-n", String(ranks), neurofabric, "infer", "--system", topology("ideal-crossbar.toml")] + arguments, timeout: 300)
  }

  static func numbers(_ file: String, _ name: String) throws -> [Double] {
    guard case let .numbers(_, values) = try HDF5File.open(file).root().readArray(name) else { return [] }
    return values
  }

  @Test func eachTrialIsARunOfItsSampleFromTheStart() throws {
    let dir = try TemporaryDirectory("infer-trials")
    defer { dir.remove() }
    let out = dir.path("results.h5")
    let result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", Self.fixture("feedforward-events.h5"),
                                 "--trial", "30ms", "--out", out])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("accuracy") && result.output.contains("trials per second"), "\(result.output)")
    #expect(try Self.numbers(out, "label") == [0, 1, 0])
    let counts = try Self.numbers(out, "spike_counts")
    #expect(counts.count == 6)
    // trial i gives what a separate run of sample i gives: the state is reset between trials
    for sample in 0..<3 {
      let run = dir.path("run\(sample)")
      let single = try TestSupport.run(ranks: 1, ["--system", topology("ideal-crossbar.toml"), "--network", Self.fixture("feedforward.nir"),
                                                  "--nir-input", Self.fixture("feedforward-events.h5"), "--nir-sample", String(sample),
                                                  "--duration", "30ms", "--out", run])
      #expect(single.status == 0, "\(single.output)")
      #expect(Double(try spikes(run + "/trace.h5", "lif").times.count) == counts[sample * 2 + 1], "sample \(sample)")
    }
    #expect(counts.contains { $0 > 0 })
    let predicted = try Self.numbers(out, "predicted"), labels = try Self.numbers(out, "label")
    let accuracy = try HDF5File.open(out).root().attribute("accuracy", as: Double.self)[0]
    #expect(accuracy == Double(zip(predicted, labels).filter { $0 == $1 }.count) / 3)
    let again = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", Self.fixture("feedforward-events.h5"), "--out", out])
    #expect(again.status != 0 && again.output.contains("exists"), "a result file is never overwritten silently: \(again.output)")
  }

  /// 1,000 trials on 1 and 2 ranks: every per-trial dataset byte for byte the same.
  @Test func aThousandTrialsGiveTheSameResultsOnOneAndTwoRanks() throws {
    let dir = try TemporaryDirectory("infer-ranks")
    defer { dir.remove() }
    let samples = 1000, width = 12
    var idx: [Int64] = [], time: [Double] = [], labels: [Int64] = []
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    for s in 0..<samples {
      let events = 4 + Int(next() % UInt64(width - 4))
      for e in 0..<width {
        idx.append(e < events ? Int64(next() % 3) : -1)
        time.append(e < events ? Double(next() % 200) * 1e-4 + 5e-5 : 0)
      }
      labels.append(Int64(s % 4))
    }
    let data = dir.path("events.h5")
    do {  // closed before the runs open it
      let file = try HDF5File.create(data)
      try file.root().createDataset("idx", values: idx, shape: [samples, width])
      try file.root().createDataset("time", values: time, shape: [samples, width])
      try file.root().createDataset("labels", values: labels)
      try file.flush()
    }
    var results: [[String: [Double]]] = []
    for ranks in [1, 2] {
      let out = dir.path("r\(ranks).h5")
      let result = try Self.infer(ranks: ranks, ["--network", Self.fixture("feedforward.nir"), "--input", data, "--trial", "25ms", "--out", out])
      #expect(result.status == 0, "\(result.output)")
      #expect(result.output.contains("(1000 of 1000)") == false && result.output.contains("accuracy"), "\(result.output)")
      var datasets: [String: [Double]] = [:]
      for name in ["trial", "predicted", "label", "first_spike_ms", "synaptic_events", "packets", "drops", "spike_counts"] {
        datasets[name] = try Self.numbers(out, name)
      }
      results.append(datasets)
    }
    #expect(results[0]["trial"] == (0..<1000).map(Double.init))
    for (name, values) in results[0] {
      let other = results[1][name] ?? []
      #expect(values.count == other.count && zip(values, other).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(name)")
    }
    #expect(Set(results[0]["predicted"]!).count > 1, "the trials differ: \(Set(results[0]["predicted"]!))")
  }

  @Test(.enabled(if: pythonChecksRun)) func theSpikingHeidelbergDigitsLayoutIsRead() throws {
    let dir = try TemporaryDirectory("infer-shd")
    defer { dir.remove() }
    let data = dir.path("shd.h5")
    let made = try #require(try runPythonCheck("make_shd.py", [data, "5", "3"]))
    #expect(made.status == 0, "\(made.output)")
    let out = dir.path("results.h5")
    let result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", data, "--out", out])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("SHD (spikes/times, spikes/units)"), "\(result.output)")
    #expect(try Self.numbers(out, "label") == [0, 1, 0, 1, 0])
    let bad = try Self.infer(["--network", Self.fixture("zoo.nir"), "--input", data, "--readout-population", "lif"])
    #expect(bad.status == 0 || bad.output.contains("not an input element"), "\(bad.output)")
  }

  @Test func aDataSetWithoutLabelsOrWithForeignUnitsIsNamed() throws {
    let dir = try TemporaryDirectory("infer-bad")
    defer { dir.remove() }
    let data = dir.path("nolabels.h5")
    do {
      let file = try HDF5File.create(data)
      try file.root().createDataset("idx", values: [Int64(0), 7])
      try file.root().createDataset("time", values: [0.001, 0.002])
      try file.flush()
    }
    var result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", data])
    #expect(result.status != 0 && result.output.contains("nolabels.h5: no dataset 'labels'"), "\(result.output)")
    do {
      let file = try HDF5File.open(data, writable: true)
      try file.root().createDataset("labels", values: [Int64(1)])
      try file.flush()
    }
    result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", data])
    #expect(result.status != 0 && result.output.contains("nolabels.h5: /idx: event 1 of sample 0: index 7 is not an input element (0..<3)"),
            "\(result.output)")
    let nanLabels = dir.path("nanlabels.h5")
    do {
      let file = try HDF5File.create(nanLabels)
      try file.root().createDataset("idx", values: [Int64(0)])
      try file.root().createDataset("time", values: [0.001])
      try file.root().createDataset("labels", values: [Double.nan])
      try file.flush()
    }
    result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", nanLabels])
    #expect(result.status != 0 && result.output.contains("nanlabels.h5: /labels: sample 0: label nan is not a class"), "\(result.output)")
    result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", ""])
    #expect(result.status != 0 && result.output.contains("no such file"), "\(result.output)")
    let late = dir.path("late.h5")
    do {
      let file = try HDF5File.create(late)
      try file.root().createDataset("idx", values: [Int64(0)])
      try file.root().createDataset("time", values: [1e300])
      try file.root().createDataset("labels", values: [Int64(0)])
      try file.flush()
    }
    result = try Self.infer(["--network", Self.fixture("feedforward.nir"), "--input", late, "--trial", "10ms"])
    #expect(result.status != 0 && result.output.contains("late.h5: /time: event 0 of sample 0: time 1e+300 is not in [0, "), "\(result.output)")
    result = try Self.infer(["--network", Self.fixture("conv.nir"), "--input", Self.fixture("conv-events.h5")])
    #expect(result.status != 0 && result.output.contains("--readout-population (outputs: if, lif)"), "\(result.output)")
  }
}
