import Foundation

/// Reads NeuroFabric's TOML network files (format in docs/formats/network-files.md) into a `Network`,
/// reporting every problem with file, line and key. The network it returns has passed `validate()`.
public struct NetworkFileReader {
  public let file: String
  private var doc: Document
  private typealias Document = TOMLDocumentReader<NetworkFileError>
  private typealias Section = Document.Section

  private init(file: String) {
    self.file = file
    doc = Document(file: file)
  }

  /// Reads and validates the network file at `path`.
  public static func read(path: String) throws(NetworkFileErrors) -> Network {
    try parse(Document.text(ofFile: path), file: path)
  }

  /// Parses and validates network text; `file` names it in errors.
  public static func parse(_ text: String, file: String) throws(NetworkFileErrors) -> Network {
    let root = try Document.parse(text, file: file)
    var reader = NetworkFileReader(file: file)
    let network = reader.network(root)
    if !reader.doc.errors.isEmpty { throw NetworkFileErrors(reader.doc.errors) }
    let problems = network.validate()
    if !problems.isEmpty {
      throw NetworkFileErrors(problems.map { NetworkFileError(file: file, line: reader.doc.line(of: $0.keyPath), key: $0.keyPath, message: $0.message) })
    }
    return network
  }

  // MARK: - Sections

  private mutating func network(_ root: TOMLTable) -> Network {
    let top = doc.root(root)
    doc.checkKeys(top, allowed: ["network", "population", "projection", "stimulus", "record"])
    var network = Network(name: (file as NSString).lastPathComponent)
    if let header = doc.table(top, "network") {
      doc.checkKeys(header, allowed: ["name", "description"])
      network.name = doc.string(header, "name") ?? network.name
    }
    network.populations = doc.tables(top, "population").map { population($0) }
    network.projections = doc.tables(top, "projection").map { projection($0) }
    network.stimuli = doc.tables(top, "stimulus").map { stimulus($0) }
    network.recordings = doc.tables(top, "record").map { recording($0) }
    if network.populations.isEmpty && doc.errors.isEmpty {
      doc.fail(top, "population", "the network has no [[population]]")
    }
    return network
  }

  private mutating func population(_ s: Section) -> Population {
    let cellName = doc.string(s, "cell", required: true) ?? "IF_curr_exp"
    let common = ["label", "size", "cell"]
    var cell: CellType
    switch cellName {
    case "IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_cond_alpha":
      doc.checkKeys(s, allowed: common + ["parameters", "initial_v", "expected_rate"])
      var p = LIFParameters()
      if let table = doc.table(s, "parameters") { fill(&p, from: table, fields: LIFParameters.fields) }
      switch cellName {
      case "IF_curr_exp": cell = .ifCurrExp(p)
      case "IF_cond_exp": cell = .ifCondExp(p)
      case "IF_curr_alpha": cell = .ifCurrAlpha(p)
      default: cell = .ifCondAlpha(p)
      }
    case "EIF_cond_exp_isfa_ista", "AdEx_curr_exp":
      doc.checkKeys(s, allowed: common + ["parameters", "initial_v", "expected_rate"])
      var p = AdExParameters()
      if let table = doc.table(s, "parameters") { fill(&p, from: table, fields: AdExParameters.fields) }
      cell = cellName == "AdEx_curr_exp" ? .adexCurrExp(p) : .adexCondExp(p)
    case "SpikeSourcePoisson":
      doc.checkKeys(s, allowed: common + ["rate", "start", "stop"])
      cell = .poissonSource(rate: doc.number(s, "rate", required: true) ?? 0, start: doc.number(s, "start") ?? 0,
                            stop: doc.number(s, "stop") ?? .infinity)
    case "SpikeSourceArray":
      doc.checkKeys(s, allowed: common + ["spike_times"])
      cell = .spikeSourceArray(times: spikeTimes(s))
    default:
      doc.fail(s, "cell", "unknown cell type '\(cellName)' (expected one of: \(CellType.names.joined(separator: ", ")))")
      cell = .ifCurrExp(LIFParameters())
    }
    let initial = s.table["initial_v"] == nil ? nil : distribution(s, "initial_v")
    let rate = doc.number(s, "expected_rate")
    if let rate, !(rate >= 0 && rate <= 1000) { doc.fail(s, "expected_rate", "must be in [0, 1000] Hz, got \(rate)") }
    return Population(label: doc.string(s, "label", required: true) ?? "", size: doc.integer(s, "size", required: true) ?? 1,
                      cellType: cell, initialVoltage: initial, expectedRate: rate)
  }

  private mutating func projection(_ s: Section) -> Projection {
    doc.checkKeys(s, allowed: ["label", "pre", "post", "receptor", "connector", "autapses", "weight", "delay"])
    let pre = doc.string(s, "pre", required: true) ?? ""
    let post = doc.string(s, "post", required: true) ?? ""
    var receptor = Receptor.excitatory
    if let name = doc.string(s, "receptor", required: true) {
      if let r = Receptor(rawValue: name) { receptor = r } else { doc.fail(s, "receptor", "unknown receptor '\(name)' (expected excitatory or inhibitory)") }
    }
    return Projection(label: doc.string(s, "label") ?? "\(pre)->\(post)", pre: pre, post: post, receptor: receptor,
                      connector: connector(s), allowAutapses: doc.boolean(s, "autapses") ?? true,
                      weight: distribution(s, "weight", required: true) ?? .constant(0),
                      delay: distribution(s, "delay", required: true) ?? .constant(1))
  }

  private mutating func connector(_ s: Section) -> Connector {
    guard let value = s.table["connector"] else {
      doc.fail(s, "connector", "missing required key 'connector' (one of: \(Connector.names.joined(separator: ", ")))")
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
      type = doc.string(c, "type", required: true) ?? "all_to_all"
    default:
      doc.fail(s, "connector", "expected a connector name or a table with 'type', got \(value.typeName)")
      return .allToAll
    }
    doc.record(c)
    switch type {
    case "all_to_all", "one_to_one":
      doc.checkKeys(c, allowed: ["type"])
      return type == "all_to_all" ? .allToAll : .oneToOne
    case "fixed_probability":
      doc.checkKeys(c, allowed: ["type", "p"])
      return .fixedProbability(doc.number(c, "p", required: true) ?? 0)
    case "fixed_indegree", "fixed_outdegree":
      doc.checkKeys(c, allowed: ["type", "k", "multapses"])
      let k = doc.integer(c, "k", required: true) ?? 0
      let multapses = doc.boolean(c, "multapses") ?? true
      return type == "fixed_indegree" ? .fixedIndegree(k, multapses: multapses) : .fixedOutdegree(k, multapses: multapses)
    case "from_list":
      doc.checkKeys(c, allowed: ["type", "connections"])
      return .fromList(connectionList(c))
    default:
      doc.fail(c, "type", "unknown connector '\(type)' (expected one of: \(Connector.names.joined(separator: ", ")))")
      return .allToAll
    }
  }

  private mutating func connectionList(_ c: Section) -> [ListConnection] {
    guard let value = c.table["connections"] else {
      doc.fail(c, "connections", "missing required key 'connections' (a list of [pre, post] or [pre, post, weight, delay])")
      return []
    }
    guard case let .array(rows) = value.kind else {
      doc.fail(c, "connections", "expected an array of [pre, post(, weight, delay)], got \(value.typeName)")
      return []
    }
    var list: [ListConnection] = []
    for (i, row) in rows.enumerated() {
      let key = "\(c.key("connections"))[\(i)]"
      doc.recordLine(key, row.line)
      guard case let .array(items) = row.kind, items.count == 2 || items.count == 4,
            let pre = items[0].integerValue, let post = items[1].integerValue
      else {
        doc.fail(key: key, line: row.line, "expected [pre, post] or [pre, post, weight, delay] with integer indices")
        continue
      }
      var entry = ListConnection(pre: Int(pre), post: Int(post))
      if items.count == 4 {
        guard let w = items[2].numberValue, let d = items[3].numberValue else {
          doc.fail(key: key, line: row.line, "weight and delay must be numbers")
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
    doc.checkKeys(s, allowed: ["label", "target", "neurons", "type", "amplitude", "start", "stop", "times", "amplitudes"])
    let target = doc.string(s, "target", required: true) ?? ""
    let type = doc.string(s, "type", required: true) ?? "dc"
    let waveform: CurrentStimulus.Waveform
    switch type {
    case "dc":
      waveform = .dc(amplitude: doc.number(s, "amplitude", required: true) ?? 0, start: doc.number(s, "start") ?? 0, stop: doc.number(s, "stop") ?? .infinity)
    case "step":
      waveform = .step(times: doc.numbers(s, "times") ?? [], amplitudes: doc.numbers(s, "amplitudes") ?? [])
    default:
      doc.fail(s, "type", "unknown stimulus type '\(type)' (expected dc or step)")
      waveform = .dc(amplitude: 0, start: 0, stop: 0)
    }
    return CurrentStimulus(label: doc.string(s, "label") ?? "\(type)->\(target)", target: target,
                           neurons: doc.numbers(s, "neurons").map { $0.map { Int($0) } }, waveform: waveform)
  }

  private mutating func recording(_ s: Section) -> Recording {
    doc.checkKeys(s, allowed: ["population", "variables", "neurons", "interval"])
    var variables: [Recording.Variable] = [.spikes]
    if let value = s.table["variables"] {
      if case let .array(items) = value.kind, items.allSatisfy({ $0.stringValue != nil }) {
        variables = []
        for name in items.compactMap(\.stringValue) {
          if let v = Recording.Variable(rawValue: name) { variables.append(v) } else {
            doc.fail(s, "variables", "unknown variable '\(name)' (expected spikes or v)")
          }
        }
      } else {
        doc.fail(s, "variables", "expected an array of variable names like [\"spikes\", \"v\"], got \(value.typeName)")
      }
    }
    return Recording(population: doc.string(s, "population", required: true) ?? "", variables: variables,
                     neurons: doc.numbers(s, "neurons").map { $0.map { Int($0) } }, interval: doc.number(s, "interval") ?? 0.1)
  }

  private mutating func spikeTimes(_ s: Section) -> [[Double]] {
    guard let value = s.table["spike_times"] else {
      doc.required(s, "spike_times")
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
    doc.fail(s, "spike_times", "expected an array of times in ms, or one such array per cell")
    return []
  }

  private mutating func distribution(_ s: Section, _ key: String, required: Bool = false) -> ValueDistribution? {
    guard let value = s.table[key] else {
      if required { doc.required(s, key) }
      return nil
    }
    if let v = value.numberValue { return .constant(v) }
    guard let d = doc.table(s, key) else { return nil }
    doc.record(d)
    let name = doc.string(d, "distribution", required: true) ?? "constant"
    switch name {
    case "uniform":
      doc.checkKeys(d, allowed: ["distribution", "low", "high"])
      return .uniform(low: doc.number(d, "low", required: true) ?? 0, high: doc.number(d, "high", required: true) ?? 0)
    case "normal":
      doc.checkKeys(d, allowed: ["distribution", "mean", "sd"])
      return .normal(mean: doc.number(d, "mean", required: true) ?? 0, sd: doc.number(d, "sd", required: true) ?? 0)
    case "normal_clipped":
      doc.checkKeys(d, allowed: ["distribution", "mean", "sd", "low", "high"])
      return .normalClipped(mean: doc.number(d, "mean", required: true) ?? 0, sd: doc.number(d, "sd", required: true) ?? 0,
                            low: doc.number(d, "low") ?? -.infinity, high: doc.number(d, "high") ?? .infinity)
    default:
      doc.fail(d, "distribution", "unknown distribution '\(name)' (expected uniform, normal or normal_clipped, or a plain number)")
      return nil
    }
  }

  private mutating func fill<P>(_ parameters: inout P, from s: Section, fields: [(name: String, path: WritableKeyPath<P, Double>)]) {
    doc.checkKeys(s, allowed: fields.map(\.name))
    for field in fields {
      if let v = doc.number(s, field.name) { parameters[keyPath: field.path] = v }
    }
  }
}
