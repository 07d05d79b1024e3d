import Model

/// Linear nodes as matrices: weights and scales as given, convolutions and poolings unrolled over their input.
extension NIRNetworkBuilder {
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
  mutating func linearMap(_ i: Int) -> LinearMap? {
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
}
