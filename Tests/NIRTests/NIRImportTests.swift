import Foundation
import Model
import NIR
import TestSupport
import Testing
import Traces

/// The NIR import on graphs written by the `nir` package (Tests/Fixtures/nir/make_fixtures.py).
@Suite struct NIRImportTests {
  static func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent("nir/\(name)").path }

  static func neuron(_ network: Network, _ label: String) -> NIRNeuron? {
    guard let p = network.populationIndex(label), case let .nir(neuron) = network.populations[p].cellType else { return nil }
    return neuron
  }

  static func connections(_ network: Network, _ label: String) -> [ListConnection] {
    guard case let .fromList(list)? = network.projections.first(where: { $0.label == label })?.connector else { return [] }
    return list
  }

  static func weight(_ list: [ListConnection], pre: Int, post: Int) -> Double? {
    list.first { $0.pre == pre && $0.post == post }?.weight
  }

  @Test func aFeedForwardGraphBecomesPopulationsAndSynapses() throws {
    let imported = try NIRImporter.read(path: Self.fixture("feedforward.nir"))
    let network = imported.network
    #expect(network.populations.map(\.label) == ["input", "lif"])
    #expect(network.populations.map(\.size) == [3, 4])
    #expect(network.populations[0].cellType == .spikeSourceArray(times: [[]]))
    let lif = try #require(Self.neuron(network, "lif"))
    #expect(lif.kind == .cubaLIF)
    // seconds detected: τ 4 ms and 8 ms; per-neuron thresholds kept, equal values collapsed
    #expect(lif.tauSyn.map { Float($0 / 1000) } == [0.004] && lif.tauMem.map { Float($0 / 1000) } == [0.008])
    #expect(lif.vThreshold.map { Float($0) } == [0.05, 0.04, 0.06, 0.05])
    #expect(lif.wIn == [4] && lif.r == [1] && lif.vLeak == [0])
    #expect(lif.bias.map { Float($0) } == [0, 0.002, 0, 0.004])
    // W is (out, in): W[1][0] = 1.2 is input 0 onto neuron 1; a transposed reading fails here
    let excitatory = Self.connections(network, "fc"), inhibitory = Self.connections(network, "fc.inh")
    #expect(excitatory.count == 6 && inhibitory.count == 2)
    #expect(Self.weight(excitatory, pre: 0, post: 1).map { Float($0) } == 1.2)
    #expect(Self.weight(excitatory, pre: 1, post: 0).map { Float($0) } == 0.5)
    #expect(Self.weight(excitatory, pre: 2, post: 3).map { Float($0) } == 0.9)
    #expect(Self.weight(inhibitory, pre: 2, post: 1).map { Float($0) } == 0.4)
    #expect(Self.weight(inhibitory, pre: 1, post: 3).map { Float($0) } == 0.7)
    #expect(network.projections.allSatisfy { $0.delay == .constant(0.1) && $0.pre == "input" && $0.post == "lif" })
    #expect(network.recordings == [Recording(population: "lif", variables: [.spikes], interval: 0.1)])
    #expect(imported.notes.contains { $0.contains("time unit   s (detected") })
  }

  @Test func aNestedGraphIsFlattenedWithDottedLabels() throws {
    let network = try NIRImporter.read(path: Self.fixture("recurrent.nir")).network
    #expect(network.populations.map(\.label) == ["input", "rsnn.lif", "readout"])
    #expect(Self.neuron(network, "rsnn.lif")?.kind == .lif)
    #expect(Self.neuron(network, "rsnn.lif")?.tauMem.map { Float($0 / 1000) } == [0.01, 0.02, 0.015])
    // the recurrent Linear: every pair but the diagonal, inhibitory 0.8
    let recurrent = Self.connections(network, "rsnn.w_rec.inh")
    #expect(recurrent.count == 6 && recurrent.allSatisfy { $0.pre != $0.post && Float($0.weight!) == 0.8 })
    #expect(network.projections.first { $0.label == "rsnn.w_rec.inh" }?.pre == "rsnn.lif")
    // input -> fc_in -> the nested Input -> rsnn.lif is one projection named after its Affine
    #expect(Self.weight(Self.connections(network, "fc_in"), pre: 1, post: 2).map { Float($0) } == 40)
    #expect(Self.neuron(network, "readout")?.bias.map { Float($0) } == [0, 0.001])
    #expect(Set(network.recordings.map(\.population)) == ["readout", "rsnn.lif"])
    #expect(network.recordings.first { $0.population == "readout" }?.variables == [.v])
  }

  @Test func convolutionPoolingAndFlattenAreMultipliedOut() throws {
    let network = try NIRImporter.read(path: Self.fixture("conv.nir")).network
    #expect(network.populations.map(\.label) == ["input", "if", "lif"])
    #expect(network.populations.map(\.size) == [36, 72, 3])
    let root = try HDF5File.open(Self.fixture("conv.nir")).root()
    guard case let .numbers(_, kernel) = try root.readArray("node/nodes/conv/weight"),
          case let .numbers(_, fc) = try root.readArray("node/nodes/fc/weight") else { Issue.record("weights"); return }
    let conv = Self.connections(network, "conv") + Self.connections(network, "conv.inh")
    // output (channel 1, y 0, x 5) reads input (y 0..1, x 4..5) with kernel rows 1..2, columns 0..1
    let post = 36 + 0 * 6 + 5
    for (ky, kx, pre) in [(1, 0, 4), (1, 1, 5), (2, 0, 10), (2, 1, 11)] {
      let w = kernel[((1 * 1 + 0) * 3 + ky) * 3 + kx]
      #expect(Self.weight(conv, pre: pre, post: post).map { Float($0) } == Float(abs(w)), "kernel (\(ky), \(kx))")
    }
    #expect(conv.filter { $0.post == post }.count == 4)
    // IF element (1, 3, 4) is pooled into (1, 1, 2), flattened to 9 + 3 + 2 = 14: fc column 14
    let toLIF = Self.connections(network, "fc") + Self.connections(network, "fc.inh")
    let element = 36 + 3 * 6 + 4
    for o in 0..<3 {
      #expect(Self.weight(toLIF, pre: element, post: o).map { Float($0) } == Float(abs(fc[o * 18 + 14])))
    }
    // IF without τ: r = 1000 per second, one step of 1e-4 s -> 0.1 per step, i.e. 1 per ms
    #expect(Self.neuron(network, "if")?.r == [1])
    #expect(Self.neuron(network, "if")?.bias.count == 72)
  }

  @Test func everyNeuronTypeAndScaleAndAveragePoolingRead() throws {
    let network = try NIRImporter.read(path: Self.fixture("zoo.nir")).network
    let kinds = network.populations.compactMap { p -> String? in
      if case let .nir(n) = p.cellType { return p.label + ":" + n.kind.rawValue }
      return nil
    }
    #expect(Set(kinds) == ["lif:LIF", "cubali:CubaLI", "integrator:I", "cubalif:CubaLIF"])
    #expect(Self.neuron(network, "lif")?.vReset.map { Float($0) } == [-0.05])
    // Scale: input i onto lif i only, weight scale[i]
    let gain = Self.connections(network, "gain")
    #expect(gain.map(\.pre) == [0, 1, 2, 3] && gain.map(\.post) == [0, 1, 2, 3] && gain.map { Float($0.weight!) } == [3, 2, 1.5, 2.5])
    // AvgPool2d over the 2x2 grid: a quarter from each lif neuron
    let average = Self.connections(network, "avg")
    #expect(average.count == 4 && average.allSatisfy { $0.weight == 0.25 && $0.post == 0 })
    #expect(Set(network.recordings.map(\.population)) == ["lif", "cubali", "integrator", "cubalif"])
  }

  @Test func delaysAddStepsAndThresholdsAreStateless() throws {
    let network = try NIRImporter.read(path: Self.fixture("delays.nir")).network
    // Delay [0.5, 1.2, 0] ms before fc: 5, 12 and 0 steps on top of the hop's one
    let fc = Self.connections(network, "fc")
    #expect(fc.first { $0.pre == 0 }?.delay.map { ($0 * 10).rounded() } == 6)
    #expect(fc.filter { $0.pre == 1 }.allSatisfy { $0.delay.map { ($0 * 10).rounded() } == 13 })
    #expect(fc.first { $0.pre == 2 }?.delay.map { ($0 * 10).rounded() } == 1)
    #expect(network.projections.first { $0.label == "back" }?.pre == "lif", "a delayed projection starts at the spiking node")
    #expect(Self.neuron(network, "gate")?.kind == .threshold)
    #expect(Self.neuron(network, "gate")?.vThreshold.map { Float($0) } == [0.4, 0.7])
  }

  @Test func theTimeUnitIsDetectedOrGiven() throws {
    var imported = try NIRImporter.read(path: Self.fixture("feedforward.nir"), options: NIRImportOptions(timeUnit: .millisecond))
    #expect(Self.neuron(imported.network, "lif")!.tauMem.map(Float.init) == [0.008])
    imported = try NIRImporter.read(path: Self.fixture("feedforward.nir"), options: NIRImportOptions(dt: 1e-3))
    #expect(Self.neuron(imported.network, "lif")!.tauMem.map { Float($0 / 100) } == [0.008], "1 ms of file time is one 0.1 ms step")
    #expect(imported.notes.contains { $0.contains("0.001 s = one model step of 0.1 ms") })
    let ifOnly = try NIRImporter.read(path: Self.fixture("conv.nir")).notes
    #expect(!ifOnly.contains { $0.contains("time unit   step") }, "conv.nir has a LIF with τ")
  }

  @Test func eventDataFeedsTheInput() throws {
    var imported = try NIRImporter.read(path: Self.fixture("feedforward.nir"))
    let samples = try NIRSampleSet.read(path: Self.fixture("feedforward-events.h5"))
    try imported.feed(samples, sample: 1)
    guard case let .spikeSourceArray(trains) = imported.network.populations[0].cellType else { Issue.record("no spike array"); return }
    let root = try HDF5File.open(Self.fixture("feedforward-events.h5")).root()
    guard case let .numbers(shape, idx) = try root.readArray("idx"), case let .numbers(_, time) = try root.readArray("time") else {
      Issue.record("idx and time are not numbers")
      return
    }
    let events = (0..<shape[1]).map { shape[1] + $0 }.filter { idx[$0] >= 0 }
    #expect(trains.count == 3 && trains.reduce(0) { $0 + $1.count } == events.count)
    // an event at t s lies in step ⌊t / 1e-4⌋ and is emitted at that step's end
    let first = events[0]
    let expected = ((time[first] / 1e-4).rounded(.down) + 1) * 0.1
    #expect(trains[Int(idx[first])].contains { abs($0 - expected) < 1e-9 })
    #expect(imported.network.validate().isEmpty)
    #expect(throws: DataSetFileErrors.self) { try imported.feed(samples, sample: 3) }
  }

  @Test func aGraphReadAsADataSetIsADataSetFileError() {
    let path = Self.fixture("feedforward.nir")
    let error = thrownError { _ = try NIRSampleSet.read(path: path) }
    #expect(error is DataSetFileErrors && !(error is NIRFileErrors) && !(error is NetworkFileErrors))
    #expect(error.map { "\($0)" } == "\(path): /idx: missing dataset: EventData holds idx and time (or the SHD layout spikes/times, spikes/units)")
  }
}
