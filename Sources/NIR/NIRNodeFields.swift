import Model

/// A node's datasets: numbers and integers checked as they are read, and the fields each node type reads.
extension NIRNetworkBuilder {
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
}
