/// A network that breaks a rule, naming the element and field (e.g. projection 2, "connector.p").
public struct NetworkError: Error, CustomStringConvertible, Equatable {
  public enum Element: Sendable, Equatable {
    case network
    case population(Int)
    case projection(Int)
    case stimulus(Int)
    case recording(Int)
    case change(Int)
  }

  public var element: Element
  public var field: String
  public var message: String

  /// The file-style key path, e.g. "projection[2].connector.p" (0-based as in the TOML arrays).
  public var keyPath: String {
    let base: String
    switch element {
    case .network: base = "network"
    case let .population(i): base = "population[\(i)]"
    case let .projection(i): base = "projection[\(i)]"
    case let .stimulus(i): base = "stimulus[\(i)]"
    case let .recording(i): base = "record[\(i)]"
    case let .change(i): base = "change[\(i)]"
    }
    return field.isEmpty ? base : "\(base).\(field)"
  }

  public var description: String { "\(keyPath): \(message)" }
}

extension Network {
  /// Every rule the network breaks (empty when it can be built). Rules: unique labels, positive
  /// sizes, existing pre/post populations, no projection onto a source, probabilities in [0, 1],
  /// degrees that fit, positive delays, finite weights, neuron indices inside their population.
  public func validate() -> [NetworkError] {
    var errors: [NetworkError] = []
    func fail(_ element: NetworkError.Element, _ field: String, _ message: String) {
      errors.append(NetworkError(element: element, field: field, message: message))
    }
    checkPopulations(fail)
    checkProjections(fail)
    checkChanges(fail)
    checkStimuli(fail)
    checkRecordings(fail)
    return errors
  }

  private func checkPopulations(_ fail: (NetworkError.Element, String, String) -> Void) {
    var seen: [String: Int] = [:]
    for (i, population) in populations.enumerated() {
      if population.label.isEmpty { fail(.population(i), "label", "a population needs a non-empty label") }
      if let problem = Self.labelProblem(population.label) { fail(.population(i), "label", problem) }
      if let first = seen[population.label] {
        fail(.population(i), "label", "duplicate population label '\(population.label)' (also population[\(first)])")
      }
      seen[population.label] = seen[population.label] ?? i
      if population.size <= 0 { fail(.population(i), "size", "size must be a positive number of cells, got \(population.size)") }
      if population.size > Self.maximumPopulation {
        fail(.population(i), "size", "size \(population.size) exceeds \(Self.maximumPopulation) cells (no modelled system holds more)")
      }
      if let initial = population.initialVoltage {
        checkDistribution(initial, element: .population(i), field: "initial_v", unit: " mV", positive: false, limit: Self.maximumParameter, fail)
      }
      if let values = population.initialVoltages {
        if values.count != population.size {
          fail(.population(i), "initial_v", "\(values.count) initial potentials for \(population.size) cells")
        } else if let bad = values.first(where: { !(abs($0) <= Self.maximumParameter) }) {
          fail(.population(i), "initial_v", "initial potentials must be finite and within ±\(Self.maximumParameter) mV, got \(bad)")
        }
      }
      if let rate = population.expectedRate, !(rate >= 0 && rate <= Self.maximumRate) {
        fail(.population(i), "expected_rate", "expected_rate must be in [0, \(Self.maximumRate)] Hz, got \(rate)")
      }
      checkCell(population.cellType, size: population.size, element: .population(i), fail)
    }
  }

  private func checkProjections(_ fail: (NetworkError.Element, String, String) -> Void) {
    for (i, projection) in projections.enumerated() {
      let preIndex = populationIndex(projection.pre), postIndex = populationIndex(projection.post)
      if preIndex == nil { fail(.projection(i), "pre", "no population labelled '\(projection.pre)'\(known)") }
      if postIndex == nil { fail(.projection(i), "post", "no population labelled '\(projection.post)'\(known)") }
      if let postIndex, populations[postIndex].cellType.isSource {
        fail(.projection(i), "post", "'\(projection.post)' is a spike source (\(populations[postIndex].cellType.name)) and cannot receive synapses")
      }
      checkDistribution(projection.weight, element: .projection(i), field: "weight", unit: "", positive: false, limit: Self.maximumWeight, fail)
      if projection.weight.lowerBound < 0 {
        fail(.projection(i), "weight", "weights must be ≥ 0 (the receptor gives the sign), got \(projection.weight.summary)")
      }
      checkDistribution(projection.delay, element: .projection(i), field: "delay", unit: " ms", positive: true, limit: Self.maximumDelay, fail)
      guard let preIndex, let postIndex else { continue }
      checkConnector(projection, element: .projection(i), nPre: populations[preIndex].size, nPost: populations[postIndex].size,
                     selfExcluded: !projection.allowAutapses && preIndex == postIndex, fail)
    }
  }

  /// The rules of a projection's connector between populations of `nPre` and `nPost` cells.
  private func checkConnector(_ projection: Projection, element: NetworkError.Element, nPre: Int, nPost: Int, selfExcluded: Bool,
                              _ fail: (NetworkError.Element, String, String) -> Void) {
    switch projection.connector {
    case .allToAll:
      break
    case .oneToOne:
      if nPre != nPost { fail(element, "connector", "one_to_one needs equal sizes, '\(projection.pre)' has \(nPre) and '\(projection.post)' \(nPost)") }
    case let .fixedProbability(p):
      if !(p >= 0 && p <= 1) { fail(element, "connector.p", "connection probability must be in [0, 1], got \(p)") }
    case let .fixedIndegree(k, multapses):
      checkDegree(k, available: nPre - (selfExcluded ? 1 : 0), multapses: multapses, name: "in-degree", from: projection.pre, element: element, fail)
    case let .fixedOutdegree(k, multapses):
      checkDegree(k, available: nPost - (selfExcluded ? 1 : 0), multapses: multapses, name: "out-degree", from: projection.post, element: element, fail)
    case let .fromList(list):
      for (j, c) in list.enumerated() {
        if c.pre < 0 || c.pre >= nPre { fail(element, "connector.connections[\(j)]", "pre index \(c.pre) is outside '\(projection.pre)' (0..<\(nPre))") }
        if c.post < 0 || c.post >= nPost { fail(element, "connector.connections[\(j)]", "post index \(c.post) is outside '\(projection.post)' (0..<\(nPost))") }
        if let d = c.delay, !(d > 0 && d <= Self.maximumDelay) {
          fail(element, "connector.connections[\(j)]", "delay must be in (0, \(Self.maximumDelay)] ms, got \(d)")
        }
        if let w = c.weight, !(w >= 0 && w <= Self.maximumWeight) {
          fail(element, "connector.connections[\(j)]", "weight must be in [0, \(Self.maximumWeight)], got \(w)")
        }
        if selfExcluded && c.pre == c.post { fail(element, "connector.connections[\(j)]", "autapse \(c.pre) → \(c.post) but autapses = false") }
      }
    case let .stored(connections):
      // The importer checked every connection; the table's summary must still fit the network.
      let table = connections.table
      if table.preSize != nPre || table.postSize != nPost {
        fail(element, "connector", "\(table.location) connects \(table.preSize) → \(table.postSize) cells, '\(projection.pre)' has \(nPre) and '\(projection.post)' \(nPost)")
      }
      if table.count > 0 && !(table.delays.lowerBound > 0 && table.delays.upperBound <= Self.maximumDelay) {
        fail(element, "connector", "\(table.location): delays must be in (0, \(Self.maximumDelay)] ms, got \(table.delays)")
      }
      if table.count > 0 && !(table.weights.lowerBound >= 0 && table.weights.upperBound <= Self.maximumWeight) {
        fail(element, "connector", "\(table.location): weights must be in [0, \(Self.maximumWeight)], got \(table.weights)")
      }
    }
  }

  private func checkChanges(_ fail: (NetworkError.Element, String, String) -> Void) {
    for (i, change) in parameterChanges.enumerated() {
      guard let p = populationIndex(change.population) else {
        fail(.change(i), "population", "no population labelled '\(change.population)'\(known)")
        continue
      }
      if change.cellType.name != populations[p].cellType.name {
        fail(.change(i), "cell", "'\(change.population)' is \(populations[p].cellType.name); a change gives it other values of that model, not \(change.cellType.name)")
      }
      if !(change.time > 0 && change.time <= Self.maximumTime) {
        fail(.change(i), "time", "a change acts at a time in (0, \(Self.maximumTime)] ms, got \(change.time)")
      }
      if i > 0 && !(change.time >= parameterChanges[i - 1].time) {
        fail(.change(i), "time", "changes must be in time order (\(change.time) ms after \(parameterChanges[i - 1].time) ms)")
      }
      if case .spikeSourceArray = change.cellType {
        fail(.change(i), "cell", "a spike source array's times are given once, for the whole run")
      }
      checkCell(change.cellType, size: populations[p].size, element: .change(i), fail)
    }
  }

  private func checkStimuli(_ fail: (NetworkError.Element, String, String) -> Void) {
    for (i, stimulus) in stimuli.enumerated() {
      guard let target = populationIndex(stimulus.target) else {
        fail(.stimulus(i), "target", "no population labelled '\(stimulus.target)'\(known)")
        continue
      }
      if populations[target].cellType.isSource { fail(.stimulus(i), "target", "'\(stimulus.target)' is a spike source; currents go into neurons") }
      checkIndices(stimulus.neurons, size: populations[target].size, element: .stimulus(i), fail)
      switch stimulus.waveform {
      case let .dc(amplitude, start, stop):
        if !start.isFinite { fail(.stimulus(i), "start", "start must be a finite time in ms, got \(start)") }
        if !(stop >= start) { fail(.stimulus(i), "stop", "stop (\(stop) ms) is before start (\(start) ms)") }
        if !(abs(amplitude) <= Self.maximumWeight) {
          fail(.stimulus(i), "amplitude", "amplitude must be finite and within ±\(Self.maximumWeight) nA, got \(amplitude)")
        }
      case let .step(times, amplitudes):
        if times.count != amplitudes.count { fail(.stimulus(i), "amplitudes", "\(amplitudes.count) amplitudes for \(times.count) times") }
        if amplitudes.contains(where: { !(abs($0) <= Self.maximumWeight) }) {
          fail(.stimulus(i), "amplitudes", "amplitudes must be finite and within ±\(Self.maximumWeight) nA")
        }
        if zip(times, times.dropFirst()).contains(where: { $0 >= $1 }) { fail(.stimulus(i), "times", "step times must increase") }
        if let bad = times.first(where: { !$0.isFinite }) { fail(.stimulus(i), "times", "step times must be finite, got \(bad)") }
      }
    }
  }

  private func checkRecordings(_ fail: (NetworkError.Element, String, String) -> Void) {
    for (i, recording) in recordings.enumerated() {
      guard let target = populationIndex(recording.population) else {
        fail(.recording(i), "population", "no population labelled '\(recording.population)'\(known)")
        continue
      }
      checkIndices(recording.neurons, size: populations[target].size, element: .recording(i), fail)
      if recording.variables.contains(.v) && populations[target].cellType.isSource {
        fail(.recording(i), "variables", "'\(recording.population)' is a spike source and has no membrane potential")
      }
      if !(recording.interval > 0 && recording.interval <= Self.maximumDelay) {
        fail(.recording(i), "interval", "sampling interval must be in (0, \(Self.maximumDelay)] ms, got \(recording.interval)")
      }
    }
  }

  private var known: String {
    populations.isEmpty ? "" : " (populations: \(populations.map(\.label).joined(separator: ", ")))"
  }

  /// The rules of a cell model's parameters (for a population and for a parameter change).
  private func checkCell(_ cellType: CellType, size: Int, element: NetworkError.Element,
                         _ fail: (NetworkError.Element, String, String) -> Void) {
    switch cellType {
    case let .poissonSource(rate, start, stop):
      if !(rate >= 0 && rate <= Self.maximumRate) {
        fail(element, "rate", "Poisson rate must be in [0, \(Self.maximumRate)] Hz, got \(rate)")
      }
      if !(stop >= start) { fail(element, "stop", "stop (\(stop) ms) is before start (\(start) ms)") }
      if !(start >= 0 && start <= Self.maximumTime) { fail(element, "start", "start must be in [0, \(Self.maximumTime)] ms, got \(start)") }
      if !(stop <= Self.maximumTime || stop == .infinity) {
        fail(element, "stop", "stop must be at most \(Self.maximumTime) ms (or absent: no end), got \(stop)")
      }
    case let .spikeSourceArray(times):
      if times.count != 1 && times.count != size {
        fail(element, "spike_times", "give one list of spike times for all cells or one per cell (\(size)), got \(times.count)")
      }
      if times.contains(where: { $0.contains { !($0 >= 0 && $0 <= Self.maximumTime) } }) {
        fail(element, "spike_times", "spike times must be in [0, \(Self.maximumTime)] ms")
      }
    case let .ifCurrExp(p), let .ifCondExp(p), let .ifCurrAlpha(p), let .ifCondAlpha(p):
      for (name, path) in LIFParameters.fields where !(abs(p[keyPath: path]) <= Self.maximumParameter) {
        fail(element, "parameters.\(name)", "\(name) must be finite and within ±\(Self.maximumParameter), got \(p[keyPath: path])")
      }
      checkLIF(p, element: element, fail)
    case let .adexCondExp(p), let .adexCurrExp(p):
      for (name, path) in AdExParameters.fields where !(abs(p[keyPath: path]) <= Self.maximumParameter) {
        fail(element, "parameters.\(name)", "\(name) must be finite and within ±\(Self.maximumParameter), got \(p[keyPath: path])")
      }
      if !(p.cm > 0) { fail(element, "parameters.cm", "cm must be > 0 nF, got \(p.cm)") }
      if !(p.tauM > 0) { fail(element, "parameters.tau_m", "tau_m must be > 0 ms, got \(p.tauM)") }
      if !(p.tauW > 0) { fail(element, "parameters.tau_w", "tau_w must be > 0 ms, got \(p.tauW)") }
      if !(p.deltaT > 0) { fail(element, "parameters.delta_T", "delta_T must be > 0 mV, got \(p.deltaT)") }
      if !(p.tauRefrac >= 0) { fail(element, "parameters.tau_refrac", "tau_refrac must be ≥ 0 ms") }
    case let .nir(neuron):
      checkNIR(neuron, size: size, element: element, fail)
    }
  }

  private func checkLIF(_ p: LIFParameters, element: NetworkError.Element, _ fail: (NetworkError.Element, String, String) -> Void) {
    if !(p.cm > 0) { fail(element, "parameters.cm", "cm must be > 0 nF, got \(p.cm)") }
    if !(p.tauM > 0) { fail(element, "parameters.tau_m", "tau_m must be > 0 ms, got \(p.tauM)") }
    if !(p.tauSynE > 0) { fail(element, "parameters.tau_syn_E", "tau_syn_E must be > 0 ms, got \(p.tauSynE)") }
    if !(p.tauSynI > 0) { fail(element, "parameters.tau_syn_I", "tau_syn_I must be > 0 ms, got \(p.tauSynI)") }
    if !(p.tauRefrac >= 0) { fail(element, "parameters.tau_refrac", "tau_refrac must be ≥ 0 ms, got \(p.tauRefrac)") }
    if !(p.vThresh > p.vReset) { fail(element, "parameters.v_thresh", "v_thresh (\(p.vThresh) mV) must be above v_reset (\(p.vReset) mV)") }
  }

  private func checkNIR(_ neuron: NIRNeuron, size: Int, element: NetworkError.Element,
                        _ fail: (NetworkError.Element, String, String) -> Void) {
    if neuron.biasOnset < 0 { fail(element, "parameters.bias_onset", "bias_onset must be ≥ 0 steps, got \(neuron.biasOnset)") }
    for (name, path) in NIRNeuron.fields(of: neuron.kind) {
      let values = neuron[keyPath: path]
      if values.count != 1 && values.count != size {
        fail(element, "parameters.\(name)", "give one value of \(name) for all cells or one per cell (\(size)), got \(values.count)")
      } else if let bad = values.first(where: { !(abs($0) <= Self.maximumParameter) }) {
        fail(element, "parameters.\(name)", "\(name) must be finite and within ±\(Self.maximumParameter), got \(bad)")
      } else if name.hasPrefix("tau"), let bad = values.first(where: { !($0 > 0) }) {
        fail(element, "parameters.\(name)", "\(name) must be > 0 ms, got \(bad)")
      }
    }
  }

  /// Why `label` cannot name a population: it becomes an HDF5 group of the traces (`/spikes/<label>`,
  /// SONATA's population name), so no '/', no control characters, not "." or "..". Nil if it can.
  static func labelProblem(_ label: String) -> String? {
    if label == "." || label == ".." { return "'\(label)' cannot name a population (it is a path step in HDF5)" }
    if label.contains("/") { return "label '\(label)' contains '/', which would nest HDF5 groups; use another character" }
    if label.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      return "label \(label.debugDescription) contains a control character"
    }
    return nil
  }

  /// The largest weight magnitude (nA or µS) and delay (ms) a network may ask for: beyond them no
  /// family holds the value (the ideal synapse stores ±1e6 and 2047 steps), and single precision,
  /// in which synapses are stored, loses it. A family refuses smaller values it cannot hold.
  public static let maximumWeight = 1e6
  public static let maximumDelay = 1e6
  /// The largest Poisson rate (Hz): 1,000 spikes per ms per cell; a whole external population
  /// folded into one source stays far below it (Brunel's η·ν_thr·C_E is 20 kHz).
  public static let maximumRate = 1e6
  /// The latest time (ms) a source or stimulus may name: the longest run (`--duration` ≤ 1e9 ms),
  /// so that it stays exact as a step count.
  public static let maximumTime = 1e9
  /// The largest magnitude of a neuron parameter or initial voltage (mV, ms, nF, nA, µS): beyond
  /// any physiological value, and within what single precision holds.
  public static let maximumParameter = 1e6
  /// The most cells in one population: 10^9, the order of the largest machine (SpiNNcloud's 5 M
  /// SpiNNaker2 PEs, docs/hardware.md §3.9, at ~250 neurons each); well inside 32-bit node ids.
  public static let maximumPopulation = 1_000_000_000
  /// The largest fixed in- or out-degree: 10^7, far above a biological neuron's 10^4–10^5 inputs
  /// and any modelled chip's (a BrainScaleS-2 neuron of 64 circuits has 16,384 synapse rows).
  public static let maximumDegree = 10_000_000

  /// Checks `d` draws finite values: within ±`limit`, and > 0 when `positive` (for a normal:
  /// mean ± 5 sd within the limit).
  private func checkDistribution(_ d: ValueDistribution, element: NetworkError.Element, field: String, unit: String, positive: Bool,
                                 limit: Double, _ fail: (NetworkError.Element, String, String) -> Void) {
    func within(_ values: Double...) -> Bool { values.allSatisfy { $0.isFinite && abs($0) <= limit } }
    let outside = "\(field) must lie within ±\(limit)\(unit), got \(d.summary)"
    switch d {
    case let .constant(v):
      if !within(v) { fail(element, field, outside) }
      if positive && !(v > 0) { fail(element, field, "\(field) must be > 0\(unit), got \(v)") }
    case let .uniform(low, high):
      if !within(low, high) { fail(element, field, outside) }
      if !(low <= high) { fail(element, field, "uniform low (\(low)) is above high (\(high))") }
      if positive && !(low > 0) { fail(element, field, "\(field) must be > 0\(unit); uniform low is \(low)") }
    case let .normal(mean, sd):
      if !(sd >= 0) { fail(element, field, "sd must be ≥ 0, got \(sd)") }
      if !within(mean - 5 * sd, mean + 5 * sd) { fail(element, field, outside + " (mean ± 5 sd)") }
      if positive { fail(element, field, "\(field) must be > 0\(unit); use normal_clipped with low > 0") }
    case let .normalClipped(mean, sd, low, high):
      if !(sd >= 0) { fail(element, field, "sd must be ≥ 0, got \(sd)") }
      if !within(mean, sd, Swift.max(low, mean - 5 * sd), Swift.min(high, mean + 5 * sd)) { fail(element, field, outside) }
      if !(low < high) { fail(element, field, "normal_clipped low (\(low)) must be below high (\(high))") }
      if positive && !(low > 0) { fail(element, field, "\(field) must be > 0\(unit); normal_clipped low is \(low)") }
      if sd > 0 && (low - mean) / sd > 5 || sd > 0 && (mean - high) / sd > 5 {
        fail(element, field, "normal_clipped window [\(low), \(high)] is more than 5 sd from the mean \(mean): redrawing would not end")
      }
    }
  }

  private func checkDegree(_ k: Int, available: Int, multapses: Bool, name: String, from population: String,
                           element: NetworkError.Element, _ fail: (NetworkError.Element, String, String) -> Void) {
    if k < 0 || k > Self.maximumDegree { fail(element, "connector.k", "\(name) must be in 0...\(Self.maximumDegree), got \(k)") }
    if k > 0 && available <= 0 { fail(element, "connector.k", "\(name) \(k) but '\(population)' offers no partner") }
    if !multapses && k > available {
      fail(element, "connector.k", "\(name) \(k) without multapses needs at least \(k) distinct partners, '\(population)' offers \(available)")
    }
  }

  private func checkIndices(_ indices: [Int]?, size: Int, element: NetworkError.Element,
                            _ fail: (NetworkError.Element, String, String) -> Void) {
    guard let indices else { return }
    if let bad = indices.first(where: { $0 < 0 || $0 >= size }) {
      fail(element, "neurons", "neuron index \(bad) is outside the population (0..<\(size))")
    }
  }
}
