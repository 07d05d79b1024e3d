import Distributed
@testable import Engine
import Foundation
import Hardware
import Mapping
import Model
import TestSupport
import Testing
import Traces

/// BrainScaleS-2 (docs/hardware.md §2): the analog AdEx against `ideal`, fixed-pattern noise, the
/// mapping's limits, crossbar drops and the FPGA path between chips, run in-process. Runs on 1–4
/// ranks through `neurofabric run` are in CLITests' `BrainScaleS2Tests`.
@Suite(.serialized) struct BrainScaleS2Tests {
  /// Runs in-process on one rank.
  func simulate(_ network: Network, _ system: BrainScaleS2System, duration: Double, out: String) throws -> (BrainScaleS2Run, RunSummary) {
    let options = RunOptions(duration: duration, seed: 7, output: out, progress: false)
    let (run, summary) = try FamilyRegistry.standard.run(network, on: system, options: options, communicator: LocalCommunicator())
    return (try #require(run as? BrainScaleS2Run), summary)
  }

  /// Two AdEx neurons, one driven by a current step, one by spike arrays (delay 1 ms on `ideal`;
  /// BrainScaleS-2 has no delays and plays the spikes in at their times).
  static let adexPair = """
    [network]
    name = "adex pair"
    [[population]]
    label = "adex"
    size = 2
    cell = "AdEx_curr_exp"
    parameters = { tau_refrac = 2.0, a = 2.0, b = 0.05 }
    [[population]]
    label = "input"
    size = 3
    cell = "SpikeSourceArray"
    spike_times = [[20.0, 60.0, 61.0, 62.0, 100.0], [21.0, 60.5, 61.5, 100.5], [22.0, 61.2, 62.2, 101.0, 101.2]]
    [[projection]]
    pre = "input"
    post = "adex"
    receptor = "excitatory"
    connector = { type = "from_list", connections = [[0, 1], [1, 1], [2, 1]] }
    weight = 1.2
    delay = 1.0
    [[stimulus]]
    target = "adex"
    neurons = [0]
    type = "step"
    times = [0.0, 30.0, 130.0]
    amplitudes = [0.0, 0.9, 0.0]
    [[record]]
    population = "adex"
    variables = ["spikes", "v"]
    interval = 0.1
    """

  /// With mismatch off, the BrainScaleS-2 AdEx fires within 0.1 ms (bio) of the same neuron on an
  /// ideal system with a 0.01 ms step, for a current step and for spike input; the MADC reads 10-bit codes.
  @Test func adexMatchesIdealWithoutMismatch() throws {
    let dir = try TemporaryDirectory("bss2-adex")
    defer { dir.remove() }
    let network = try NetworkFileReader.parse(Self.adexPair, file: "adex.toml")
    var system = BrainScaleS2System()
    system.mismatchEnabled = false
    _ = try simulate(network, system, duration: 150, out: dir.path("bss2"))
    var ideal = IdealSystem()
    ideal.chips = 1
    ideal.dt = 0.01
    let options = RunOptions(duration: 150, seed: 7, output: dir.path("ideal"), progress: false)
    _ = try FamilyRegistry.standard.run(network, on: ideal, options: options, communicator: LocalCommunicator())
    let ours = try spikes(dir.path("bss2/trace.h5"), "adex"), theirs = try spikes(dir.path("ideal/trace.h5"), "adex")
    for neuron: UInt64 in [0, 1] {
      let delay = neuron == 1 ? 1.0 : 0.0
      let a = zip(ours.times, ours.nodes).filter { $0.1 == neuron }.map { $0.0 + delay }
      let b = zip(theirs.times, theirs.nodes).filter { $0.1 == neuron }.map(\.0)
      #expect(a.count == b.count && a.count >= 3, "neuron \(neuron): \(a) vs ideal \(b)")
      for (x, y) in zip(a, b) { #expect(abs(x - y) <= 0.1, "neuron \(neuron): spike at \(x) ms, ideal \(y) ms") }
    }
    let v = try HDF5File.open(dir.path("bss2/trace.h5")).group("/report/adex").openMatrix("data", as: Float.self).read()
    let lsb = 100.0 / 1023
    #expect(!v.isEmpty)
    #expect(v.allSatisfy { abs((Double($0) + 100) / lsb - ((Double($0) + 100) / lsb).rounded()) < 1e-2 }, "samples are 10-bit codes")
  }

  /// 512 identical circuits driven by the same current: with only τ_m mismatch (uncalibrated 25 %),
  /// the drawn τ_m spread is the configured one, every circuit fires at the LIF rate of its own τ_m,
  /// and calibration shrinks the spread of rates by the ratio of the spreads.
  @Test func mismatchSpreadMatchesConfiguration() throws {
    let dir = try TemporaryDirectory("bss2-mismatch")
    defer { dir.remove() }
    var cell = LIFParameters()
    cell.tauM = 10; cell.cm = 0.2; cell.tauRefrac = 2; cell.vRest = -65; cell.vReset = -65; cell.vThresh = -50; cell.iOffset = 1.0
    let network = Network(name: "pacers", populations: [Population(label: "pacers", size: 512, cellType: .ifCurrExp(cell))],
                          recordings: [Recording(population: "pacers", variables: [.spikes])])
    var spreadOfRates: [Double] = []
    for calibrated in [false, true] {
      var system = BrainScaleS2System()
      system.calibrated = calibrated
      system.mismatch.uncalibrated = FixedPatternNoise.Spread(tauM: 0.25)
      system.mismatch.calibrated = FixedPatternNoise.Spread(tauM: 0.025)
      let out = dir.path(calibrated ? "calibrated" : "uncalibrated")
      let (simulation, _) = try simulate(network, system, duration: 400, out: out)
      let tau = simulation.chips[0].neurons.tauM
      let relative = tau.map { $0 / cell.tauM - 1 }
      let sd = (relative.map { $0 * $0 }.reduce(0, +) / Double(relative.count)).squareRoot()
      let configured = calibrated ? 0.025 : 0.25
      #expect(abs(sd / configured - 1) < 0.15, "τ_m spread \(sd), configured \(configured)")
      let (times, nodes) = try spikes(out + "/trace.h5", "pacers")
      var rates = [Double](repeating: 0, count: 512)
      // The rate from the inter-spike intervals after the first spike (the first starts from rest too).
      var first = [Double](repeating: -1, count: 512), last = first, count = [Int](repeating: 0, count: 512)
      for (t, n) in zip(times, nodes) {
        let i = Int(n)
        if first[i] < 0 { first[i] = t }
        last[i] = t
        count[i] += 1
      }
      for i in 0..<512 where count[i] > 2 { rates[i] = Double(count[i] - 1) / (last[i] - first[i]) * 1000 }
      for i in 0..<512 {
        let refractory = system.refractoryTime(bioMilliseconds: 2)
        let drive = cell.iOffset * tau[i] / cell.cm
        guard drive > 15.5 else {
          #expect(count[i] <= 1, "circuit \(i) with τ_m \(tau[i]) ms cannot reach threshold")
          continue
        }
        let expected = 1000 / (refractory + tau[i] * log(drive / (drive - 15)))
        #expect(abs(rates[i] / expected - 1) < 0.02, "circuit \(i): \(rates[i]) Hz, LIF rate \(expected) Hz for τ_m \(tau[i]) ms")
      }
      let mean = rates.reduce(0, +) / 512
      spreadOfRates.append((rates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 512).squareRoot() / mean)
    }
    #expect(spreadOfRates[0] > 0.05 && spreadOfRates[1] < spreadOfRates[0] / 5, "CV of rates \(spreadOfRates)")
  }

  /// A source population `sources` → `targets` with `connector`.
  func fanNetwork(sources: Int, targets: Int, connector: Connector) -> Network {
    Network(name: "fan", populations: [
      Population(label: "source", size: sources, cellType: .spikeSourceArray(times: [[10]])),
      Population(label: "sink", size: targets, cellType: .ifCurrExp(LIFParameters())),
    ], projections: [
      Projection(label: "source->sink", pre: "source", post: "sink", receptor: .excitatory, connector: connector,
                 weight: .uniform(low: 0.01, high: 0.05), delay: .constant(1)),
    ])
  }

  /// The mapping's limits fail with the neuron, chip, hemisphere and bus where they break; a mapping
  /// that fits keeps every label within 6 bits and distinct per row-select group, ≤ 32 drivers per bus.
  @Test func mappingLimitsAreNamed() throws {
    var system = BrainScaleS2System()
    system.maxCircuitsPerNeuron = 1
    #expect(throws: BrainScaleS2MappingError.fanIn(population: "sink", neuron: 0, synapses: 300, circuits: 1, limit: 256)) {
      try BrainScaleS2Mapping(network: fanNetwork(sources: 300, targets: 1, connector: .allToAll), system: system, seed: 1)
    }
    do {
      _ = try BrainScaleS2Mapping(network: fanNetwork(sources: 20_000, targets: 256, connector: .fixedIndegree(64, multapses: false)),
                                  system: system, seed: 1)
      Issue.record("11,000 sources into one hemisphere must exhaust the labels")
    } catch {
      guard case let .labels(chip, hemisphere, _) = error else { Issue.record("\(error)"); return }
      #expect(chip == 0 && hemisphere == 0)
      #expect(error.description.contains("labels: chip 0, top hemisphere"))
    }
    let brunel = try StandardNetworks.build("brunel:N=1500")
    system.chips = 4
    do {
      _ = try BrainScaleS2Mapping(network: brunel, system: system, seed: 1)
      Issue.record("Brunel with in-degree 150 must not fit 4 chips")
    } catch {
      guard case .busDrivers = error else { Issue.record("\(error)"); return }
      #expect(error.description.contains("synapse drivers exhausted"))
    }

    // What fits: uniform weights lose at most half an LSB, and every synapse gets a label.
    let network = fanNetwork(sources: 200, targets: 300, connector: .fixedIndegree(50, multapses: false))
    let mapping = try BrainScaleS2Mapping(network: network, system: BrainScaleS2System(), seed: 1)
    let q = mapping.quantisation[0]
    #expect(q.synapses == 300 * 50 && abs(q.scale / (0.05 / 63) - 1) < 0.01, "the largest weight is 63 LSB")
    #expect(q.rmsRelativeError > 0 && q.rmsRelativeError < 0.5 / 12)
    let chip = mapping.chips[0]
    #expect(chip.targetNeuron.count == 300 * 50)
    #expect(chip.busDrivers.allSatisfy { $0 <= 32 })
    var seen = Set<[Int]>()
    for e in chip.entrySource.indices {
      #expect(chip.entryLabel[e] < 64 && chip.entryRowSelect[e] < 32)
      #expect(seen.insert([Int(chip.entryBus[e]), Int(chip.entryRowSelect[e]), Int(chip.entryLabel[e])]).inserted,
              "two sources share bus, row-select and label")
    }
  }

  /// 8 neurons in the columns of one event output fire: in lockstep (same start, no mismatch) their
  /// events collide on the PADI bus and all but one per cycle are dropped, counted on input 0; with
  /// staggered starts no event is dropped.
  @Test func crossbarDropsOnlyWhenTheBusIsOverloaded() throws {
    let dir = try TemporaryDirectory("bss2-drops")
    defer { dir.remove() }
    var system = BrainScaleS2System()
    system.mismatchEnabled = false
    var cell = LIFParameters()
    cell.iOffset = 1.0; cell.tauRefrac = 2
    for staggered in [false, true] {
      let network = Network(name: "lockstep", populations: [
        Population(label: "pacers", size: 8, cellType: .ifCurrExp(cell), initialVoltage: staggered ? .uniform(low: -65, high: -51) : nil),
        Population(label: "sink", size: 4, cellType: .ifCurrExp(LIFParameters())),
      ], projections: [
        Projection(label: "pacers->sink", pre: "pacers", post: "sink", receptor: .excitatory, connector: .allToAll,
                   weight: .constant(0.001), delay: .constant(1)),
      ])
      let (simulation, summary) = try simulate(network, system, duration: 100, out: dir.path("run\(staggered)"))
      let chip = simulation.chips[0]
      if staggered {
        #expect(summary.drops == 0 && chip.busEvents > 0, "\(chip.inputDrops)")
      } else {
        #expect(chip.inputDrops[0] > 0 && chip.inputDrops[0] == summary.drops, "\(chip.inputDrops)")
        #expect(chip.inputDrops[0] == 7 * chip.busEvents, "one event per cycle passes: \(chip.inputDrops[0]) dropped, \(chip.busEvents) passed")
      }
    }
  }

  /// A source with synapses in both hemispheres of another chip is sent there once: one FPGA
  /// event, whose label reaches both hemispheres (a copy per hemisphere was dropped, or delivered
  /// twice without arbitration).
  @Test func aSourceGoesToEachRemoteChipOnce() throws {
    var system = BrainScaleS2System()
    system.chips = 4
    let network = try StandardNetworks.build("brunel:N=1500,indegree=60,J=2")
    let mapping = try BrainScaleS2Mapping(network: network, system: system, seed: 1)
    let twice = (0..<1500).filter { cell in
      let chips = mapping.remoteChips[Int(mapping.remoteChipStart[cell])..<Int(mapping.remoteChipStart[cell + 1])]
      return Set(chips).count != chips.count
    }
    #expect(twice.isEmpty, "\(twice.count) cells are sent to a chip more than once")
    #expect(mapping.remoteChips.count >= 1500, "every cell reaches another chip")
  }

  /// A chain of single neurons, each on its own chip: every chip crossing adds the FPGA path
  /// (1.3 µs hardware = 1.3 ms bio, within the step its arrival is rounded to) to the same chain on one chip.
  @Test func chipCrossingAddsTheFPGALatency() throws {
    let dir = try TemporaryDirectory("bss2-chain")
    defer { dir.remove() }
    var network = try StandardNetworks.build("chain:n=4")
    network.recordings = [Recording(population: "chain", variables: [.spikes])]
    var times: [[Double]] = []
    for chips in [1, 4] {
      var system = BrainScaleS2System()
      system.mismatchEnabled = false
      system.chips = chips
      system.neuronsPerChip = chips == 1 ? 512 : 1
      let out = dir.path("chips\(chips)")
      _ = try simulate(network, system, duration: 30, out: out)
      let (t, n) = try spikes(out + "/trace.h5", "chain")
      #expect(n == [0, 1, 2, 3], "one spike per link: \(n) at \(t)")
      times.append(t)
    }
    let latency = BrainScaleS2System().chipToChipLatencyNanoseconds * 1e-6 * 1000, step = BrainScaleS2System().dt
    for i in 1..<4 {
      let added = times[1][i] - times[0][i]
      #expect(abs(added - Double(i) * latency) <= Double(i) * step + 1e-9, "link \(i): \(added) ms added, \(i) × \(latency) ms expected")
    }
  }

  /// The MADC's limits name the chip or population: 2 channels per chip, and its sample rate.
  @Test func madcLimitsAreNamed() throws {
    func traced(_ size: Int, interval: Double) -> Network {
      Network(name: "traced", populations: [Population(label: "n", size: size, cellType: .ifCurrExp(LIFParameters()))],
              recordings: [Recording(population: "n", variables: [.v], interval: interval)])
    }
    #expect(throws: BrainScaleS2MappingError.madcChannels(chip: 0, sampled: 3, channels: 2)) {
      try BrainScaleS2Mapping(network: traced(3, interval: 0.1), system: BrainScaleS2System(), seed: 1)
    }
    #expect {
      try BrainScaleS2Mapping(network: traced(1, interval: 0.01), system: BrainScaleS2System(), seed: 1)
    } throws: { "\($0)".contains("MADC: population 'n'") }
  }

  /// Topology files: defaults, keys, and errors that name the file, line and key.
  @Test func topologyFiles() throws {
    let four = try #require(FamilyRegistry.standard.readSystem(path: topology("bss2-4chips.toml")) as? BrainScaleS2System)
    #expect(four.chips == 4 && four.speedup == 1000 && four.chipToChipLatencyNanoseconds == 1300)
    let one = try #require(FamilyRegistry.standard.readSystem(path: topology("bss2-chip.toml")) as? BrainScaleS2System)
    #expect(one == { var s = BrainScaleS2System(); s.name = "bss2-chip"; return s }(), "bss2-chip.toml lists the defaults")
    #expect {
      try FamilyRegistry.standard.parseSystem("[system]\nfamily = \"brainscales2\"\n[timing]\nstep_ns = -1\n", file: "bad.toml")
    } throws: { "\($0)".contains("bad.toml:4") && "\($0)".contains("step_ns") }
  }
}
