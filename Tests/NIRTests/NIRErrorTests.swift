import Foundation
import Model
import NIR
import TestSupport
import Testing
import Traces

/// Malformed NIR graphs get an error naming the file, the node (its HDF5 path) and what is wrong.
@Suite struct NIRErrorTests {
  static func numbers(_ values: [Double], _ shape: [Int]? = nil) -> HDF5Array { .numbers(shape: shape ?? [values.count], values: values) }

  static func node(_ name: String, _ type: String, _ fields: [String: HDF5Array] = [:]) -> NIRNode {
    NIRNode(name: name, path: "/node/nodes/\(name)", type: type, fields: fields)
  }

  static let input = node("input", "Input", ["shape": numbers([2])])
  static let fc = node("fc", "Affine", ["weight": numbers([1, 2, 3, 4, 5, 6], [3, 2]), "bias": numbers([0, 0, 0])])
  static let lif = node("lif", "LIF", ["tau": numbers([0.01, 0.01, 0.01]), "r": numbers([1, 1, 1]), "v_leak": numbers([0, 0, 0]),
                                       "v_threshold": numbers([1, 1, 1]), "v_reset": numbers([0, 0, 0])])
  static let output = node("output", "Output", ["shape": numbers([3])])

  static func graph(_ nodes: [NIRNode], _ edges: [(String, String)]) -> NIRGraph {
    NIRGraph(path: "/node", nodes: nodes, edges: edges.enumerated().map { NIREdge(source: $1.0, target: $1.1, index: $0) })
  }

  static func problems(_ graph: NIRGraph) -> [NIRFileError] {
    do {
      _ = try NIRImporter.build(graph, file: "g.nir", name: "g")
      return []
    } catch {
      return error.errors
    }
  }

  static let chain = [("input", "fc"), ("fc", "lif"), ("lif", "output")]

  @Test func aFileThatHoldsNoGraphIsANIRFileError() {
    let path = fixturesDirectory.appendingPathComponent("nir/feedforward-events.h5").path
    let error = thrownError { _ = try NIRImporter.read(path: path) }
    #expect(error is NIRFileErrors && !(error is DataSetFileErrors) && !(error is NetworkFileErrors))
    #expect(error.map { "\($0)" } == "\(path): /node: not a NIR graph: the file has no group /node (what nir.write writes)")
  }

  @Test func theValidGraphImports() throws {
    #expect(Self.problems(Self.graph([Self.input, Self.fc, Self.lif, Self.output], Self.chain)).isEmpty)
  }

  @Test(arguments: [
    ("unknown type", "Foo", "/node/nodes/lif", "unknown NIR node type 'Foo'"),
    ("known, not built", "Conv1d", "/node/nodes/lif", "NIR Conv1d nodes are not supported yet"),
  ])
  func aNodeTypeThatCannotRunIsNamed(_ what: String, type: String, key: String, says: String) {
    var lif = Self.lif
    lif.type = type
    let problems = Self.problems(Self.graph([Self.input, Self.fc, lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == key && $0.message.contains(says) && $0.description.hasPrefix("g.nir: /node/nodes/") },
            "\(what): \(problems)")
  }

  @Test func missingAndUnknownFieldsAreNamed() {
    var lif = Self.lif
    lif.fields["tau"] = nil
    lif.fields["tau_m"] = Self.numbers([0.01])
    let problems = Self.problems(Self.graph([Self.input, Self.fc, lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == "/node/nodes/lif/tau" && $0.message.contains("missing dataset: LIF needs tau, r, v_leak") },
            "\(problems)")
    #expect(problems.contains { $0.key == "/node/nodes/lif/tau_m" && $0.message.contains("no field 'tau_m'") }, "\(problems)")
  }

  @Test func shapeMismatchesAreNamed() {
    var lif = Self.lif
    lif.fields["r"] = Self.numbers([1, 1, 1, 1])
    var problems = Self.problems(Self.graph([Self.input, Self.fc, lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == "/node/nodes/lif/r" && $0.message.contains("differs") }, "\(problems)")
    var fc = Self.fc
    fc.fields["bias"] = Self.numbers([0, 0])
    problems = Self.problems(Self.graph([Self.input, fc, Self.lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == "/node/nodes/fc/bias" && $0.message == "2 values for 3 weight rows" }, "\(problems)")
    var input = Self.input
    input.fields["shape"] = Self.numbers([5])
    problems = Self.problems(Self.graph([input, Self.fc, Self.lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == "/node/edges[0]" && $0.message == "'input' gives 5 values but 'fc' takes 2" }, "\(problems)")
    fc.fields["weight"] = Self.numbers([1, 2, 3], [3])
    problems = Self.problems(Self.graph([Self.input, fc, Self.lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == "/node/nodes/fc/weight" && $0.message.contains("must be 2-D (out, in)") }, "\(problems)")
  }

  @Test func edgesToUnknownNodesAndIntoInputsAreNamed() {
    var problems = Self.problems(Self.graph([Self.input, Self.fc, Self.lif, Self.output], Self.chain + [("lif", "outptu")]))
    #expect(problems.contains { $0.key == "/node/edges[3]" && $0.message.contains("no node 'outptu' (nodes: input, fc, lif, output)") },
            "\(problems)")
    problems = Self.problems(Self.graph([Self.input, Self.fc, Self.lif, Self.output], Self.chain + [("lif", "input")]))
    #expect(problems.contains { $0.key == "/node/edges[3]" && $0.message.contains("nothing can feed it") }, "\(problems)")
  }

  @Test func aCycleOfLinearNodesIsRefused() {
    let w = Self.node("w", "Linear", ["weight": Self.numbers([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3])])
    let problems = Self.problems(Self.graph([Self.input, Self.fc, w, Self.lif, Self.output],
                                            [("input", "fc"), ("fc", "w"), ("w", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.message.contains("form a cycle with no neuron") || $0.message.contains("gives") }, "\(problems)")
    let selfLoop = Self.problems(Self.graph([Self.input, Self.fc, w, Self.lif, Self.output],
                                            [("input", "fc"), ("fc", "lif"), ("lif", "w"), ("w", "w"), ("w", "lif"), ("lif", "output")]))
    #expect(selfLoop.contains { $0.key == "/node/nodes/w" && $0.message.contains("form a cycle with no neuron") }, "\(selfLoop)")
  }

  @Test func aNonSpikingNodeCannotFeedSynapses() {
    let li = Self.node("li", "LI", ["tau": Self.numbers([0.01]), "r": Self.numbers([1, 1, 1]), "v_leak": Self.numbers([0])])
    let w = Self.node("w", "Linear", ["weight": Self.numbers([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3])])
    let problems = Self.problems(Self.graph([Self.input, Self.fc, li, w, Self.lif, Self.output],
                                            [("input", "fc"), ("fc", "li"), ("li", "w"), ("w", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.key == "/node/edges[2]" && $0.message.contains("LI node, which does not spike") }, "\(problems)")
  }

  @Test func aDelayDelaysSpikesNotValues() {
    let delay = Self.node("delay", "Delay", ["delay": Self.numbers([0.001])])
    let problems = Self.problems(Self.graph([Self.input, Self.fc, delay, Self.lif, Self.output],
                                            [("input", "fc"), ("fc", "delay"), ("delay", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.key == "/node/nodes/delay" && $0.message.contains("must follow exactly one spiking node") }, "\(problems)")
    var negative = delay
    negative.fields["delay"] = Self.numbers([-0.001, 0])
    let refused = Self.problems(Self.graph([Self.input, negative, Self.fc, Self.lif, Self.output],
                                           [("input", "delay"), ("delay", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(refused.contains { $0.key == "/node/nodes/delay/delay" && $0.message.contains("≥ 0") }, "\(refused)")
  }

  /// Values that used to trap: zero strides and kernels, a Delay shorter than its input, delays
  /// beyond what a synapse holds, Flatten dimensions out of range.
  @Test func degenerateParametersAreNamed() {
    let image = Self.node("input", "Input", ["shape": Self.numbers([1, 4, 4])])
    let neuron = Self.node("if", "IF", ["r": Self.numbers([1]), "v_threshold": Self.numbers([1])])
    let conv = Self.node("conv", "Conv2d", ["weight": .numbers(shape: [1, 1, 3, 3], values: Array(repeating: 1, count: 9)), "stride": Self.numbers([0, 1])])
    var problems = Self.problems(Self.graph([image, conv, neuron], [("input", "conv"), ("conv", "if")]))
    #expect(problems.contains { $0.key == "/node/nodes/conv" && $0.message.contains("must be positive") }, "\(problems)")
    let pool = Self.node("pool", "SumPool2d", ["kernel_size": Self.numbers([0, 2])])
    problems = Self.problems(Self.graph([image, pool, neuron], [("input", "pool"), ("pool", "if")]))
    #expect(problems.contains { $0.key == "/node/nodes/pool" && $0.message.contains("must be positive") }, "\(problems)")
    let flat = Self.node("flat", "Flatten", ["start_dim": Self.numbers([1e300])])
    problems = Self.problems(Self.graph([image, flat, neuron], [("input", "flat"), ("flat", "if")]))
    #expect(problems.contains { $0.key == "/node/nodes/flat" && $0.message.contains("start_dim and end_dim") }, "\(problems)")
    let short = Self.node("delay", "Delay", ["delay": Self.numbers([0.001, 0.002])])
    problems = Self.problems(Self.graph([Self.input, short, Self.fc, Self.lif, Self.output],
                                        [("input", "delay"), ("delay", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(problems.isEmpty, "a Delay per input element: \(problems)")
    let three = Self.node("delay", "Delay", ["delay": Self.numbers([0.001, 0.002, 0.003])])
    problems = Self.problems(Self.graph([Self.input, three, Self.fc, Self.lif, Self.output],
                                        [("input", "delay"), ("delay", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.key == "/node/edges[0]" && $0.message == "'input' gives 2 values but 'delay' takes 3" }, "\(problems)")
    let long = Self.node("delay", "Delay", ["delay": Self.numbers([1e300])])
    problems = Self.problems(Self.graph([Self.input, long, Self.fc, Self.lif, Self.output],
                                        [("input", "delay"), ("delay", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.key == "/node/nodes/delay/delay" && $0.message.contains("beyond the") }, "\(problems)")
    let empty = Self.node("input", "Input", ["shape": .numbers(shape: [0], values: [])])
    problems = Self.problems(Self.graph([empty, Self.fc, Self.lif, Self.output], Self.chain))
    #expect(problems.contains { $0.key == "/node/nodes/input/shape" }, "\(problems)")
  }

  /// Fuzz findings: non-numbers in fields the import does not use were accepted silently.
  @Test func unusedFieldsMustStillBeNumbers() {
    let flat = Self.node("flat", "Flatten", ["input_type": Self.numbers([.nan])])
    var problems = Self.problems(Self.graph([Self.input, flat, Self.fc, Self.lif, Self.output],
                                            [("input", "flat"), ("flat", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.key == "/node/nodes/flat/input_type" && $0.message.contains("not a finite number") }, "\(problems)")
    let inner = NIRGraph(path: "/node/nodes/sub", nodes: [
      NIRNode(name: "input", path: "/node/nodes/sub/nodes/input", type: "Input", fields: ["shape": Self.numbers([.nan])]),
      NIRNode(name: "output", path: "/node/nodes/sub/nodes/output", type: "Output", fields: ["shape": Self.numbers([2])]),
    ], edges: [NIREdge(source: "input", target: "output", index: 0)])
    let sub = NIRNode(name: "sub", path: "/node/nodes/sub", type: "NIRGraph", graph: inner)
    problems = Self.problems(Self.graph([Self.input, sub, Self.fc, Self.lif, Self.output],
                                        [("input", "sub"), ("sub", "fc"), ("fc", "lif"), ("lif", "output")]))
    #expect(problems.contains { $0.key == "/node/nodes/sub/nodes/input/shape" }, "\(problems)")
  }

  @Test func filesThatAreNotNIRGraphsAreNamed() throws {
    let dir = try TemporaryDirectory("nir-errors")
    defer { dir.remove() }
    #expect { try NIRImporter.read(path: dir.path("missing.nir")) } throws: { error in
      "\(error)".contains("missing.nir") && "\(error)".contains("no such file")
    }
    let empty = dir.path("empty.nir")
    let file = try HDF5File.create(empty)
    try file.root().createDataset("x", values: [1.0])
    try file.flush()
    #expect { try NIRImporter.read(path: empty) } throws: { error in
      "\(error)" == "\(empty): /node: not a NIR graph: the file has no group /node (what nir.write writes)"
    }
    let text = dir.path("text.nir")
    try "not hdf5".write(toFile: text, atomically: true, encoding: .utf8)
    #expect { try NIRImporter.read(path: text) } throws: { error in "\(error)".contains("not an HDF5 file") }
  }
}

/// Graphs that would multiply out to more synapses than any system holds are refused before the
/// expansion is allocated.
@Suite struct NIRSizeTests {
  @Test func aHugeConvolutionIsRefusedBeforeItExpands() {
    let input = NIRErrorTests.node("input", "Input", ["shape": NIRErrorTests.numbers([64, 512, 512])])
    let conv = NIRErrorTests.node("conv", "Conv2d", ["weight": .numbers(shape: [64, 64, 3, 3], values: Array(repeating: 0.1, count: 64 * 64 * 9)),
                                                     "padding": NIRErrorTests.numbers([1, 1])])
    let neuron = NIRErrorTests.node("if", "IF", ["r": NIRErrorTests.numbers([1]), "v_threshold": NIRErrorTests.numbers([1])])
    let problems = NIRErrorTests.problems(NIRErrorTests.graph([input, conv, neuron], [("input", "conv"), ("conv", "if")]))
    #expect(problems.contains { $0.key == "/node/nodes/conv" && $0.message.contains("more than the 50000000 an import multiplies out") },
            "\(problems)")
  }

  @Test func aChainOfLinearNodesIsBoundedBeforeItIsMultiplied() {
    // 8000 → 10 → 8000: each factor holds 80,000 weights, their product 64 million
    let n = 8_000, k = 10
    let input = NIRErrorTests.node("input", "Input", ["shape": NIRErrorTests.numbers([Double(n)])])
    let down = NIRErrorTests.node("down", "Linear", ["weight": .numbers(shape: [k, n], values: Array(repeating: 1, count: n * k))])
    let up = NIRErrorTests.node("up", "Linear", ["weight": .numbers(shape: [n, k], values: Array(repeating: 1, count: n * k))])
    let neuron = NIRErrorTests.node("lif", "LIF", ["tau": NIRErrorTests.numbers([0.01]), "r": NIRErrorTests.numbers([1]),
                                                   "v_leak": NIRErrorTests.numbers([0]), "v_threshold": NIRErrorTests.numbers([Double](repeating: 1, count: n))])
    let problems = NIRErrorTests.problems(NIRErrorTests.graph([input, down, up, neuron], [("input", "down"), ("down", "up"), ("up", "lif")]))
    #expect(problems.contains { $0.key == "/node/nodes/up" && $0.message.contains("multiplies out to up to 64000000 synapses") }, "\(problems)")
  }
}
