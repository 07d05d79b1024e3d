import Foundation
import Testing
@testable import Model
import TestSupport

let fixtures = fixturesDirectory.appendingPathComponent("networks")

@Suite struct NetworkFileTests {
  @Test func readsTheExampleNetwork() throws {
    let network = try NetworkFileReader.read(path: fixtures.appendingPathComponent("two_populations.toml").path)
    #expect(network.name == "two populations")
    #expect(network.populations.map(\.label) == ["exc", "inh", "noise"])
    #expect(network.populations.map(\.size) == [400, 100, 400])
    guard case let .ifCurrExp(exc) = network.populations[0].cellType, case let .ifCondExp(inh) = network.populations[1].cellType else {
      Issue.record("cell types"); return
    }
    #expect(exc.tauM == 20 && exc.tauRefrac == 2 && exc.cm == 1)
    #expect(inh.tauM == 10 && inh.eRevI == -75)
    #expect(network.populations.map(\.cellType.isConductanceBased) == [false, true, false])
    #expect(network.populations[2].cellType == .poissonSource(rate: 20, start: 0, stop: .infinity))
    #expect(network.populations[0].initialVoltage == .uniform(low: -65, high: -55))
    #expect(network.populations.map(\.expectedRate) == [5, nil, nil])
    #expect(network.projections.map(\.label) == ["exc->exc", "exc->inh", "inh->exc", "noise->exc"])
    #expect(network.projections[0].connector == .fixedProbability(0.1))
    #expect(network.projections[0].allowAutapses == false)
    #expect(network.projections[0].delay == .normalClipped(mean: 1.5, sd: 0.5, low: 0.1, high: .infinity))
    #expect(network.projections[1].connector == .fixedIndegree(40, multapses: true))
    #expect(network.projections[2].receptor == .inhibitory)
    #expect(network.stimuli == [CurrentStimulus(label: "dc->inh", target: "inh", waveform: .dc(amplitude: 0.1, start: 100, stop: 200))])
    #expect(network.recordings == [Recording(population: "exc", variables: [.spikes, .v], neurons: [0, 1, 2], interval: 0.1)])
  }

  static let header = """
    [[population]]
    label = "exc"
    size = 10
    cell = "IF_curr_exp"

    """
  static let projection = """
    [[projection]]
    pre = "exc"
    post = "exc"
    receptor = "excitatory"

    """

  /// Malformed files: (text, line, key, part of the message).
  static let malformed: [(String, Int, String, String)] = [
    ("[[population]]\nlabel = \"a\"\nsize = 3\ncell = \"IF_cur_exp\"\n", 4, "population[0].cell", "unknown cell type 'IF_cur_exp'"),
    (header + projection + "connector = \"all_to_all\"\nweight = 0.1\ndelay = -1.0\n", 11, "projection[0].delay", "delay must be > 0 ms, got -1.0"),
    (header + projection + "connector = \"all_to_all\"\nweight = 0.1\ndelay = 1e39\n", 11, "projection[0].delay", "delay must lie within ±1000000.0 ms, got 1e+39"),
    (header + projection + "connector = \"all_to_all\"\nweight = { distribution = \"normal\", mean = 0.1, sd = 1e300 }\ndelay = 1.0\n", 10,
     "projection[0].weight", "(mean ± 5 sd)"),
    (header + projection + "connector = \"all_to_all\"\nweight = 2e6\ndelay = 1.0\n", 10, "projection[0].weight", "weight must lie within ±1000000.0"),
    ("[[population]]\nlabel = \"a/b\"\nsize = 3\ncell = \"IF_curr_exp\"\n", 2, "population[0].label", "contains '/', which would nest HDF5 groups"),
    ("[[population]]\nlabel = \"..\"\nsize = 3\ncell = \"IF_curr_exp\"\n", 2, "population[0].label", "cannot name a population"),
    ("[[population]]\nlabel = \".\"\nsize = 3\ncell = \"IF_curr_exp\"\n", 2, "population[0].label", "cannot name a population"),
    (header + "initial_v = { distribution = \"uniform\", low = -50.0, high = -60.0 }\n", 5, "population[0].initial_v",
     "uniform low (-50.0) is above high (-60.0)"),
    (header + projection + "connector = \"all_to_all\"\nweight = 0.1\ndelay = 1e9\n", 11, "projection[0].delay", "delay must lie within ±1000000.0 ms"),
    (header + projection + "connector = \"all_to_all\"\nweight = 1e300\ndelay = 1.0\n", 10, "projection[0].weight", "weight must lie within ±1000000.0"),
    ("[[population]]\nlabel = \"x\\u0000y\"\nsize = 3\ncell = \"IF_curr_exp\"\n", 2, "population[0].label", "contains a control character"),
    ("[[population]]\nlabel = \"p\"\nsize = 3\ncell = \"SpikeSourcePoisson\"\nrate = 1e12\n", 5, "population[0].rate",
     "Poisson rate must be in [0, 1000000.0] Hz"),
    (header + "[[stimulus]]\ntarget = \"exc\"\ntype = \"dc\"\namplitude = nan\n", 8, "stimulus[0].amplitude", "amplitude must be finite"),
    (header + "[[stimulus]]\ntarget = \"exc\"\ntype = \"dc\"\namplitude = 0.5\nstart = -1e309\n", 9, "stimulus[0].start", "start must be a finite time"),
    ("[[population]]\nlabel = \"s\"\nsize = 1\ncell = \"SpikeSourceArray\"\nspike_times = [1.0, 1e300]\n", 5, "population[0].spike_times",
     "spike times must be in [0, 1000000000.0] ms"),
    ("[[population]]\nlabel = \"p\"\nsize = 1\ncell = \"SpikeSourcePoisson\"\nrate = 5.0\nstop = 1e300\n", 6, "population[0].stop",
     "stop must be at most 1000000000.0 ms"),
    (header + projection + "connector = { type = \"fixed_probability\", p = 1.5 }\nweight = 0.1\ndelay = 1.0\n", 9,
     "projection[0].connector.p", "connection probability must be in [0, 1], got 1.5"),
    (header + "[[projection]]\npre = \"exc\"\npost = \"inh\"\nreceptor = \"excitatory\"\nconnector = \"all_to_all\"\nweight = 0.1\ndelay = 1.0\n", 7,
     "projection[0].post", "no population labelled 'inh' (populations: exc)"),
    ("[[population]]\nlabel = \"a\"\nsize = -3\ncell = \"IF_curr_exp\"\n", 3, "population[0].size", "size must be a positive number of cells, got -3"),
    ("[[population]]\nlabel = \"a\"\nsize = \"ten\"\ncell = \"IF_curr_exp\"\n", 3, "population[0].size", "expected an integer, got a string"),
    ("[[population]]\nlabel = \"a\"\ncell = \"IF_curr_exp\"\n", 1, "population[0].size", "missing required key 'size'"),
    (header + "parameters = { tau_mm = 20.0 }\n", 5, "population[0].parameters.tau_mm", "unknown key 'tau_mm'"),
    (header + projection + "connector = { type = \"fixed_indegree\", k = 20, multapses = false }\nweight = 0.1\ndelay = 1.0\n", 9,
     "projection[0].connector.k", "in-degree 20 without multapses needs at least 20 distinct partners, 'exc' offers 10"),
    (header + projection + "connector = \"one_to_many\"\nweight = 0.1\ndelay = 1.0\n", 9, "projection[0].connector.type", "unknown connector 'one_to_many'"),
    (header + projection.replacingOccurrences(of: "excitatory", with: "modulatory") + "connector = \"all_to_all\"\nweight = 0.1\ndelay = 1.0\n", 8,
     "projection[0].receptor", "unknown receptor 'modulatory'"),
    (header + projection + "connector = \"all_to_all\"\nweight = -0.1\ndelay = 1.0\n", 10, "projection[0].weight", "weights must be ≥ 0 (the receptor gives the sign)"),
    (header + projection + "connector = \"all_to_all\"\ndelay = 1.0\n", 5, "projection[0].weight", "missing required key 'weight'"),
    (header + "[[population]]\nlabel = \"exc\"\nsize = 5\ncell = \"IF_curr_exp\"\n", 6, "population[1].label", "duplicate population label 'exc' (also population[0])"),
    (header + "[[record]]\npopulation = \"exc\"\nvariables = [\"spikes\", \"gsyn\"]\n", 7, "record[0].variables", "unknown variable 'gsyn'"),
    (header + "[[stimulus]]\ntarget = \"exc\"\ntype = \"dc\"\namplitude = 0.5\nstart = 50.0\nstop = 10.0\n", 10, "stimulus[0].stop", "stop (10.0 ms) is before start (50.0 ms)"),
    (header + "[[population]]\nlabel = \"src\"\nsize = 5\ncell = \"SpikeSourcePoisson\"\nrate = 10.0\n" +
     "[[projection]]\npre = \"exc\"\npost = \"src\"\nreceptor = \"excitatory\"\nconnector = \"all_to_all\"\nweight = 0.1\ndelay = 1.0\n", 12,
     "projection[0].post", "'src' is a spike source (SpikeSourcePoisson) and cannot receive synapses"),
    ("[[population]]\nlabel = \"a\"\nsize = 3\ncell = \"IF_curr_exp\"\nsize = 4\n", 5, "", "duplicate key 'size' (first defined on line 3)"),
    ("[network]\nname = \"empty\"\n", 1, "population", "the network has no [[population]]"),
    (header + projection + "connector = \"one_to_one\"\nweight = { distribution = \"gamma\", k = 2.0 }\ndelay = 1.0\n", 10,
     "projection[0].weight.distribution", "unknown distribution 'gamma'"),
  ]

  @Test(arguments: malformed.indices)
  func malformedFileNamesFileLineAndKey(index: Int) {
    let (text, line, key, message) = Self.malformed[index]
    do {
      _ = try NetworkFileReader.parse(text, file: "bad.toml")
      Issue.record("case \(index) was accepted:\n\(text)")
    } catch {
      let first = error.errors[0]
      #expect(first.file == "bad.toml")
      #expect(first.line == line, "case \(index): \(error)")
      #expect(first.key == key, "case \(index): \(error)")
      #expect(first.message.contains(message), "case \(index): \(error)")
      #expect(first.description.hasPrefix("bad.toml:\(line): "))
    }
  }

  @Test func missingFileIsNamed() {
    do {
      _ = try NetworkFileReader.read(path: "/nonexistent/net.toml")
      Issue.record("a missing file was accepted")
    } catch {
      #expect(error.description == "/nonexistent/net.toml: no such file")
    }
  }

  @Test func aNetworkFileProblemIsANetworkFileError() {
    let path = fixtures.appendingPathComponent("negative_delay.toml").path
    let error = thrownError { _ = try NetworkFileReader.read(path: path) }
    #expect(error is NetworkFileErrors)
    #expect(error.map { "\($0)" } == "\(path):11: projection[0].delay: delay must be > 0 ms, got -1.0")
  }

  @Test func everyProblemIsReported() {
    let text = Self.header + Self.projection + "connector = { type = \"fixed_probability\", p = -0.5 }\nweight = -1.0\ndelay = 0.0\n"
    do {
      _ = try NetworkFileReader.parse(text, file: "bad.toml")
      Issue.record("accepted")
    } catch {
      #expect(Set(error.errors.map(\.key)) == ["projection[0].connector.p", "projection[0].weight", "projection[0].delay"])
    }
  }
}
