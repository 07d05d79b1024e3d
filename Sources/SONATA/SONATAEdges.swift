import Model
import Traces

/// One edge population of a SONATA edges file (`/edges/<name>`), opened for reading in chunks of
/// `chunkSize` edges: what it holds is checked when it is opened (datasets present, one value per
/// edge), the values when a chunk is read. A pass holds one chunk, and of each group's datasets the
/// rows from the chunk's first to its last `edge_group_index`: the chunk's own rows where the
/// index runs in order, as BMTK and PyNN write it.
struct SONATAEdgePopulation: Sendable {
  var name: String
  var file: String
  var sourcePopulation: String
  var targetPopulation: String
  var count: Int
  /// Per group (`/edges/<name>/<group>`): the datasets read as values of its edges, by value name,
  /// with their paths below the population and their lengths.
  var groups: [Int: [String: (path: String, rows: Int)]]
  /// Whether `edge_group_id` and `edge_group_index` say where each edge's values are; else the
  /// population has one group and edge e's values are its row e.
  var indexed: Bool
  /// Whether an edge's row is its position (PyNN's wrapped int16 indices: `SONATAData.mayWrapRows`).
  var positional: Bool

  /// Edges per chunk (`SONATAImporter.read`'s `chunkSize`).
  var chunkSize: Int

  /// Group datasets read as values of the edge (the SONATA spec's reserved names); other group
  /// datasets are attributes a point-neuron simulation does not use. `dynamics_params/<name>`
  /// datasets are read too (and refused by the importer unless they are one of these).
  static let valueNames: Set<String> = ["syn_weight", "delay", "nsyns"]
  /// The values a connection takes from its edge or edge type: `syn_weight` (PyNN writes
  /// `dynamics_params/weight`), `delay` and `nsyns` (`Chunk.weights`, `delays`, `multiplicity`).
  static let connectionValues = ["syn_weight", "weight", "delay", "nsyns"]

  var path: String { "/edges/\(name)" }
  var chunks: Int { (count + chunkSize - 1) / chunkSize }

  static func open(file: String, chunkSize: Int) throws(SONATAFileErrors) -> [SONATAEdgePopulation] {
    try SONATAData.populations(of: file, kind: "edges") { group, name, fail in
      openPopulation(group, name: name, file: file, chunkSize: chunkSize, fail: fail)
    }
  }

  private static func openPopulation(_ group: HDF5Group, name: String, file: String, chunkSize: Int,
                                     fail: (String, String) -> Void) -> SONATAEdgePopulation? {
    func length(_ dataset: String, of holder: HDF5Group) -> Int? {
      guard holder.contains(dataset) else {
        fail("\(holder.name)/\(dataset)", "missing dataset")
        return nil
      }
      do {
        return try holder.openDataset(dataset, as: Double.self).count
      } catch {
        fail("\(holder.name)/\(dataset)", SONATAData.message(error, file: file) + " (expected a 1-D numeric dataset)")
        return nil
      }
    }
    guard let count = length("source_node_id", of: group) else { return nil }
    for dataset in ["target_node_id", "edge_type_id"] {
      guard let n = length(dataset, of: group) else { return nil }
      guard n == count else {
        fail("\(group.name)/\(dataset)", "\(n) values, expected \(count): as many as source_node_id holds")
        return nil
      }
    }
    var populationNames: [String] = []
    for end in ["source_node_id", "target_node_id"] {
      guard let dataset = try? group.openDataset(end, as: Double.self),
            let value = try? dataset.stringAttribute("node_population"), value.count == 1 else {
        fail("\(group.name)/\(end)@node_population", "missing: the edges name the node population their ids are in")
        return nil
      }
      populationNames.append(value[0])
    }
    var population = SONATAEdgePopulation(name: name, file: file, sourcePopulation: populationNames[0], targetPopulation: populationNames[1],
                                          count: count, groups: [:], indexed: false, positional: false, chunkSize: chunkSize)
    let groupNames = group.memberNames.filter { group.isGroup($0) && Int($0) != nil }
    for groupName in groupNames {
      guard let holder = try? group.openGroup(groupName) else { continue }
      var values: [String: (String, Int)] = [:]
      var datasets = holder.memberNames.filter { valueNames.contains($0) && !holder.isGroup($0) }.map { (holder, $0, "\(groupName)/\($0)") }
      if holder.isGroup("dynamics_params"), let dynamics = try? holder.openGroup("dynamics_params") {
        datasets += dynamics.memberNames.map { (dynamics, $0, "\(groupName)/dynamics_params/\($0)") }
      }
      for (parent, dataset, path) in datasets {
        guard let rows = length(dataset, of: parent) else { return nil }
        values[dataset] = (path, rows)
      }
      population.groups[Int(groupName)!] = values
    }
    guard !groupNames.isEmpty else { return population }
    population.indexed = group.contains("edge_group_id") || groupNames.count > 1
    if population.indexed {
      for dataset in ["edge_group_id", "edge_group_index"] {
        guard let n = length(dataset, of: group) else { return nil }
        guard n == count else {
          fail("\(group.name)/\(dataset)", "\(n) values, expected \(count): as many as source_node_id holds")
          return nil
        }
      }
      if SONATAData.mayWrapRows(groups: groupNames.count, count: count), let index = try? group.openDataset("edge_group_index", as: Double.self) {
        population.positional = stride(from: 0, to: count, by: chunkSize).allSatisfy { start in
          (try? index.read(start..<min(count, start + chunkSize))).map(SONATAData.fitsInt16) ?? false
        }
      }
    } else if let (_, rows) = population.groups.values.first?.values.first(where: { $0.rows < count }) {
      fail("\(group.name)/\(groupNames[0])", "a dataset of the group has \(rows) rows for \(count) edges (without edge_group_index, edge e's values are row e)")
      return nil
    }
    return population
  }

  /// Edges `range` of the population: node ids, type ids and per-edge values.
  struct Chunk {
    var range: Range<Int>
    var sources: [Int]
    var targets: [Int]
    var typeIds: [Int]
    /// Per-edge values by name; NaN where the edge's group does not give the value.
    var values: [String: [Double]] {
      didSet {
        weights = values["syn_weight"] ?? values["weight"]
        delays = values["delay"]
        multiplicity = values["nsyns"]
      }
    }
    /// The values an edge's connection takes (`syn_weight`, else `dynamics_params/weight`; `delay`; `nsyns`).
    private(set) var weights: [Double]?
    private(set) var delays: [Double]?
    private(set) var multiplicity: [Double]?
  }

  /// Reads the chunks `wanted` accepts (by chunk number), in order, and gives each to `body`.
  func read(chunks wanted: (Int) -> Bool = { _ in true }, _ body: (Chunk) throws(SONATAFileErrors) -> Void) throws(SONATAFileErrors) {
    func fail(_ key: String, _ message: String) -> SONATAFileErrors { SONATAConfig.error(file, key, message) }
    let root: HDF5Group
    do {
      root = try HDF5File.open(file).root().openGroup("edges").openGroup(name)
    } catch {
      throw fail(path, SONATAData.message(error, file: file))
    }
    func dataset(_ name: String) throws(SONATAFileErrors) -> HDF5Dataset<Double> {
      do { return try root.openDataset(name, as: Double.self) } catch {
        throw fail("\(path)/\(name)", SONATAData.message(error, file: file))
      }
    }
    func values(_ dataset: HDF5Dataset<Double>, _ range: Range<Int>) throws(SONATAFileErrors) -> [Double] {
      do { return try dataset.read(range) } catch {
        throw fail(dataset.name, SONATAData.message(error, file: file))
      }
    }
    func ids(_ dataset: HDF5Dataset<Double>, _ range: Range<Int>) throws(SONATAFileErrors) -> [Int] {
      let numbers = try values(dataset, range)
      if let bad = SONATAData.firstNonIndex(numbers) {
        throw fail(dataset.name, "row \(range.lowerBound + bad) is \(numbers[bad]), not an id (a non-negative integer)")
      }
      return numbers.map { Int($0) }
    }
    let sources = try dataset("source_node_id"), targets = try dataset("target_node_id"), typeIds = try dataset("edge_type_id")
    let groupIds = indexed ? try dataset("edge_group_id") : nil, groupRows = indexed ? try dataset("edge_group_index") : nil
    var columns: [Int: [String: HDF5Dataset<Double>]] = [:]
    for (group, datasets) in groups {
      for (value, stored) in datasets { columns[group, default: [:]][value] = try dataset(stored.path) }
    }
    let single = groups.keys.first
    for c in 0..<chunks where wanted(c) {
      let range = (c * chunkSize)..<min(count, (c + 1) * chunkSize)
      var chunk = Chunk(range: range, sources: try ids(sources, range), targets: try ids(targets, range),
                        typeIds: try ids(typeIds, range), values: [:])
      var perEdge: [String: [Double]] = [:]
      var group = [Int](repeating: single ?? 0, count: range.count), row = Array(range)
      if let groupIds, let groupRows {
        group = try ids(groupIds, range)
        if !positional { row = try ids(groupRows, range) }
        if let bad = group.firstIndex(where: { groups[$0] == nil }) {
          throw fail("\(path)/edge_group_id", "edge \(range.lowerBound + bad) is in group \(group[bad]), which the population does not have (groups: \(groups.keys.sorted().map(String.init).joined(separator: ", ")))")
        }
      }
      for (g, datasets) in columns.sorted(by: { $0.key < $1.key }) {
        let members = group.indices.filter { group[$0] == g }
        guard let first = members.map({ row[$0] }).min(), let last = members.map({ row[$0] }).max() else { continue }
        for (value, column) in datasets.sorted(by: { $0.key < $1.key }) {
          guard last < column.count else {
            let bad = members.first { row[$0] >= column.count }!
            throw fail("\(path)/edge_group_index", "edge \(range.lowerBound + bad) points at row \(row[bad]) of group \(g), which has \(column.count) rows")
          }
          let stored = try values(column, first..<(last + 1))
          if let bad = stored.firstIndex(where: { !$0.isFinite }) {
            throw fail(column.name, "row \(first + bad) is \(stored[bad]), not a finite number")
          }
          var filled = perEdge[value] ?? [Double](repeating: .nan, count: range.count)
          for m in members { filled[m] = stored[row[m] - first] }
          perEdge[value] = filled
        }
      }
      chunk.values = perEdge
      try body(chunk)
    }
  }
}
