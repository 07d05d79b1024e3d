import Foundation
import Model

/// The files a SONATA circuit is made of, from a `circuit_config.json`, or from a
/// `simulation_config.json` that names one (`"network"`) or inlines its `networks`, and then also
/// gives spike inputs, membrane reports and node sets (docs/formats.md §1.3–1.4). Paths are
/// resolved as the SONATA spec says: `$NAME` manifest entries substituted (they may use each
/// other), relative paths taken from the directory of the config that holds them.
public struct SONATAConfig: Sendable, Equatable {
  /// A nodes or edges file of the circuit (`nodes_file`/`edges_file`), its type file and the
  /// populations the config lists for it with their `type` (empty where it lists none).
  public struct PopulationFile: Sendable, Equatable {
    public var data: String
    public var types: String?
    public var populations: [String: String]
  }

  /// An input of a simulation config: the spikes of a SONATA spike file replayed by virtual nodes,
  /// or a current step (`current_clamp`, an IClamp: `amp` in nA as the SONATA simulation-config
  /// spec gives it, from `delay` for `duration` ms).
  public struct Input: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      case spikes(file: String)
      case currentClamp(amplitude: Double, delay: Double, duration: Double)
    }

    public var name: String
    public var nodeSet: String
    public var kind: Kind
  }

  /// A report of a variable of the nodes of `cells`, sampled every `dt` ms.
  public struct Report: Sendable, Equatable {
    public var name: String
    public var cells: String
    public var variable: String
    public var dt: Double?
  }

  /// The config file the user named.
  public var file: String
  public var nodeFiles: [PopulationFile] = []
  public var edgeFiles: [PopulationFile] = []
  public var nodeSetsFile: String?
  /// `components.point_neuron_models_dir`, where BMTK keeps `dynamics_params` JSON files.
  public var pointNeuronModels: String?
  /// `components.synaptic_models_dir`, the same for edge types.
  public var synapticModels: String?
  public var inputs: [Input] = []
  public var reports: [Report] = []
  /// `run.tstop` (ms) of a simulation config (`run.dt` is checked; the system's step rules).
  public var tstop: Double?

  /// How deep manifest entries may refer to each other.
  static let manifestDepth = 16
  /// The largest config file read (a config lists files; it holds no data).
  static let byteLimit = 16 << 20

  public static func read(path: String) throws(SONATAFileErrors) -> SONATAConfig {
    var config = SONATAConfig(file: path)
    let object = try jsonObject(path)
    if object["networks"] == nil, object["network"] == nil {
      throw error(path, "networks", "a SONATA config lists its node and edge files under 'networks' (a circuit config) or names a circuit config under 'network' (a simulation config)")
    }
    if let network = object["network"] {
      guard let name = network as? String else { throw error(path, "network", "expected the path of a circuit config, got \(describe(network))") }
      let circuit = try resolve(name, in: object, file: path, key: "network")
      try config.readCircuit(jsonObject(circuit), file: circuit)
    }
    if object["networks"] != nil || object["node_sets_file"] != nil || object["components"] != nil {
      try config.readCircuit(object, file: path)
    }
    try config.readSimulation(object, file: path)
    return config
  }

  private mutating func readCircuit(_ object: [String: Any], file: String) throws(SONATAFileErrors) {
    if let sets = object["node_sets_file"] {
      guard let name = sets as? String else { throw Self.error(file, "node_sets_file", "expected a path, got \(Self.describe(sets))") }
      nodeSetsFile = try Self.resolve(name, in: object, file: file, key: "node_sets_file")
    }
    if let components = object["components"] {
      guard let table = components as? [String: Any] else { throw Self.error(file, "components", "expected an object") }
      for (key, slot) in [("point_neuron_models_dir", \SONATAConfig.pointNeuronModels), ("synaptic_models_dir", \.synapticModels)] {
        guard let dir = table[key] else { continue }
        guard let name = dir as? String else { throw Self.error(file, "components.\(key)", "expected a path") }
        self[keyPath: slot] = try Self.resolve(name, in: object, file: file, key: "components.\(key)")
      }
    }
    guard let networks = object["networks"] else { return }
    guard let table = networks as? [String: Any] else { throw Self.error(file, "networks", "expected an object with 'nodes' and 'edges' lists") }
    nodeFiles += try Self.populationFiles(table["nodes"], kind: "node", in: object, file: file)
    if table["edges"] != nil { edgeFiles += try Self.populationFiles(table["edges"], kind: "edge", in: object, file: file) }
  }

  /// The entries of `networks.nodes` or `networks.edges` (`kind` "node" or "edge").
  private static func populationFiles(_ value: Any?, kind: String, in object: [String: Any], file: String) throws(SONATAFileErrors) -> [PopulationFile] {
    var files: [PopulationFile] = []
    for (i, entry) in try list(value, file: file, key: "networks.\(kind)s").enumerated() {
      let key = "networks.\(kind)s[\(i)]"
      files.append(PopulationFile(data: try path(entry, "\(kind)s_file", in: object, file: file, key: key)!,
                                  types: try path(entry, "\(kind)_types_file", in: object, file: file, key: key, required: false),
                                  populations: try populations(entry, file: file, key: key)))
    }
    return files
  }

  private mutating func readSimulation(_ object: [String: Any], file: String) throws(SONATAFileErrors) {
    if let value = object["run"] {
      guard let run = value as? [String: Any] else { throw Self.error(file, "run", "expected an object, got \(Self.describe(value))") }
      for key in ["tstop", "dt"] where run[key] != nil {
        guard let number = Self.number(run[key]), number > 0, number.isFinite else {
          throw Self.error(file, "run.\(key)", "expected a positive number of ms, got \(Self.describe(run[key]!))")
        }
        if key == "tstop" { tstop = number }
      }
    }
    if let table = object["inputs"] {
      guard let inputs = table as? [String: Any] else { throw Self.error(file, "inputs", "expected an object of named inputs") }
      for name in inputs.keys.sorted() {
        let key = "inputs.\(name)"
        guard let input = inputs[name] as? [String: Any] else { throw Self.error(file, key, "expected an object") }
        guard let set = input["node_set"] as? String else { throw Self.error(file, key + ".node_set", "an input names the node set it drives") }
        switch input["input_type"] as? String ?? "" {
        case "spikes":
          // libsonata names the file spike_file, BMTK input_file.
          let fileKey = input["spike_file"] != nil ? "spike_file" : "input_file"
          let spikes = try Self.path(input, fileKey, in: object, file: file, key: key)!
          self.inputs.append(Input(name: name, nodeSet: set, kind: .spikes(file: spikes)))
        case "current_clamp":
          var values: [Double] = []
          for field in ["amp", "delay", "duration"] {
            guard let number = Self.number(input[field]), number.isFinite else {
              throw Self.error(file, "\(key).\(field)", "a current_clamp input gives \(field) as a finite number (amp in nA, delay and duration in ms)")
            }
            values.append(number)
          }
          self.inputs.append(Input(name: name, nodeSet: set, kind: .currentClamp(amplitude: values[0], delay: values[1], duration: values[2])))
        case let type:
          throw Self.error(file, key + ".input_type", "only 'spikes' (a SONATA spike file replayed by virtual nodes) and 'current_clamp' inputs can be read, got '\(type)'")
        }
      }
    }
    if let table = object["reports"] {
      guard let reports = table as? [String: Any] else { throw Self.error(file, "reports", "expected an object of named reports") }
      for name in reports.keys.sorted() {
        let key = "reports.\(name)"
        guard let report = reports[name] as? [String: Any] else { throw Self.error(file, key, "expected an object") }
        guard let cells = report["cells"] as? String else { throw Self.error(file, key + ".cells", "a report names the node set it records") }
        guard let variable = report["variable_name"] as? String else { throw Self.error(file, key + ".variable_name", "a report names its variable") }
        var interval: Double?
        if let value = report["dt"] {
          guard let number = Self.number(value), number > 0, number.isFinite else {
            throw Self.error(file, key + ".dt", "expected a positive number of ms, got \(Self.describe(value))")
          }
          interval = number
        }
        self.reports.append(Report(name: name, cells: cells, variable: variable, dt: interval))
      }
    }
  }

  // MARK: - JSON

  static func jsonObject(_ path: String) throws(SONATAFileErrors) -> [String: Any] {
    if let refusal = InputFile.refusal(path) { throw error(path, "", refusal) }
    guard let handle = FileHandle(forReadingAtPath: path) else { throw error(path, "", "cannot open the file") }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: byteLimit + 1)) ?? Data()
    guard data.count <= byteLimit else { throw error(path, "", "larger than \(byteLimit >> 20) MiB: a SONATA config lists files, it holds no data") }
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw Self.error(path, "", "not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))")
    }
    guard let object = parsed as? [String: Any] else { throw error(path, "", "expected a JSON object at the top") }
    return object
  }

  /// `value` with the config's manifest substituted, made absolute against the config's directory.
  static func resolve(_ value: String, in object: [String: Any], file: String, key: String) throws(SONATAFileErrors) -> String {
    let manifest = object["manifest"] as? [String: Any] ?? [:]
    var text = value
    var depth = 0
    while let range = text.range(of: #"\$[A-Za-z_][A-Za-z0-9_]*"#, options: .regularExpression) {
      let name = String(text[range])
      guard let replacement = manifest[name] as? String else {
        throw error(file, key, "'\(name)' is not in the manifest\(manifest.isEmpty ? "" : " (it has \(manifest.keys.sorted().joined(separator: ", ")))")")
      }
      depth += 1
      guard depth <= manifestDepth else { throw error(file, key, "manifest entries refer to each other more than \(manifestDepth) deep (a cycle?)") }
      text.replaceSubrange(range, with: replacement)
    }
    guard !text.isEmpty else { throw error(file, key, "an empty path") }
    return join(directory: (file as NSString).deletingLastPathComponent, text)
  }

  /// `path` taken from `directory` unless absolute, without "." steps ("./a/./b" → "a/b").
  public static func join(directory: String, _ path: String) -> String {
    let whole = path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
    var steps = whole.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
    if steps.isEmpty { steps = ["."] }
    return (whole.hasPrefix("/") ? "/" : "") + steps.joined(separator: "/")
  }

  private static func list(_ value: Any?, file: String, key: String) throws(SONATAFileErrors) -> [[String: Any]] {
    guard let value else { throw error(file, key, "missing: a circuit lists at least one nodes file") }
    guard let entries = value as? [Any], let objects = entries as? [[String: Any]] else {
      throw error(file, key, "expected a list of objects, got \(describe(value))")
    }
    return objects
  }

  private static func path(_ entry: [String: Any], _ name: String, in object: [String: Any], file: String, key: String,
                           required: Bool = true) throws(SONATAFileErrors) -> String? {
    guard let value = entry[name] else {
      if required { throw error(file, key + "." + name, "missing") }
      return nil
    }
    guard let text = value as? String else { throw error(file, key + "." + name, "expected a path, got \(describe(value))") }
    return try resolve(text, in: object, file: file, key: key + "." + name)
  }

  private static func populations(_ entry: [String: Any], file: String, key: String) throws(SONATAFileErrors) -> [String: String] {
    guard let value = entry["populations"] else { return [:] }
    guard let table = value as? [String: Any] else { throw error(file, key + ".populations", "expected an object") }
    var result: [String: String] = [:]
    for (name, properties) in table {
      result[name] = (properties as? [String: Any])?["type"] as? String ?? ""
    }
    return result
  }

  /// A JSON number as a Double; nil for anything else. (On Linux a JSON `true` and the number 1.0
  /// are both NSNumbers that `is Bool` accepts; a boolean's type code is a char.)
  static func number(_ value: Any?) -> Double? {
    guard let number = value as? NSNumber else { return nil }
    let code = String(cString: number.objCType)
    return code == "c" || code == "B" ? nil : number.doubleValue
  }

  static func describe(_ value: Any) -> String {
    switch value {
    case is String: return "a string"
    case is [Any]: return "a list"
    case is [String: Any]: return "an object"
    case is NSNumber: return "a number"
    default: return "null"
    }
  }

  static func error(_ file: String, _ key: String, _ message: String) -> SONATAFileErrors {
    SONATAFileErrors([SONATAFileError(file: file, line: 0, key: key, message: message)])
  }
}
