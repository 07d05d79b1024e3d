import Foundation

/// Reads NeuroFabric's TOML network files (format in README "Network files") into a `Network`,
/// reporting every problem with file, line and key. The network it returns has passed `validate()`.
public struct NetworkFileReader {
  public let file: String
  private var lines: [String: Int] = [:]
  private var errors: [NetworkFileError] = []

  private init(file: String) { self.file = file }

  /// Reads and validates the network file at `path`.
  public static func read(path: String) throws(NetworkFileErrors) -> Network {
    guard let data = FileManager.default.contents(atPath: path) else {
      let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
      throw NetworkFileErrors([NetworkFileError(file: path, line: 0, key: "", message: reason)])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw NetworkFileErrors([NetworkFileError(file: path, line: 0, key: "", message: "not UTF-8 text")])
    }
    return try parse(text, file: path)
  }

  /// Parses and validates network text; `file` names it in errors.
  public static func parse(_ text: String, file: String) throws(NetworkFileErrors) -> Network {
    let root: TOMLTable
    do {
      root = try TOMLParser.parse(text)
    } catch {
      throw NetworkFileErrors([NetworkFileError(file: file, line: error.line, key: "", message: "column \(error.column): \(error.message)")])
    }
    var reader = NetworkFileReader(file: file)
    let network = reader.network(root)
    if !reader.errors.isEmpty { throw NetworkFileErrors(reader.errors) }
    let problems = network.validate()
    if !problems.isEmpty {
      throw NetworkFileErrors(problems.map { NetworkFileError(file: file, line: reader.line(of: $0.keyPath), key: $0.keyPath, message: $0.message) })
    }
    return network
  }

  /// The line of the longest recorded prefix of `keyPath`.
  private func line(of keyPath: String) -> Int {
    var path = keyPath
    while !path.isEmpty {
      if let line = lines[path] { return line }
      guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
      path = String(path[..<cut])
    }
    return 0
  }

  // MARK: - Sections

  private mutating func network(_ root: TOMLTable) -> Network {
    let top = Section(table: root, path: "", line: 1)
    checkKeys(top, allowed: ["network", "population", "projection", "stimulus", "record"])
    var network = Network(name: (file as NSString).lastPathComponent)
    if let header = table(top, "network") {
      checkKeys(header, allowed: ["name", "description"])
      network.name = string(header, "name") ?? network.name
    }
    network.populations = tables(top, "population").map { population($0) }
    network.projections = tables(top, "projection").map { projection($0) }
    network.stimuli = tables(top, "stimulus").map { stimulus($0) }
    network.recordings = tables(top, "record").map { recording($0) }
    if network.populations.isEmpty && errors.isEmpty {
      fail(top, "population", "the network has no [[population]]")
    }
    return network
  }

  private mutating func population(_ s: Section) -> Population {
    let cellName = string(s, "cell", required: true) ?? "IF_curr_exp"
    let common = ["label", "size", "cell"]
    var cell: CellType
    switch cellName {
    case "IF_curr_exp", "IF_cond_exp":
      checkKeys(s, allowed: common + ["parameters", "initial_v"])
      var p = LIFParameters()
      if let table = table(s, "parameters") { fill(&p, from: table, fields: LIFParameters.fields) }
      cell = cellName == "IF_curr_exp" ? .ifCurrExp(p) : .ifCondExp(p)
    case "EIF_cond_exp_isfa_ista", "AdEx_curr_exp":
      checkKeys(s, allowed: common + ["parameters", "initial_v"])
      var p = AdExParameters()
      if let table = table(s, "parameters") { fill(&p, from: table, fields: AdExParameters.fields) }
      cell = cellName == "AdEx_curr_exp" ? .adexCurrExp(p) : .adexCondExp(p)
    case "SpikeSourcePoisson":
      checkKeys(s, allowed: common + ["rate", "start", "stop"])
      cell = .poissonSource(rate: number(s, "rate", required: true) ?? 0, start: number(s, "start") ?? 0,
                            stop: number(s, "stop") ?? .infinity)
    case "SpikeSourceArray":
      checkKeys(s, allowed: common + ["spike_times"])
      cell = .spikeSourceArray(times: spikeTimes(s))
    default:
      fail(s, "cell", "unknown cell type '\(cellName)' (expected one of: \(CellType.names.joined(separator: ", ")))")
      cell = .ifCurrExp(LIFParameters())
    }
    let initial = s.table["initial_v"] == nil ? nil : distribution(s, "initial_v")
    return Population(label: string(s, "label", required: true) ?? "", size: integer(s, "size", required: true) ?? 1,
                      cellType: cell, initialVoltage: initial)
  }

  private mutating func projection(_ s: Section) -> Projection {
    checkKeys(s, allowed: ["label", "pre", "post", "receptor", "connector", "autapses", "weight", "delay"])
    let pre = string(s, "pre", required: true) ?? ""
    let post = string(s, "post", required: true) ?? ""
    var receptor = Receptor.excitatory
    if let name = string(s, "receptor", required: true) {
      if let r = Receptor(rawValue: name) { receptor = r } else { fail(s, "receptor", "unknown receptor '\(name)' (expected excitatory or inhibitory)") }
    }
    return Projection(label: string(s, "label") ?? "\(pre)->\(post)", pre: pre, post: post, receptor: receptor,
                      connector: connector(s), allowAutapses: boolean(s, "autapses") ?? true,
                      weight: distribution(s, "weight", required: true) ?? .constant(0),
                      delay: distribution(s, "delay", required: true) ?? .constant(1))
  }

  private mutating func connector(_ s: Section) -> Connector {
    guard let value = s.table["connector"] else {
      fail(s, "connector", "missing required key 'connector' (one of: \(Connector.names.joined(separator: ", ")))")
      return .allToAll
    }
    let c: Section
    let type: String
    switch value.kind {
    case let .string(name):
      c = Section(table: TOMLTable(line: value.line), path: s.key("connector"), line: value.line)
      type = name
    case let .table(table):
      c = Section(table: table, path: s.key("connector"), line: value.line)
      type = string(c, "type", required: true) ?? "all_to_all"
    default:
      fail(s, "connector", "expected a connector name or a table with 'type', got \(value.typeName)")
      return .allToAll
    }
    record(c)
    switch type {
    case "all_to_all", "one_to_one":
      checkKeys(c, allowed: ["type"])
      return type == "all_to_all" ? .allToAll : .oneToOne
    case "fixed_probability":
      checkKeys(c, allowed: ["type", "p"])
      return .fixedProbability(number(c, "p", required: true) ?? 0)
    case "fixed_indegree", "fixed_outdegree":
      checkKeys(c, allowed: ["type", "k", "multapses"])
      let k = integer(c, "k", required: true) ?? 0
      let multapses = boolean(c, "multapses") ?? true
      return type == "fixed_indegree" ? .fixedIndegree(k, multapses: multapses) : .fixedOutdegree(k, multapses: multapses)
    case "from_list":
      checkKeys(c, allowed: ["type", "connections"])
      return .fromList(connectionList(c))
    default:
      fail(c, "type", "unknown connector '\(type)' (expected one of: \(Connector.names.joined(separator: ", ")))")
      return .allToAll
    }
  }

  private mutating func connectionList(_ c: Section) -> [ListConnection] {
    guard let value = c.table["connections"] else {
      fail(c, "connections", "missing required key 'connections' (a list of [pre, post] or [pre, post, weight, delay])")
      return []
    }
    guard case let .array(rows) = value.kind else {
      fail(c, "connections", "expected an array of [pre, post(, weight, delay)], got \(value.typeName)")
      return []
    }
    var list: [ListConnection] = []
    for (i, row) in rows.enumerated() {
      let key = "\(c.key("connections"))[\(i)]"
      lines[key] = row.line
      guard case let .array(items) = row.kind, items.count == 2 || items.count == 4,
            let pre = items[0].integerValue, let post = items[1].integerValue
      else {
        errors.append(NetworkFileError(file: file, line: row.line, key: key, message: "expected [pre, post] or [pre, post, weight, delay] with integer indices"))
        continue
      }
      var entry = ListConnection(pre: Int(pre), post: Int(post))
      if items.count == 4 {
        guard let w = items[2].numberValue, let d = items[3].numberValue else {
          errors.append(NetworkFileError(file: file, line: row.line, key: key, message: "weight and delay must be numbers"))
          continue
        }
        entry.weight = w
        entry.delay = d
      }
      list.append(entry)
    }
    return list
  }

  private mutating func stimulus(_ s: Section) -> CurrentStimulus {
    checkKeys(s, allowed: ["label", "target", "neurons", "type", "amplitude", "start", "stop", "times", "amplitudes"])
    let target = string(s, "target", required: true) ?? ""
    let type = string(s, "type", required: true) ?? "dc"
    let waveform: CurrentStimulus.Waveform
    switch type {
    case "dc":
      waveform = .dc(amplitude: number(s, "amplitude", required: true) ?? 0, start: number(s, "start") ?? 0, stop: number(s, "stop") ?? .infinity)
    case "step":
      waveform = .step(times: numbers(s, "times") ?? [], amplitudes: numbers(s, "amplitudes") ?? [])
    default:
      fail(s, "type", "unknown stimulus type '\(type)' (expected dc or step)")
      waveform = .dc(amplitude: 0, start: 0, stop: 0)
    }
    return CurrentStimulus(label: string(s, "label") ?? "\(type)->\(target)", target: target,
                           neurons: numbers(s, "neurons").map { $0.map { Int($0) } }, waveform: waveform)
  }

  private mutating func recording(_ s: Section) -> Recording {
    checkKeys(s, allowed: ["population", "variables", "neurons", "interval"])
    var variables: [Recording.Variable] = [.spikes]
    if let value = s.table["variables"] {
      if case let .array(items) = value.kind, items.allSatisfy({ $0.stringValue != nil }) {
        variables = []
        for name in items.compactMap(\.stringValue) {
          if let v = Recording.Variable(rawValue: name) { variables.append(v) } else {
            fail(s, "variables", "unknown variable '\(name)' (expected spikes or v)")
          }
        }
      } else {
        fail(s, "variables", "expected an array of variable names like [\"spikes\", \"v\"], got \(value.typeName)")
      }
    }
    return Recording(population: string(s, "population", required: true) ?? "", variables: variables,
                     neurons: numbers(s, "neurons").map { $0.map { Int($0) } }, interval: number(s, "interval") ?? 0.1)
  }

  // MARK: - Values

  /// A table being read, with its key path and line.
  private struct Section {
    var table: TOMLTable
    var path: String
    var line: Int
    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
  }

  private mutating func record(_ s: Section) {
    lines[s.path] = s.line
    for key in s.table.keys { lines[s.key(key)] = s.table[key]!.line }
  }

  private mutating func fail(_ s: Section, _ key: String, _ message: String) {
    errors.append(NetworkFileError(file: file, line: s.table[key]?.line ?? s.line, key: s.key(key), message: message))
  }

  private mutating func checkKeys(_ s: Section, allowed: [String]) {
    record(s)
    for key in s.table.keys where !allowed.contains(key) {
      fail(s, key, "unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
    }
  }

  private mutating func required(_ s: Section, _ key: String) {
    errors.append(NetworkFileError(file: file, line: s.line, key: s.key(key), message: "missing required key '\(key)'"))
  }

  private mutating func table(_ s: Section, _ key: String) -> Section? {
    guard let value = s.table[key] else { return nil }
    guard case let .table(t) = value.kind else {
      fail(s, key, "expected a table, got \(value.typeName)")
      return nil
    }
    return Section(table: t, path: s.key(key), line: value.line)
  }

  private mutating func tables(_ s: Section, _ key: String) -> [Section] {
    guard let value = s.table[key] else { return [] }
    guard case let .array(items) = value.kind else {
      fail(s, key, "expected [[\(key)]] tables, got \(value.typeName)")
      return []
    }
    var sections: [Section] = []
    for (i, item) in items.enumerated() {
      guard case let .table(t) = item.kind else {
        fail(s, key, "expected [[\(key)]] tables, got an array of \(item.typeName)s")
        return []
      }
      sections.append(Section(table: t, path: "\(s.key(key))[\(i)]", line: item.line))
    }
    return sections
  }

  /// The value at `key` converted by `convert`; a missing required key or a value of the wrong
  /// type is recorded as an error and gives nil.
  private mutating func scalar<T>(_ s: Section, _ key: String, required: Bool, expected: String,
                                  _ convert: (TOMLValue) -> T?) -> T? {
    guard let value = s.table[key] else {
      if required { self.required(s, key) }
      return nil
    }
    guard let converted = convert(value) else {
      fail(s, key, "expected \(expected), got \(value.typeName)")
      return nil
    }
    return converted
  }

  private mutating func string(_ s: Section, _ key: String, required: Bool = false) -> String? {
    scalar(s, key, required: required, expected: "a string") { $0.stringValue }
  }

  private mutating func number(_ s: Section, _ key: String, required: Bool = false) -> Double? {
    scalar(s, key, required: required, expected: "a number") { $0.numberValue }
  }

  private mutating func integer(_ s: Section, _ key: String, required: Bool = false) -> Int? {
    scalar(s, key, required: required, expected: "an integer") { $0.integerValue.map { Int($0) } }
  }

  private mutating func boolean(_ s: Section, _ key: String) -> Bool? {
    scalar(s, key, required: false, expected: "true or false") {
      if case let .boolean(b) = $0.kind { return b }
      return nil
    }
  }

  private mutating func numbers(_ s: Section, _ key: String) -> [Double]? {
    guard let value = s.table[key] else { return nil }
    guard case let .array(items) = value.kind, items.allSatisfy({ $0.numberValue != nil }) else {
      fail(s, key, "expected an array of numbers")
      return nil
    }
    return items.compactMap(\.numberValue)
  }

  private mutating func spikeTimes(_ s: Section) -> [[Double]] {
    guard let value = s.table["spike_times"] else {
      required(s, "spike_times")
      return []
    }
    if case let .array(items) = value.kind {
      if items.allSatisfy({ $0.numberValue != nil }) { return [items.compactMap(\.numberValue)] }
      var lists: [[Double]] = []
      for item in items {
        guard case let .array(inner) = item.kind, inner.allSatisfy({ $0.numberValue != nil }) else { break }
        lists.append(inner.compactMap(\.numberValue))
      }
      if lists.count == items.count { return lists }
    }
    fail(s, "spike_times", "expected an array of times in ms, or one such array per cell")
    return []
  }

  private mutating func distribution(_ s: Section, _ key: String, required: Bool = false) -> ValueDistribution? {
    guard let value = s.table[key] else {
      if required { self.required(s, key) }
      return nil
    }
    if let v = value.numberValue { return .constant(v) }
    guard let d = table(s, key) else { return nil }
    record(d)
    let name = string(d, "distribution", required: true) ?? "constant"
    switch name {
    case "uniform":
      checkKeys(d, allowed: ["distribution", "low", "high"])
      return .uniform(low: number(d, "low", required: true) ?? 0, high: number(d, "high", required: true) ?? 0)
    case "normal":
      checkKeys(d, allowed: ["distribution", "mean", "sd"])
      return .normal(mean: number(d, "mean", required: true) ?? 0, sd: number(d, "sd", required: true) ?? 0)
    case "normal_clipped":
      checkKeys(d, allowed: ["distribution", "mean", "sd", "low", "high"])
      return .normalClipped(mean: number(d, "mean", required: true) ?? 0, sd: number(d, "sd", required: true) ?? 0,
                            low: number(d, "low") ?? -.infinity, high: number(d, "high") ?? .infinity)
    default:
      fail(d, "distribution", "unknown distribution '\(name)' (expected uniform, normal or normal_clipped, or a plain number)")
      return nil
    }
  }

  private mutating func fill<P>(_ parameters: inout P, from s: Section, fields: [(name: String, path: WritableKeyPath<P, Double>)]) {
    checkKeys(s, allowed: fields.map(\.name))
    for field in fields {
      if let v = number(s, field.name) { parameters[keyPath: field.path] = v }
    }
  }
}

/// All the problems found in one network file.
public struct NetworkFileErrors: Error, CustomStringConvertible, Equatable {
  public var errors: [NetworkFileError]
  public init(_ errors: [NetworkFileError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension TOMLValue {
  var stringValue: String? {
    if case let .string(s) = kind { return s }
    return nil
  }

  var numberValue: Double? {
    switch kind {
    case let .integer(i): return Double(i)
    case let .float(f): return f
    default: return nil
    }
  }

  var integerValue: Int64? {
    if case let .integer(i) = kind { return i }
    return nil
  }
}
