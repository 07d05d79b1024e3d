import Foundation
import Model
import Traces

/// Turns a NIR graph into a network. Inputs become spike-source populations and neuron nodes NIR
/// neuron populations; every path from a spiking node through linear nodes (Affine, Linear, Scale,
/// Conv2d, pooling, Flatten, the Input and Output of nested graphs) to a neuron node is multiplied
/// out into explicit synapses, positive weights excitatory and negative ones inhibitory, each with
/// one step of delay (NIR crosses a layer within the step; a chip cannot); the biases on the way add
/// up to a constant input of the neuron. The top graph's Outputs become recordings.
public enum NIRImporter {
  /// Node types the import reads.
  public static let supportedTypes = ["Input", "Output", "NIRGraph", "Affine", "Linear", "Scale", "Flatten", "Conv2d",
                                      "SumPool2d", "AvgPool2d", "Delay"] + NIRNeuron.Kind.allCases.map(\.rawValue)
  /// NIR types the import knows but cannot run yet.
  public static let unsupportedTypes = ["Conv1d", "SumPool1d", "AvgPool1d"]

  public static func read(path: String, options: NIRImportOptions = NIRImportOptions()) throws(NetworkFileErrors) -> NIRImport {
    let graph = try NIRFileReader.read(path: path)
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try build(graph, file: path, name: name, options: options)
  }

  public static func build(_ graph: NIRGraph, file: String, name: String,
                           options: NIRImportOptions = NIRImportOptions()) throws(NetworkFileErrors) -> NIRImport {
    var builder = NIRNetworkBuilder(file: file, options: options)
    builder.flatten(graph, prefix: "", top: true)
    if builder.errors.isEmpty { builder.resolveShapes() }
    if builder.errors.isEmpty { builder.chooseTime() }
    var network = Network(name: name)
    if builder.errors.isEmpty { network = builder.network(name: name) }
    guard builder.errors.isEmpty else { throw NetworkFileErrors(builder.errors) }
    let problems = network.validate()
    guard problems.isEmpty else {
      throw NetworkFileErrors(problems.map { builder.locate($0, in: network) })
    }
    var outputs: [String] = []
    for recording in network.recordings where !outputs.contains(recording.population) { outputs.append(recording.population) }
    return NIRImport(network: network, notes: builder.notes, outputs: outputs, msPerUnit: builder.msPerUnit, modelDt: options.modelDt)
  }
}

/// The flattened graph and the work of the import; problems collect in `errors`.
struct NIRNetworkBuilder {
  /// The most synapses one path of linear nodes may multiply out to.
  static let synapseLimit = 50_000_000

  enum Role: Equatable {
    case source
    case neuron(NIRNeuron.Kind)
    /// A linear node; `passes` for Input/Output of a nested graph and Flatten (the identity).
    case linear(passes: Bool)
    /// Delays the spikes of the spiking node before it, element by element.
    case delay
    case sink
  }

  struct Node {
    var label: String
    var node: NIRNode
    var role: Role
    var shape: [Int]?
  }

  struct Edge {
    var from: Int
    var to: Int
    var key: String
  }

  let file: String
  let options: NIRImportOptions
  var nodes: [Node] = []
  var edges: [Edge] = []
  var errors: [NetworkFileError] = []
  var notes: [String] = []
  /// Milliseconds of model time per unit of the file's time.
  var msPerUnit = 1.0
  /// The matrices of convolutions and poolings, made once when their shapes are resolved.
  var expanded: [Int: (matrix: SparseRows, bias: [Double])] = [:]

  init(file: String, options: NIRImportOptions) {
    self.file = file
    self.options = options
  }

  mutating func fail(_ key: String, _ message: String) {
    errors.append(NetworkFileError(file: file, line: 0, key: key, message: message))
  }

  // MARK: Flattening

  /// Adds the nodes and edges of `graph`; returns, per node name, the flat node an edge into it
  /// reaches and the one an edge out of it leaves (a nested graph's Input and Output).
  @discardableResult
  mutating func flatten(_ graph: NIRGraph, prefix: String, top: Bool) -> [String: (into: Int?, out: Int?)] {
    var ends: [String: (into: Int?, out: Int?)] = [:]
    for node in graph.nodes {
      let label = prefix + node.name
      if let subgraph = node.graph {
        let inner = flatten(subgraph, prefix: label + ".", top: false)
        let inputs = subgraph.nodes.filter { $0.type == "Input" }, outputs = subgraph.nodes.filter { $0.type == "Output" }
        ends[node.name] = (inputs.count == 1 ? inner[inputs[0].name]?.into : nil, outputs.count == 1 ? inner[outputs[0].name]?.out : nil)
        continue
      }
      let role: Role
      switch node.type {
      case "Input": role = top ? .source : .linear(passes: true)
      case "Output": role = top ? .sink : .linear(passes: true)
      case "Affine", "Linear", "Scale", "Conv2d", "SumPool2d", "AvgPool2d": role = .linear(passes: false)
      case "Flatten": role = .linear(passes: true)
      case "Delay": role = .delay
      default:
        if let kind = NIRNeuron.Kind(rawValue: node.type) {
          role = .neuron(kind)
        } else if NIRImporter.unsupportedTypes.contains(node.type) {
          fail(node.path, "NIR \(node.type) nodes are not supported yet (supported: \(NIRImporter.supportedTypes.joined(separator: ", ")))")
          continue
        } else {
          fail(node.path, "unknown NIR node type '\(node.type)' (supported: \(NIRImporter.supportedTypes.joined(separator: ", ")))")
          continue
        }
      }
      nodes.append(Node(label: label, node: node, role: role))
      ends[node.name] = (nodes.count - 1, nodes.count - 1)
    }
    let names = graph.nodes.map(\.name).joined(separator: ", ")
    for edge in graph.edges {
      let key = "\(graph.path)/edges[\(edge.index)]"
      guard let source = ends[edge.source] else {
        if graph.node(edge.source) == nil { fail(key, "'\(edge.source)' -> '\(edge.target)': no node '\(edge.source)' (nodes: \(names))") }
        continue
      }
      guard let target = ends[edge.target] else {
        if graph.node(edge.target) == nil { fail(key, "'\(edge.source)' -> '\(edge.target)': no node '\(edge.target)' (nodes: \(names))") }
        continue
      }
      guard let from = source.out else {
        fail(key, "'\(edge.source)' is a nested graph without exactly one Output node: the edge cannot leave it")
        continue
      }
      guard let to = target.into else {
        fail(key, "'\(edge.target)' is a nested graph without exactly one Input node: the edge cannot enter it")
        continue
      }
      if nodes[to].role == .source { fail(key, "'\(edge.target)' is an Input of the graph: nothing can feed it") }
      if nodes[from].role == .sink { fail(key, "'\(edge.source)' is an Output of the graph: it feeds nothing") }
      edges.append(Edge(from: from, to: to, key: key))
    }
    return ends
  }

  // MARK: Parameters and shapes

  /// The numbers of field `name` of node `i`, or nil (with an error when `required`).
  mutating func numbers(_ i: Int, _ name: String, required: Bool = true) -> (shape: [Int], values: [Double])? {
    let node = nodes[i].node
    guard let array = node.fields[name] else {
      if required { fail(node.path + "/" + name, "missing dataset: \(node.type) needs \(Self.fieldNames(node.type).joined(separator: ", "))") }
      return nil
    }
    guard case let .numbers(shape, values) = array else {
      fail(node.path + "/" + name, "expected numbers, got \(array.summary)")
      return nil
    }
    guard shape.allSatisfy({ $0 > 0 }) else {
      fail(node.path + "/" + name, "shape \(shape) has an empty dimension")
      return nil
    }
    if let bad = values.first(where: { !$0.isFinite }) {
      fail(node.path + "/" + name, "\(bad) is not a finite number")
      return nil
    }
    return (shape, values)
  }

  /// Integers of field `name` (a scalar repeats to `count`), or `fallback` when absent.
  mutating func integers(_ i: Int, _ name: String, count: Int, fallback: [Int]?) -> [Int]? {
    guard nodes[i].node.fields[name] != nil || fallback == nil else { return fallback }
    guard let (_, values) = numbers(i, name) else { return nil }
    let ints = values.map { Int(exactly: $0) ?? -1 }
    guard ints.count == 1 || ints.count == count, ints.allSatisfy({ $0 >= 0 && $0 < 1 << 20 }) else {
      fail(nodes[i].node.path + "/" + name, "expected \(count) integers in [0, 2^20), got \(values.map(\.compact))")
      return nil
    }
    return ints.count == 1 ? Array(repeating: ints[0], count: count) : ints
  }

  /// The datasets each node type reads (others are refused).
  static func fieldNames(_ type: String) -> [String] {
    switch type {
    case "Input", "Output": return ["shape"]
    case "Affine": return ["weight", "bias"]
    case "Linear": return ["weight"]
    case "Scale": return ["scale"]
    case "Flatten": return ["start_dim", "end_dim", "input_type"]
    case "Conv2d": return ["weight", "bias", "stride", "padding", "dilation", "groups", "input_shape"]
    case "SumPool2d", "AvgPool2d": return ["kernel_size", "stride", "padding"]
    case "Delay": return ["delay"]
    default:
      guard let kind = NIRNeuron.Kind(rawValue: type) else { return [] }
      return NIRNeuron.fields(of: kind).map(\.name).filter { $0 != "bias" }
    }
  }

  static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// The shape of each node's output, from its parameters or, for shape-preserving and
  /// convolutional nodes, from its input; then every edge's element counts are compared.
  mutating func resolveShapes() {
    for i in nodes.indices {
      let node = nodes[i].node
      let allowed = Set(Self.fieldNames(node.type) + ["input_type", "output_type"])
      for field in node.fields.keys.sorted() where !allowed.contains(field) {
        fail(node.path + "/" + field, "\(node.type) has no field '\(field)' that NeuroFabric can run (it reads \(Self.fieldNames(node.type).joined(separator: ", ")))")
      }
      for field in ["input_type", "output_type"] where node.fields[field] != nil { _ = numbers(i, field) }  // unused, but numbers
      nodes[i].shape = ownShape(i)
    }
    guard errors.isEmpty else { return }
    var changed = true
    while changed {
      changed = false
      for i in nodes.indices where nodes[i].shape == nil {
        guard let input = edges.first(where: { $0.to == i }).flatMap({ nodes[$0.from].shape }) else { continue }
        guard let shape = derivedShape(i, input: input) else {
          if errors.isEmpty { fail(nodes[i].node.path, "the shape of \(nodes[i].node.type) '\(nodes[i].label)' cannot follow from its input \(input)") }
          return
        }
        nodes[i].shape = shape
        changed = true
      }
    }
    for i in nodes.indices where nodes[i].shape == nil {
      fail(nodes[i].node.path, "the shape of \(nodes[i].node.type) '\(nodes[i].label)' follows from its input, and no input with a known shape reaches it")
    }
    guard errors.isEmpty else { return }
    for edge in edges {
      let given = Self.count(nodes[edge.from].shape!), taken = inputCount(edge.to)
      if given != taken {
        fail(edge.key, "'\(nodes[edge.from].label)' gives \(given) values but '\(nodes[edge.to].label)' takes \(taken)")
      }
    }
  }

  /// Shapes that parameters fix: Input, neurons, Affine/Linear (out), Scale; nil for the rest.
  mutating func ownShape(_ i: Int) -> [Int]? {
    let node = nodes[i].node
    if nodes[i].role == .linear(passes: true) && (node.type == "Input" || node.type == "Output") {
      _ = numbers(i, "shape", required: false)  // a nested graph's Input or Output: its shape must at least be numbers
    }
    switch nodes[i].role {
    case .source, .sink:
      guard let (_, shape) = numbers(i, "shape") else { return nil }
      let dims = shape.map { Int(exactly: $0) ?? -1 }
      guard !dims.isEmpty, dims.allSatisfy({ $0 > 0 && $0 <= Network.maximumPopulation }),
            dims.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= Network.maximumPopulation else {
        fail(node.path + "/shape", "expected positive integer dimensions of at most \(Network.maximumPopulation) elements, got \(shape.map(\.compact))")
        return nil
      }
      return nodes[i].role == .source ? dims : nil
    case let .neuron(kind):
      var shape: [Int]?
      for field in Self.fieldNames(kind.rawValue) {
        guard let (s, values) = numbers(i, field, required: !["v_reset", "w_in"].contains(field)) else { continue }
        if values.count == 1 { continue }
        if let shape, shape != s {
          fail(node.path + "/" + field, "shape \(s) differs from the node's other parameters \(shape)")
        }
        shape = shape ?? s
      }
      return shape
    case .delay:
      guard let (shape, values) = numbers(i, "delay") else { return nil }
      if let bad = values.first(where: { !($0 >= 0) }) { fail(node.path + "/delay", "delays must be ≥ 0, got \(bad)") }
      return values.count > 1 ? shape : nil
    case .linear(passes: false):
      switch node.type {
      case "Affine", "Linear":
        guard let (shape, _) = numbers(i, "weight") else { return nil }
        guard shape.count == 2 else { fail(node.path + "/weight", "must be 2-D (out, in), got \(shape)"); return nil }
        if node.type == "Affine", let (bias, _) = numbers(i, "bias"), Self.count(bias) != shape[0] {
          fail(node.path + "/bias", "\(Self.count(bias)) values for \(shape[0]) weight rows")
        }
        return [shape[0]]
      case "Scale":
        return numbers(i, "scale")?.shape
      default:
        return nil
      }
    default:
      return nil
    }
  }

  /// The input count a node takes: fixed by its parameters where they fix it, else its input's.
  func inputCount(_ i: Int) -> Int {
    let node = nodes[i].node
    if case let .numbers(shape, _)? = node.fields["weight"], node.type == "Affine" || node.type == "Linear", shape.count == 2 {
      return shape[1]
    }
    if nodes[i].role == .sink, case let .numbers(_, dims)? = node.fields["shape"] {
      return dims.allSatisfy({ $0 > 0 && $0 <= Double(Network.maximumPopulation) }) ? Int(dims.reduce(1, *).rounded()) : 0
    }
    if case .neuron = nodes[i].role { return Self.count(nodes[i].shape!) }
    if case let .numbers(_, delays)? = node.fields["delay"], nodes[i].role == .delay, delays.count > 1 { return delays.count }
    if node.type == "Scale" {
      return Self.count(nodes[i].shape!)
    }
    if let incoming = edges.first(where: { $0.to == i }), let shape = nodes[incoming.from].shape { return Self.count(shape) }
    return 0
  }

  /// Shapes that follow from the input: identity nodes, Flatten, Conv2d and pooling (C, H, W).
  mutating func derivedShape(_ i: Int, input: [Int]) -> [Int]? {
    let node = nodes[i].node
    switch node.type {
    case "Flatten":
      let rank = input.count
      guard let start = Int(exactly: numbers(i, "start_dim", required: false)?.values.first ?? 0),
            let end = Int(exactly: numbers(i, "end_dim", required: false)?.values.first ?? -1),
            abs(start) <= rank, abs(end) <= rank else {
        fail(nodes[i].node.path, "start_dim and end_dim must be integers within the input's \(rank) dimensions")
        return nil
      }
      let lo = start < 0 ? rank + start : start, hi = end < 0 ? rank + end : end
      guard lo >= 0, hi < rank, lo <= hi else {
        fail(nodes[i].node.path, "start_dim \(start) and end_dim \(end) select no dimensions of the input's \(input)")
        return nil
      }
      return Array(input[..<lo]) + [Self.count(Array(input[lo...hi]))] + Array(input[(hi + 1)...])
    case "Conv2d":
      guard let (shape, matrix, bias) = convolution(i, input: input) else { return nil }
      expanded[i] = (matrix, bias)
      return shape
    case "SumPool2d", "AvgPool2d":
      guard let (shape, matrix) = pooling(i, input: input) else { return nil }
      expanded[i] = (matrix, Array(repeating: 0, count: Self.count(shape)))
      return shape
    case "Output" where nodes[i].role == .sink:
      return input
    default:
      return input
    }
  }

  /// The (C, H, W) a convolution or pooling node reads, or an error.
  mutating func planes(_ i: Int, _ input: [Int]) -> (c: Int, h: Int, w: Int)? {
    guard input.count == 3 else {
      fail(nodes[i].node.path, "\(nodes[i].node.type) takes (channels, height, width), but '\(nodes[i].label)' gets shape \(input)")
      return nil
    }
    return (input[0], input[1], input[2])
  }

  /// A 2-D convolution's output shape and its matrix (rows: output elements, columns: input elements).
  mutating func convolution(_ i: Int, input: [Int]) -> (shape: [Int], matrix: SparseRows, bias: [Double])? {
    let path = nodes[i].node.path
    guard let (c, h, w) = planes(i, input), let (kernel, weights) = numbers(i, "weight") else { return nil }
    guard kernel.count == 4 else { fail(path + "/weight", "must be 4-D (C_out, C_in/groups, kH, kW), got \(kernel)"); return nil }
    let (cOut, cIn, kH, kW) = (kernel[0], kernel[1], kernel[2], kernel[3])
    guard let groups = integers(i, "groups", count: 1, fallback: [1])?[0] else { return nil }
    guard groups > 0, cOut % groups == 0, cIn.multipliedReportingOverflow(by: groups) == (c, false) else {
      fail(path + "/groups", "groups \(groups) must be positive and divide the \(cOut) output channels, and \(cIn) input channels per group × groups must be the input's \(c)")
      return nil
    }
    guard let stride = integers(i, "stride", count: 2, fallback: [1, 1]), let dilation = integers(i, "dilation", count: 2, fallback: [1, 1]) else {
      return nil
    }
    guard stride.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }) else {
      fail(path, "stride \(stride) and dilation \(dilation) must be positive")
      return nil
    }
    var padding: [Int]
    if case let .strings(_, mode)? = nodes[i].node.fields["padding"] {
      switch mode.first {
      case "valid": padding = [0, 0]
      case "same":
        guard kH % 2 == 1 && kW % 2 == 1 else {
          fail(path + "/padding", "'same' padding of an even kernel (\(kH)×\(kW)) is asymmetric; give the padding as integers")
          return nil
        }
        padding = [dilation[0] * (kH - 1) / 2, dilation[1] * (kW - 1) / 2]
      default: fail(path + "/padding", "padding is 'same', 'valid' or integers, got '\(mode.first ?? "")'"); return nil
      }
    } else {
      guard let p = integers(i, "padding", count: 2, fallback: [0, 0]) else { return nil }
      padding = p
    }
    if let given = integers(i, "input_shape", count: 2, fallback: [h, w]), given != [h, w] {
      fail(path + "/input_shape", "says \(given) but the input is \(h)×\(w)")
      return nil
    }
    let oh = (h + 2 * padding[0] - dilation[0] * (kH - 1) - 1) / stride[0] + 1
    let ow = (w + 2 * padding[1] - dilation[1] * (kW - 1) - 1) / stride[1] + 1
    guard oh > 0, ow > 0 else { fail(path, "the kernel does not fit the \(h)×\(w) input"); return nil }
    let expansion = [cOut, oh, ow, cIn, kH, kW].reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
    guard expansion <= Self.synapseLimit else {
      fail(path, "expands to up to \(expansion) synapses (\(cOut)×\(oh)×\(ow) outputs of \(cIn)×\(kH)×\(kW) inputs), more than the \(Self.synapseLimit) an import multiplies out")
      return nil
    }
    var bias = [Double](repeating: 0, count: cOut)
    if let (shape, values) = numbers(i, "bias", required: false) {
      guard Self.count(shape) == cOut else { fail(path + "/bias", "\(Self.count(shape)) values for \(cOut) output channels"); return nil }
      bias = values
    }
    var rows: [[(column: Int, value: Double)]] = []
    rows.reserveCapacity(cOut * oh * ow)
    let perGroup = cOut / groups
    for co in 0..<cOut {
      for oy in 0..<oh {
        for ox in 0..<ow {
          var row: [(column: Int, value: Double)] = []
          let g = co / perGroup
          for ci in 0..<cIn {
            for ky in 0..<kH {
              let iy = oy * stride[0] - padding[0] + ky * dilation[0]
              guard iy >= 0 && iy < h else { continue }
              for kx in 0..<kW {
                let ix = ox * stride[1] - padding[1] + kx * dilation[1]
                guard ix >= 0 && ix < w else { continue }
                let value = weights[((co * cIn + ci) * kH + ky) * kW + kx]
                if value != 0 { row.append((((g * cIn + ci) * h + iy) * w + ix, value)) }
              }
            }
          }
          rows.append(row.sorted { $0.column < $1.column })
        }
      }
    }
    let biasPerElement = (0..<cOut).flatMap { Array(repeating: bias[$0], count: oh * ow) }
    return ([cOut, oh, ow], SparseRows(rows: rows, columns: c * h * w), biasPerElement)
  }

  /// Sum or average pooling per channel: output shape and matrix.
  mutating func pooling(_ i: Int, input: [Int]) -> (shape: [Int], matrix: SparseRows)? {
    guard let (c, h, w) = planes(i, input), let kernel = integers(i, "kernel_size", count: 2, fallback: nil),
          let stride = integers(i, "stride", count: 2, fallback: kernel), let padding = integers(i, "padding", count: 2, fallback: [0, 0]) else {
      return nil
    }
    guard kernel.allSatisfy({ $0 > 0 }), stride.allSatisfy({ $0 > 0 }) else {
      fail(nodes[i].node.path, "kernel_size \(kernel) and stride \(stride) must be positive")
      return nil
    }
    let oh = (h + 2 * padding[0] - kernel[0]) / stride[0] + 1, ow = (w + 2 * padding[1] - kernel[1]) / stride[1] + 1
    guard oh > 0, ow > 0, h + 2 * padding[0] - kernel[0] >= 0, w + 2 * padding[1] - kernel[1] >= 0 else {
      fail(nodes[i].node.path, "the pooling window does not fit the \(h)×\(w) input")
      return nil
    }
    let expansion = [c, oh, ow, kernel[0], kernel[1]].reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
    guard expansion <= Self.synapseLimit else {
      fail(nodes[i].node.path, "expands to up to \(expansion) synapses, more than the \(Self.synapseLimit) an import multiplies out")
      return nil
    }
    let value = nodes[i].node.type == "AvgPool2d" ? 1 / Double(kernel[0] * kernel[1]) : 1
    var rows: [[(column: Int, value: Double)]] = []
    for ch in 0..<c {
      for oy in 0..<oh {
        for ox in 0..<ow {
          var row: [(column: Int, value: Double)] = []
          for ky in 0..<kernel[0] {
            let iy = oy * stride[0] - padding[0] + ky
            guard iy >= 0 && iy < h else { continue }
            for kx in 0..<kernel[1] {
              let ix = ox * stride[1] - padding[1] + kx
              if ix >= 0 && ix < w { row.append(((ch * h + iy) * w + ix, value)) }
            }
          }
          rows.append(row)
        }
      }
    }
    return ([c, oh, ow], SparseRows(rows: rows, columns: c * h * w))
  }

  /// A linear node's own matrix (rows its outputs, columns its inputs) and bias.
  mutating func linearMap(_ i: Int) -> (matrix: SparseRows, bias: [Double])? {
    let node = nodes[i].node, outputs = Self.count(nodes[i].shape!), inputs = inputCount(i)
    switch node.type {
    case "Affine", "Linear":
      guard let (_, weights) = numbers(i, "weight") else { return nil }
      let nonZero = weights.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
      guard nonZero <= Self.synapseLimit else {
        fail(node.path + "/weight", "\(nonZero) non-zero weights, more than the \(Self.synapseLimit) synapses an import makes")
        return nil
      }
      let rows = (0..<outputs).map { o in
        (0..<inputs).compactMap { c -> (column: Int, value: Double)? in weights[o * inputs + c] == 0 ? nil : (c, weights[o * inputs + c]) }
      }
      let bias = node.type == "Affine" ? numbers(i, "bias")?.values ?? [] : Array(repeating: 0, count: outputs)
      return (SparseRows(rows: rows, columns: inputs), bias)
    case "Scale":
      guard let (_, scale) = numbers(i, "scale") else { return nil }
      return (SparseRows(rows: scale.enumerated().map { [($0.offset, $0.element)] }, columns: inputs), Array(repeating: 0, count: outputs))
    case "Conv2d", "SumPool2d", "AvgPool2d":
      guard let map = expanded[i] else {
        fail(node.path, "\(node.type) '\(nodes[i].label)' was not expanded when its shape was resolved")
        return nil
      }
      return map
    default:
      return (.identity(outputs), Array(repeating: 0, count: outputs))
    }
  }

  // MARK: Time

  /// The file's time unit (given or detected from its time constants) and the step.
  mutating func chooseTime() {
    var taus: [Double] = []
    for node in nodes {
      for field in ["tau", "tau_mem", "tau_syn"] {
        if case let .numbers(_, values)? = node.node.fields[field] { taus += values }
      }
    }
    let unit: NIRImportOptions.TimeUnit
    if let given = options.timeUnit {
      unit = given
      notes.append("time unit   \(unit.rawValue) (--nir-time-unit)")
    } else if taus.isEmpty {
      unit = .step
      notes.append("time unit   step (detected: no node has a time constant; integrate-and-fire graphs such as Sinabs' count in steps)")
    } else if taus.max()! > 1 {
      unit = .millisecond
      notes.append("time unit   ms (detected: a time constant of \(taus.max()!.compact) > 1; NIR's documented unit)")
    } else {
      unit = .second
      notes.append("time unit   s (detected: every time constant ≤ 1, as snnTorch, Norse and Rockpool export; --nir-time-unit ms if not)")
    }
    let dt = options.dt ?? unit.defaultDt
    msPerUnit = options.modelDt / dt
    notes.append("step        \(dt.compact) \(unit.rawValue)\(options.dt == nil ? " (default; --nir-dt)" : "") = one model step of \(options.modelDt.compact) ms")
    if let small = taus.min(), small < dt, options.integrator == .forwardEuler {
      notes.append("WARNING     a time constant of \(small.compact) \(unit.rawValue) is shorter than the step: forward Euler overshoots")
    }
    notes.append("neurons     \(options.integrator == .forwardEuler ? "forward Euler (a = 1 − dt/τ)" : "exponential Euler (a = e^(−dt/τ))"), spike when v > v_threshold, reset \(options.reset == .toReset ? "to v_reset" : "by subtracting v_threshold")")
  }

  // MARK: The network

  /// Values that are all equal collapse to one (the network stores one value for all cells).
  static func compact(_ values: [Double]) -> [Double] {
    guard let first = values.first, values.allSatisfy({ $0 == first }) else { return values }
    return [first]
  }

  mutating func network(name: String) -> Network {
    // Populations: sources, then neurons in breadth-first order from them (ties by file order).
    var order: [Int] = nodes.indices.filter { nodes[$0].role == .source }
    var seen = Set(order)
    var head = 0
    while head < order.count {
      for edge in edges where edge.from == order[head] && !seen.contains(edge.to) {
        seen.insert(edge.to)
        order.append(edge.to)
      }
      head += 1
    }
    order += nodes.indices.filter { !seen.contains($0) }
    let populationNodes = order.filter {
      if case .linear = nodes[$0].role { return false }
      return nodes[$0].role != .sink && nodes[$0].role != .delay
    }
    var population: [Int: Int] = [:]
    for (p, i) in populationNodes.enumerated() { population[i] = p }

    // Linear nodes in topological order (a cycle of linear nodes has no neuron to break it).
    let linear = nodes.indices.filter { if case .linear = nodes[$0].role { return true }; return false }
    var pending = Dictionary(uniqueKeysWithValues: linear.map { i in (i, edges.filter { $0.to == i && linearNode($0.from) }.count) })
    var topological: [Int] = []
    var ready = linear.filter { pending[$0] == 0 }
    while let i = ready.first {
      ready.removeFirst()
      topological.append(i)
      for edge in edges where edge.from == i && linearNode(edge.to) {
        pending[edge.to]! -= 1
        if pending[edge.to] == 0 { ready.append(edge.to) }
      }
    }
    if topological.count < linear.count {
      let cycle = linear.filter { !topological.contains($0) }.map { nodes[$0].label }
      fail(nodes[linear.first { !topological.contains($0) }!].node.path,
           "the linear nodes \(cycle.joined(separator: ", ")) form a cycle with no neuron in it: it has no value in discrete time")
      return Network(name: name)
    }
    var maps: [Int: (matrix: SparseRows, bias: [Double])] = [:]
    for i in topological {
      guard let map = linearMap(i) else { return Network(name: name) }
      maps[i] = map
    }

    // Biases: each linear node's output bias, summed into the neurons it feeds.
    var biasOut: [Int: [Double]] = [:]
    for i in topological {
      var input = [Double](repeating: 0, count: maps[i]!.matrix.columns)
      for edge in edges where edge.to == i { if let b = biasOut[edge.from] { input = zip(input, b).map(+) } }
      biasOut[i] = zip(maps[i]!.matrix.apply(input), maps[i]!.bias).map(+)
    }

    var populations: [Population] = []
    for i in populationNodes {
      let size = Self.count(nodes[i].shape!)
      switch nodes[i].role {
      case .source:
        populations.append(Population(label: nodes[i].label, size: size, cellType: .spikeSourceArray(times: [[]])))
        notes.append("\(nodes[i].label): Input, \(size) spike sources (spike times from --nir-input or infer)")
      case let .neuron(kind):
        var bias = [Double](repeating: 0, count: size)
        for edge in edges where edge.to == i { if let b = biasOut[edge.from] { bias = zip(bias, b).map(+) } }
        var neuron = NIRNeuron(kind: kind, reset: options.reset, integrator: options.integrator)
        for (field, path) in NIRNeuron.fields(of: kind) {
          if field == "bias" { neuron.bias = Self.compact(bias); continue }
          guard let (_, values) = numbers(i, field, required: false) else { continue }  // v_reset 0, w_in 1 by default
          let scale = field.hasPrefix("tau") ? msPerUnit : (field == "r" && !kind.leaks ? 1 / msPerUnit : 1)
          neuron[keyPath: path] = Self.compact(values.map { $0 * scale })
        }
        populations.append(Population(label: nodes[i].label, size: size, cellType: .nir(neuron)))
        notes.append("\(nodes[i].label): \(kind.rawValue), \(size) neuron\(size == 1 ? "" : "s")")
      default:
        break
      }
    }

    // A Delay node delays one spiking node's spikes: an origin of its own, with that node's cells.
    var delayed: [Int: (pre: Int, steps: [Double])] = [:]
    for d in nodes.indices where nodes[d].role == .delay {
      let incoming = edges.filter { $0.to == d }
      guard incoming.count == 1, spiking(incoming[0].from) else {
        fail(nodes[d].node.path, "a Delay node must follow exactly one spiking node (an Input or a spiking neuron): NeuroFabric delays spikes, not values")
        continue
      }
      let values = numbers(d, "delay")?.values ?? [0]
      guard let longest = values.max(), longest * msPerUnit + options.modelDt <= Network.maximumDelay else {
        fail(nodes[d].node.path + "/delay", "delays of up to \((values.max() ?? 0).compact) time units are \(((values.max() ?? 0) * msPerUnit).compact) ms, beyond the \(Network.maximumDelay.compact) ms a synapse holds")
        continue
      }
      let n = Self.count(nodes[incoming[0].from].shape!)
      delayed[d] = (incoming[0].from, (0..<n).map { ((values.count == 1 ? values[0] : values[$0]) * msPerUnit / options.modelDt).rounded() })
    }

    // Synapses: from each spiking node, through the linear nodes, to each neuron it reaches.
    var projections: [Projection] = []
    var labels = Set<String>()
    var made = 0  // synapses multiplied out so far, over all paths
    for origin in populationNodes + delayed.keys.sorted() {
      let pre = delayed[origin]?.pre ?? origin
      if case let .neuron(kind) = nodes[origin].role, !kind.spikes {
        for edge in edges where edge.from == origin && nodes[edge.to].role != .sink {
          fail(edge.key, "'\(nodes[origin].label)' is a \(kind.rawValue) node, which does not spike: its output can only be recorded")
        }
        continue
      }
      let n = Self.count(nodes[origin].shape!)
      var reach: [Int: SparseRows] = [:]
      func input(to i: Int) -> (matrix: SparseRows?, via: [Int]) {
        var sum: SparseRows?
        var via: [Int] = []
        for edge in edges where edge.to == i {
          let part: SparseRows? = edge.from == origin ? .identity(n) : reach[edge.from]
          guard let part else { continue }
          if edge.from != origin { via.append(edge.from) }
          sum = sum.map { $0.adding(part) } ?? part
        }
        return (sum, via)
      }
      for i in topological {
        guard let m = input(to: i).matrix else { continue }
        let entries = maps[i]!.matrix.entriesBound(after: m)
        made += entries
        guard entries <= Self.synapseLimit, made <= 2 * Self.synapseLimit else {
          fail(nodes[i].node.path, "the path from '\(nodes[origin].label)' multiplies out to up to \(entries) synapses, more than the \(Self.synapseLimit) an import makes")
          return Network(name: name)
        }
        reach[i] = maps[i]!.matrix.composed(after: m)
      }
      for target in populationNodes {
        guard case .neuron = nodes[target].role else { continue }
        let (matrix, via) = input(to: target)
        guard let matrix else { continue }
        var base = "\(nodes[pre].label)-\(nodes[target].label)"
        if via.count == 1 && !edges.contains(where: { $0.from == origin && $0.to == target }), let named = operatorNode(before: via[0]) {
          base = nodes[named].label
        }
        if labels.contains(base) { base += "-" + nodes[origin].label }
        let extra = delayed[origin]?.steps
        for (receptor, sign) in [(Receptor.excitatory, 1.0), (.inhibitory, -1.0)] {
          var list: [ListConnection] = []
          for (post, row) in matrix.rows.enumerated() {
            for (cell, w) in row where w * sign > 0 {
              list.append(ListConnection(pre: cell, post: post, weight: abs(w), delay: extra.map { (1 + $0[cell]) * options.modelDt }))
            }
          }
          guard !list.isEmpty else { continue }
          let label = receptor == .excitatory ? base : base + ".inh"
          labels.insert(label)
          projections.append(Projection(label: label, pre: nodes[pre].label, post: nodes[target].label, receptor: receptor,
                                        connector: .fromList(list), weight: .constant(list.map { $0.weight! }.max()!),
                                        delay: .constant(options.modelDt)))
          notes.append("\(label): \(list.count) \(receptor.rawValue) synapse\(list.count == 1 ? "" : "s") \(nodes[pre].label) → \(nodes[target].label), "
                       + (extra == nil ? "one step of delay" : "one step plus \(nodes[origin].label)'s delay"))
        }
      }
    }

    // Recordings: what the top graph's Outputs read (through identity nodes).
    var recordings: [Recording] = []
    for sink in nodes.indices where nodes[sink].role == .sink {
      for edge in edges where edge.to == sink {
        var source = edge.from
        while case .linear(passes: true) = nodes[source].role, let back = edges.first(where: { $0.to == source }) { source = back.from }
        switch nodes[source].role {
        case let .neuron(kind):
          recordings.append(Recording(population: nodes[source].label, variables: kind.spikes ? [.spikes] : [.v], interval: options.modelDt))
        case .source:
          recordings.append(Recording(population: nodes[source].label, variables: [.spikes], interval: options.modelDt))
        default:
          fail(edge.key, "Output '\(nodes[sink].label)' reads the linear node '\(nodes[source].label)': NeuroFabric records neurons and inputs")
        }
      }
    }
    if options.biasFromFirstInput { delayBiases(&populations, projections) }
    return Network(name: name, populations: populations, projections: projections, recordings: recordings)
  }

  /// Starts each neuron population's bias at its depth: the fewest steps in which a spike of an
  /// Input reaches it (one per hop, plus Delay nodes'); unreachable populations start at 0.
  mutating func delayBiases(_ populations: inout [Population], _ projections: [Projection]) {
    var depth = Dictionary(uniqueKeysWithValues: populations.filter(\.cellType.isSource).map { ($0.label, 0) })
    let edges = projections.map { projection -> (String, String, Int) in
      // delays are bounded above (Network.maximumDelay), so the step count fits
      (projection.pre, projection.post, max(1, Int((projection.delayBounds.shortest / options.modelDt).rounded())))
    }
    var changed = true
    while changed {
      changed = false
      for (pre, post, steps) in edges {
        guard let d = depth[pre], d + steps < depth[post] ?? .max else { continue }
        depth[post] = d + steps
        changed = true
      }
    }
    var onsets: [String] = []
    for p in populations.indices {
      guard case var .nir(neuron) = populations[p].cellType, let d = depth[populations[p].label], d > 0 else { continue }
      neuron.biasOnset = d
      populations[p].cellType = .nir(neuron)
      if neuron.bias != [0] { onsets.append("\(populations[p].label) from step \(d)") }
    }
    if !onsets.isEmpty {
      notes.append("biases      from the step the first input arrives: \(onsets.joined(separator: ", ")) (--nir-bias-onset start: from step 0)")
    }
  }

  func linearNode(_ i: Int) -> Bool { if case .linear = nodes[i].role { return true }; return false }

  /// Whether node i emits spikes: an Input, or a neuron with a threshold.
  func spiking(_ i: Int) -> Bool {
    switch nodes[i].role {
    case .source: return true
    case let .neuron(kind): return kind.spikes
    default: return false
    }
  }

  /// The node a projection is named after: the last linear node on its path that is not an
  /// identity (Flatten, a nested graph's Input or Output); nil when the path has none.
  func operatorNode(before i: Int) -> Int? {
    var node = i
    while case .linear(passes: true) = nodes[node].role {
      let back = edges.filter { $0.to == node }
      guard back.count == 1, linearNode(back[0].from) else { return nil }
      node = back[0].from
    }
    return linearNode(node) ? node : nil
  }

  /// A network rule broken by the imported network, located at the node it came from.
  func locate(_ problem: NetworkError, in network: Network) -> NetworkFileError {
    var key = ""
    switch problem.element {
    case let .population(p):
      key = nodes.first { $0.label == network.populations[p].label }?.node.path ?? ""
    case let .projection(j):
      let label = network.projections[j].label
      key = nodes.first { $0.label == label || $0.label + ".inh" == label }?.node.path ?? label
    default:
      break
    }
    return NetworkFileError(file: file, line: 0, key: key, message: "\(problem.keyPath): \(problem.message)")
  }
}
