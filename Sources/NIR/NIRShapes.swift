import Model

/// Shape inference: each node's output shape, then the element counts along every edge.
extension NIRNetworkBuilder {
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
}
