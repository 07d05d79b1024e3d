import Foundation
import Model
import Traces

/// A network read from a SONATA circuit, with what the import decided (printed with the mapping report).
public struct SONATAImport: Sendable {
  public var network: Network
  public var notes: [String]
  /// `run.tstop` (ms) of a simulation config, when the user named one.
  public var tstop: Double?
}

/// Turns a SONATA circuit of point neurons into a network. Each node population becomes a
/// population (split by parameter set where its nodes differ: NeuroFabric's populations are
/// homogeneous), each edge population `from_list` projections (one per receptor and pair of
/// populations), and a simulation config's `spikes` inputs the spike times of virtual nodes and its
/// `v` reports membrane recordings. Spikes of every neuron population are recorded; a report of
/// `spikes` (NeuroFabric's extension) records those of virtual nodes too.
public enum SONATAImporter {
  /// The most populations one node population may split into by its per-node parameters.
  public static let splitLimit = 64

  /// `chunkSize`: edges read at a time (smaller only to test reading in pieces).
  public static func read(path: String, chunkSize: Int = 1 << 18) throws(SONATAFileErrors) -> SONATAImport {
    let config = try SONATAConfig.read(path: path)
    var builder = SONATANetworkBuilder(config: config, chunkSize: max(1, chunkSize))
    try builder.readNodes()
    // Node sets name what inputs and reports act on; the file is read once, where they need it.
    if !config.inputs.isEmpty || !config.reports.isEmpty, let path = config.nodeSetsFile {
      builder.nodeSets = try SONATAConfig.jsonObject(path)
    }
    try builder.readInputs()
    try builder.readEdges()
    try builder.readReports()
    let name = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
    let network = builder.network(name: name.isEmpty ? "sonata" : name)
    let problems = network.validate()
    guard problems.isEmpty else {
      throw SONATAFileErrors(problems.map { problem in
        SONATAFileError(file: path, line: 0, key: builder.locate(problem.element, in: network) + problem.field, message: problem.message)
      })
    }
    return SONATAImport(network: network, notes: builder.notes, tstop: config.tstop)
  }
}

/// The import's state: node populations and where each node went, and the network being built.
struct SONATANetworkBuilder {
  let config: SONATAConfig
  let chunkSize: Int
  var notes: [String] = []

  /// A node population as read, and for each node its population in the network and index there.
  struct Nodes {
    var stored: SONATANodePopulation
    var population: [Int]
    var index: [Int]
    /// Node id → position, for populations whose `node_id`s are not 0..<size (PyNN's global ids).
    var position: [Int: Int]
  }

  var nodes: [String: Nodes] = [:]
  var nodeOrder: [String] = []
  var populations: [Population] = []
  /// The factor onto PyNN units of each population's incoming weights.
  var weightScale: [Double] = []
  /// The factor onto nA of a current clamp's `amp` into each population: the SONATA spec and PyNN
  /// give nA; BMTK's PointNet hands `amp` to NEST's `step_current_generator` as it is, in pA
  /// (bmtk/simulator/pointnet/modules/iclamp.py), so for `nest:` models it is pA.
  var currentScale: [Double] = []
  /// Spike times per neuron of each spike source population that takes them from inputs.
  var spikeTimes: [Int: [[Double]]] = [:]
  var projections: [Projection] = []
  var stimuli: [CurrentStimulus] = []
  var recordings: [Recording] = []
  var parameterChanges: [ParameterChange] = []

  /// The node sets file, read once.
  var nodeSets: [String: Any]?

  init(config: SONATAConfig, chunkSize: Int) {
    self.config = config
    self.chunkSize = chunkSize
  }

  func network(name: String) -> Network {
    var network = Network(name: name, populations: populations, projections: projections, stimuli: stimuli, recordings: recordings,
                          parameterChanges: parameterChanges.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element))
    for (p, times) in spikeTimes { network.populations[p].cellType = .spikeSourceArray(times: times) }
    let spiking = populations.filter { !$0.cellType.isSource }.map { Recording(population: $0.label, variables: [.spikes]) }
    network.recordings = spiking + network.recordings
    return network
  }

  /// Where a problem the validation found sits in the SONATA files.
  func locate(_ element: NetworkError.Element, in network: Network) -> String {
    switch element {
    case let .population(i): return "node population '\(network.populations[i].label)' "
    case let .projection(i): return "edge population '\(network.projections[i].label)' "
    case let .recording(i): return "report on '\(network.recordings[i].population)' "
    case let .stimulus(i): return "input '\(network.stimuli[i].label)' "
    case let .change(i): return "parameter change of '\(network.parameterChanges[i].population)' at \(network.parameterChanges[i].time) ms "
    default: return ""
    }
  }

  // MARK: - Nodes

  mutating func readNodes() throws(SONATAFileErrors) {
    guard !config.nodeFiles.isEmpty else {
      throw SONATAConfig.error(config.file, "networks.nodes", "no nodes file: a circuit needs at least one node population")
    }
    for file in config.nodeFiles {
      let types = try file.types.map { path throws(SONATAFileErrors) in try SONATATypeTable.read(path: path, idColumn: "node_type_id") }
      for stored in try SONATANodePopulation.read(file: file.data) {
        guard nodes[stored.name] == nil else {
          throw SONATAConfig.error(file.data, "/nodes/\(stored.name)", "a node population of this name is also in another nodes file")
        }
        try addNodes(stored, types: types, configType: file.populations[stored.name])
      }
    }
  }

  private mutating func addNodes(_ stored: SONATANodePopulation, types: SONATATypeTable?, configType: String?) throws(SONATAFileErrors) {
    let path = "/nodes/\(stored.name)"
    func fail(_ key: String, _ message: String) -> SONATAFileErrors { SONATAConfig.error(stored.file, key, message) }
    // Group the nodes by type and per-node parameter values; per-node initial potentials are the
    // neurons' own and split nothing.
    let perNodeNames = stored.perNode.keys.sorted().filter { !Self.initialPotentialNames.contains($0) }
    let initialPotentials = Self.initialPotentialNames.compactMap { stored.perNode[$0] }.first
    // Parameter changes split nodes too: a population's nodes share their values at every change.
    let changeNames = stored.changes.map { $0.values.keys.sorted() }
    for (k, names) in changeNames.enumerated() {
      if let name = names.first(where: Self.initialPotentialNames.contains) {
        throw fail("\(path)/0/parameter_changes/\(stored.changes[k].name)/\(name)", "the membrane potential is a state, not a parameter: it cannot be changed during a run")
      }
    }
    var groups: [[UInt64]: Int] = [:]
    var groupKeys: [[Double]] = []
    var population = [Int](repeating: 0, count: stored.size)
    var index = [Int](repeating: 0, count: stored.size)
    var sizes: [Int] = []
    for node in 0..<stored.size {
      let key = [Double(stored.typeIds[node])] + perNodeNames.map { stored.perNode[$0]![node] }
        + changeNames.enumerated().flatMap { k, names in names.map { stored.changes[k].values[$0]![node] } }
      let bits = key.map { $0.isNaN ? UInt64.max : $0.bitPattern }
      let group: Int
      if let existing = groups[bits] {
        group = existing
      } else {
        group = groupKeys.count
        guard group < SONATAImporter.splitLimit else {
          throw fail(path, "its nodes have more than \(SONATAImporter.splitLimit) different parameter sets (node types and dynamics_params \(perNodeNames.joined(separator: ", "))); NeuroFabric's populations are homogeneous, so each set becomes a population of its own")
        }
        groups[bits] = group
        groupKeys.append(key)
        sizes.append(0)
      }
      population[node] = group
      index[node] = sizes[group]
      sizes[group] += 1
    }
    let first = populations.count
    var labels: Set<String> = []
    var members = [[Int]](repeating: [], count: groupKeys.count)
    for node in 0..<stored.size { members[population[node]].append(node) }
    for (group, key) in groupKeys.enumerated() {
      let typeId = Int(key[0])
      let label = groupKeys.count == 1 ? stored.name : "\(stored.name).\(group)"
      guard let row = types?.rows[typeId] else {
        throw fail("\(path)/node_type_id", "node type \(typeId) is not in \(types.map { "'\($0.file)'" } ?? "a node types file (the config names none)")")
      }
      var parameters: [String: Double] = [:]
      // Text where a number is expected is either a label column or an unreadable parameter: the model decides.
      var texts: [String: String] = [:]
      for (name, text) in row.values where !SONATATypeColumns.nodeAttributes.contains(name) && name != "spike_times" {
        if let value = SONATATypeTable.number(text) { parameters[name] = value } else { texts[name] = text }
      }
      if let file = row.values["dynamics_params"] {
        for (name, value) in try jsonParameters(file, directory: config.pointNeuronModels, types: types!, row: row) { parameters[name] = value }
      }
      for (i, name) in perNodeNames.enumerated() where !key[i + 1].isNaN { parameters[name] = key[i + 1] }
      let modelType = row.values["model_type"] ?? configType ?? ""
      var template = row.values["model_template"] ?? ""
      if modelType == "virtual" {
        let poisson = ["rate", "duration"].contains { parameters[$0] != nil || texts[$0] != nil }
        template = poisson ? "pynn:SpikeSourcePoisson" : "pynn:SpikeSourceArray"
      } else if modelType != "point_neuron" && modelType != "point_process" && !modelType.isEmpty {
        throw SONATAConfig.rowError(types!, row, "model_type", "'\(modelType)' nodes cannot run on NeuroFabric (point_neuron or virtual)")
      }
      guard !template.isEmpty else {
        throw SONATAConfig.rowError(types!, row, "model_template", "a point neuron needs a model_template such as pynn:IF_curr_exp or nest:iaf_psc_exp")
      }
      // PyNN's exporter with target="nest" writes PyNN's class names under the nest: schema.
      if template.hasPrefix("nest:"), SONATACellModel.pynnModels.contains(String(template.dropFirst(5))) {
        template = "pynn:" + template.dropFirst(5)
      }
      for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
        guard SONATATypeColumns.isLabel(text), !SONATACellModel.hasParameter(name, template: template) else {
          throw SONATAConfig.rowError(types!, row, name, "'\(text)' is not a finite decimal number")
        }
        labels.insert(name)
      }
      let model: SONATACellModel
      do {
        model = try SONATACellModel.make(template: template, parameters: parameters)
      } catch {
        if case let .unknownParameter(name, _) = error, perNodeNames.contains(name) {
          throw fail("\(path)/0/dynamics_params/\(name)", error.message)
        }
        let column: String
        if case let .unknownParameter(name, _) = error { column = name } else { column = "model_template" }
        throw SONATAConfig.rowError(types!, row, column, error.message)
      }
      var cells = Population(label: label, size: sizes[group], cellType: model.cellType, initialVoltage: model.initialV.map { .constant($0) })
      if let initialPotentials {
        let fallback = model.initialV ?? model.cellType.restingPotential
        cells.initialVoltages = members[group].map { initialPotentials[$0].isNaN ? fallback : initialPotentials[$0] }
      }
      populations.append(cells)
      weightScale.append(model.weightScale)
      currentScale.append(template.hasPrefix("nest:") ? 1e-3 : 1)
      var offset = 1 + perNodeNames.count, current = model.cellType
      for (k, change) in stored.changes.enumerated() {
        for name in changeNames[k] {
          if !key[offset].isNaN { parameters[name] = key[offset] }
          offset += 1
        }
        let changed: SONATACellModel
        do {
          changed = try SONATACellModel.make(template: template, parameters: parameters)
        } catch {
          throw fail("\(path)/0/parameter_changes/\(change.name)", "the change at \(change.time) ms: \(error.message)")
        }
        if changed.cellType != current {
          parameterChanges.append(ParameterChange(time: change.time, population: label, cellType: changed.cellType))
          current = changed.cellType
        }
      }
      if groupKeys.count > 1 {
        let values = perNodeNames.enumerated().compactMap { i, name in key[i + 1].isNaN ? nil : "\(name) = \(key[i + 1])" }
        notes.append("node population '\(stored.name)': \(label) holds \(sizes[group]) nodes of type \(typeId)\(values.isEmpty ? "" : ", " + values.joined(separator: ", "))")
      }
    }
    if !labels.isEmpty {
      notes.append("node population '\(stored.name)': \(labels.sorted().joined(separator: ", ")) of '\(types!.file)' read as labels (text, and no parameter of the model)")
    }
    var position: [Int: Int] = [:]
    if let ids = stored.nodeIds {
      for (i, id) in ids.enumerated() {
        guard position.updateValue(i, forKey: id) == nil else { throw fail("\(path)/node_id", "node id \(id) appears twice") }
      }
      notes.append("node population '\(stored.name)': node_id \(ids.min()!)…\(ids.max()!) (not 0..<\(stored.size)); edges and inputs are matched by node_id")
    }
    nodes[stored.name] = Nodes(stored: stored, population: population.map { first + $0 }, index: index, position: position)
    nodeOrder.append(stored.name)
  }

  /// Per-node values that are initial membrane potentials, not parameters: PyNN's `v`, NEST's `V_m`.
  static let initialPotentialNames = ["v", "V_m"]

  /// The parameters of a BMTK `dynamics_params` JSON file of a type row.
  private func jsonParameters(_ name: String, directory: String?, types: SONATATypeTable,
                              row: SONATATypeTable.Row) throws(SONATAFileErrors) -> [String: Double] {
    let path = SONATAConfig.join(directory: directory ?? (types.file as NSString).deletingLastPathComponent, name)
    guard FileManager.default.fileExists(atPath: path) else {
      throw SONATAConfig.rowError(types, row, "dynamics_params", "'\(path)' does not exist\(directory == nil ? " (the config names no components directory)" : "")")
    }
    var result: [String: Double] = [:]
    for (key, value) in try SONATAConfig.jsonObject(path) {
      guard let number = SONATAConfig.number(value) else {
        throw SONATAConfig.error(path, key, "expected a number, got \(SONATAConfig.describe(value))")
      }
      result[key] = number
    }
    return result
  }

  /// The population and index of node `id` of node population `name`; nil when there is none.
  func node(_ name: String, _ id: Int) -> (population: Int, index: Int)? {
    nodes[name].flatMap { Self.node(of: $0, id) }
  }

  static func node(of nodes: Nodes, _ id: Int) -> (population: Int, index: Int)? {
    let position = nodes.stored.nodeIds == nil ? id : nodes.position[id]
    guard let position, position >= 0, position < nodes.stored.size else { return nil }
    return (nodes.population[position], nodes.index[position])
  }

  // MARK: - Node sets, inputs, reports

  /// The nodes of a node set: by population and, optionally, node ids (SONATA node sets file; a
  /// population's name is a node set of all its nodes, as BMTK reads it).
  func nodeSet(_ name: String, key: String) throws(SONATAFileErrors) -> (population: String, ids: [Int]?) {
    if let file = config.nodeSetsFile, let sets = nodeSets {
      if let value = sets[name] {
        guard let set = value as? [String: Any] else {
          throw SONATAConfig.error(file, name, "only node sets of one population (and node_id) can be read, got \(SONATAConfig.describe(value))")
        }
        if let other = set.keys.sorted().first(where: { $0 != "population" && $0 != "node_id" }) {
          throw SONATAConfig.error(file, "\(name).\(other)", "node sets that select by '\(other)' are not supported (population and node_id are)")
        }
        guard let population = set["population"] as? String, nodes[population] != nil else {
          throw SONATAConfig.error(file, "\(name).population", "names no node population of the circuit (\(nodeOrder.joined(separator: ", ")))")
        }
        guard let ids = set["node_id"] else { return (population, nil) }
        let entries = (ids as? [Any]) ?? [ids]
        var list: [Int] = []
        for (k, entry) in entries.enumerated() {
          guard let id = SONATAConfig.number(entry), id.rounded() == id, abs(id) < 9e15, node(population, Int(id)) != nil else {
            throw SONATAConfig.error(file, "\(name).node_id[\(k)]", "\(entry) is not a node id of population '\(population)'")
          }
          list.append(Int(id))
        }
        return (population, list)
      }
    }
    guard nodes[name] != nil else {
      throw SONATAConfig.error(config.file, key, "'\(name)' is neither a node set\(config.nodeSetsFile == nil ? " (the config names no node_sets_file)" : " of '\(config.nodeSetsFile!)'") nor a node population (\(nodeOrder.joined(separator: ", ")))")
    }
    return (name, nil)
  }

  mutating func readInputs() throws(SONATAFileErrors) {
    for input in config.inputs {
      let key = "inputs.\(input.name)"
      let (name, ids) = try nodeSet(input.nodeSet, key: key + ".node_set")
      guard case let .spikes(file) = input.kind else {
        if case let .currentClamp(amplitude, delay, duration) = input.kind {
          for (p, indices) in members(of: name, ids: ids) {
            guard !populations[p].cellType.isSource else {
              throw SONATAConfig.error(config.file, key, "injects current into '\(populations[p].label)', a virtual population (spike sources take no current)")
            }
            stimuli.append(CurrentStimulus(label: input.name, target: populations[p].label, neurons: indices,
                                           waveform: .dc(amplitude: amplitude * currentScale[p], start: delay, stop: delay + duration)))
          }
        }
        continue
      }
      for p in Set(nodes[name]!.population) {
        guard case .spikeSourceArray = populations[p].cellType else {
          throw SONATAConfig.error(config.file, key, "replays spikes into '\(populations[p].label)', which is \(populations[p].cellType.name); spike inputs drive virtual nodes (spike sources) only")
        }
      }
      let trains = try SONATASpikeFile.read(path: file, population: name)
      let wanted = ids.map(Set.init)
      var count = 0
      for (id, time) in trains where wanted?.contains(id) ?? true {
        guard let (p, i) = node(name, id) else {
          throw SONATAConfig.error(file, "/spikes/\(name)/node_ids", "node id \(id) is not in node population '\(name)'")
        }
        spikeTimes[p, default: [[Double]](repeating: [], count: populations[p].size)][i].append(time)
        count += 1
      }
      notes.append("input '\(input.name)': \(count) spikes from \(file) into '\(name)'")
    }
    for (p, times) in spikeTimes { spikeTimes[p] = times.map { $0.sorted() } }
    for (p, population) in populations.enumerated() {
      if case .spikeSourceArray = population.cellType, spikeTimes[p] == nil {
        notes.append("'\(population.label)' is a virtual population that no spikes input drives: it stays silent")
      }
    }
  }

  /// The nodes of node population `name` (those with `ids`, or all): their populations in the
  /// network, in order, each with the indices there (nil for the whole population).
  func members(of name: String, ids: [Int]?) -> [(population: Int, indices: [Int]?)] {
    let wanted = ids.map(Set.init), owner = nodes[name]!
    var byPopulation: [Int: [Int]] = [:]
    for position in 0..<owner.stored.size {
      let id = owner.stored.nodeIds?[position] ?? position
      if let wanted, !wanted.contains(id) { continue }
      byPopulation[owner.population[position], default: []].append(owner.index[position])
    }
    return byPopulation.sorted { $0.key < $1.key }.map { p, indices in (p, indices.count == populations[p].size ? nil : indices) }
  }

  mutating func readReports() throws(SONATAFileErrors) {
    for report in config.reports {
      let key = "reports.\(report.name)"
      let variable: Recording.Variable
      switch report.variable {
      case "v", "V_m": variable = .v
      case "spikes": variable = .spikes  // NeuroFabric's own: the spikes of virtual nodes too
      default:
        throw SONATAConfig.error(config.file, key + ".variable_name", "only the membrane potential (v or V_m) and spikes can be recorded, got '\(report.variable)'")
      }
      let (name, ids) = try nodeSet(report.cells, key: key + ".cells")
      for (p, indices) in members(of: name, ids: ids) where variable == .v || populations[p].cellType.isSource {
        recordings.append(Recording(population: populations[p].label, variables: [variable], neurons: indices, interval: report.dt ?? 0.1))
      }
    }
  }

  // MARK: - Edges

  mutating func readEdges() throws(SONATAFileErrors) {
    for file in config.edgeFiles {
      let types = try file.types.map { path throws(SONATAFileErrors) in try SONATATypeTable.read(path: path, idColumn: "edge_type_id") }
      for edges in try SONATAEdgePopulation.open(file: file.data, chunkSize: chunkSize) {
        try addEdges(edges, types: types)
      }
    }
  }

  private func edgeType(_ id: Int, types: SONATATypeTable?, stored: SONATAEdgePopulation) throws(SONATAFileErrors) -> SONATAEdgeResolver.EdgeType {
    guard let types, let row = types.rows[id] else {
      throw SONATAConfig.error(stored.file, "/edges/\(stored.name)/edge_type_id", "edge type \(id) is not in \(types.map { "'\($0.file)'" } ?? "an edge types file (the config names none)")")
    }
    var type = SONATAEdgeResolver.EdgeType()
    let template = row.values["model_template"] ?? "static_synapse"
    let model = template.split(separator: ":").last.map(String.init) ?? template
    guard model == "StaticSynapse" || model == "static_synapse" else {
      throw SONATAConfig.rowError(types, row, "model_template", "'\(template)' is not a static synapse; plastic synapses are not supported yet")
    }
    if let receptor = row.values["receptor_type"], receptor != "default" {
      guard let r = Receptor(rawValue: receptor) else {
        throw SONATAConfig.rowError(types, row, "receptor_type", "'\(receptor)' is not excitatory or inhibitory")
      }
      type.receptor = r
    }
    var values: [String: Double] = [:]
    if let file = row.values["dynamics_params"] {
      values = try jsonParameters(file, directory: config.synapticModels, types: types, row: row)
    }
    for name in SONATAEdgePopulation.connectionValues {
      guard let text = row.values[name] else { continue }
      guard let value = SONATATypeTable.number(text) else {
        throw SONATAConfig.rowError(types, row, name, "'\(text)' is not a finite decimal number")
      }
      values[name] = value
    }
    if row.values["weight_function"] != nil { throw SONATAConfig.rowError(types, row, "weight_function", "weight functions are BMTK Python code; give syn_weight per edge instead") }
    if let gap = row.values["is_gap_junction"], !["False", "false", "0"].contains(gap) {
      throw SONATAConfig.rowError(types, row, "is_gap_junction", "gap junctions are not supported (only chemical static synapses)")
    }
    let known = SONATATypeColumns.edgeAttributes.union(SONATAEdgePopulation.connectionValues).union(["is_gap_junction"])
    // Other columns are labels where they hold text (BMTK writes any property given to add_edges); a number is a parameter.
    if let other = row.values.sorted(by: { $0.key < $1.key }).first(where: { !known.contains($0.key) && !SONATATypeColumns.isLabel($0.value) }) {
      throw SONATAConfig.rowError(types, row, other.key, "a parameter static synapses do not have")
    }
    type.weight = values["syn_weight"] ?? values["weight"]
    type.delay = values["delay"]
    type.multiplicity = values["nsyns"]
    if let n = type.multiplicity, !(n >= 0 && n.rounded() == n) {
      throw SONATAConfig.rowError(types, row, "nsyns", "\(n) is not a number of synapses (a whole number ≥ 0)")
    }
    return type
  }

  /// Reads every edge of the population once, chunk by chunk: checks it, and sorts it into one
  /// projection per pair of populations and receptor, which keeps only a summary of its edges
  /// (`SONATAEdgeTable`): the edges themselves are read again by the ranks that host their targets.
  private mutating func addEdges(_ edges: SONATAEdgePopulation, types: SONATATypeTable?) throws(SONATAFileErrors) {
    let path = edges.path
    for (_, group) in edges.groups.sorted(by: { $0.key < $1.key }) {
      if let (_, stored) = group.sorted(by: { $0.key < $1.key }).first(where: { !SONATAEdgePopulation.connectionValues.contains($0.key) }) {
        throw SONATAConfig.error(edges.file, "\(path)/\(stored.path)", "a parameter static synapses do not have; plastic synapses are not supported yet")
      }
    }
    var resolver = SONATAEdgeResolver(edges: edges, sources: lookup(edges.sourcePopulation), targets: lookup(edges.targetPopulation),
                                      labels: populations.map(\.label), isSource: populations.map(\.cellType.isSource),
                                      weightScale: weightScale, nodePopulations: nodeOrder)
    struct Key: Equatable { var pre: Int, post: Int, receptor: Receptor }
    // A handful of keys per edge population: found by a linear search, in the order they appear.
    var order: [Key] = []
    var summaries: [SONATAEdgeTableSummary] = []
    var chunkNumber = 0
    try edges.read { chunk throws(SONATAFileErrors) in
      for id in Set(chunk.typeIds).sorted() where resolver.edgeTypes[id] == nil {
        resolver.edgeTypes[id] = try edgeType(id, types: types, stored: edges)
      }
      var last = -1
      try resolver.forEachConnection(in: chunk) { c throws(SONATAFileErrors) in
        let key = Key(pre: c.pre, post: c.post, receptor: c.receptor)
        if last < 0 || order[last] != key {
          last = order.firstIndex(of: key) ?? -1
          if last < 0 {
            last = order.count
            order.append(key)
            summaries.append(SONATAEdgeTableSummary(chunks: edges.chunks))
          }
        }
        summaries[last].add(c, chunk: chunkNumber)
      }
      chunkNumber += 1
    }
    let sizes = populations.map(\.size)
    for (k, key) in order.enumerated() {
      let summary = summaries[k]
      let table = summary.table(resolver, pre: key.pre, post: key.post, receptor: key.receptor, sizes: sizes)
      projections.append(Projection(label: order.count == 1 ? edges.name : "\(edges.name).\(k)",
                                    pre: populations[key.pre].label, post: populations[key.post].label, receptor: key.receptor,
                                    connector: .stored(StoredConnections(table)),
                                    weight: .constant(summary.first.weight), delay: .constant(summary.first.delay)))
    }
    if order.count > 1 {
      notes.append("edge population '\(edges.name)': \(order.count) projections (" + order.enumerated().map { k, key in
        "\(edges.name).\(k): \(populations[key.pre].label) → \(populations[key.post].label) \(key.receptor.rawValue)"
      }.joined(separator: "; ") + ")")
    }
  }

  /// Node id → population and index for the node population `name`; where no node population has
  /// that name (PyNN's export names a view or an assembly), over the populations with global ids,
  /// the first that holds an id winning.
  private func lookup(_ name: String) -> SONATAEdgeResolver.NodeLookup {
    let owners = nodes[name].map { [$0] } ?? nodeOrder.map { nodes[$0]! }.filter { $0.stored.nodeIds != nil || $0.stored.hasNodeIds }
    func ids(_ owner: Nodes) -> ClosedRange<Int>? {
      guard owner.stored.size > 0 else { return nil }
      guard let ids = owner.stored.nodeIds else { return 0...(owner.stored.size - 1) }
      return ids.min()!...ids.max()!
    }
    let spans = owners.compactMap(ids)
    let span = spans.isEmpty ? nil : spans.map(\.lowerBound).min()!...spans.map(\.upperBound).max()!
    var lookup = SONATAEdgeResolver.NodeLookup(span: span, nodes: owners.reduce(0) { $0 + $1.stored.size })
    for owner in owners {
      for position in 0..<owner.stored.size {
        lookup.add(id: owner.stored.nodeIds?[position] ?? position, population: owner.population[position], index: owner.index[position])
      }
    }
    return lookup
  }
}
