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

  public static func read(path: String, options: NIRImportOptions = NIRImportOptions()) throws(NIRFileErrors) -> NIRImport {
    let graph = try NIRFileReader.read(path: path)
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try build(graph, file: path, name: name, options: options)
  }

  public static func build(_ graph: NIRGraph, file: String, name: String,
                           options: NIRImportOptions = NIRImportOptions()) throws(NIRFileErrors) -> NIRImport {
    var builder = NIRNetworkBuilder(file: file, options: options)
    builder.flatten(graph, prefix: "", top: true)
    if builder.errors.isEmpty { builder.resolveShapes() }
    if builder.errors.isEmpty { builder.chooseTime() }
    var network = Network(name: name)
    if builder.errors.isEmpty { network = builder.network(name: name) }
    guard builder.errors.isEmpty else { throw NIRFileErrors(builder.errors) }
    let problems = network.validate()
    guard problems.isEmpty else {
      throw NIRFileErrors(problems.map { builder.locate($0, in: network) })
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

  /// A linear node's matrix (rows its outputs, columns its inputs) and the bias of its outputs.
  typealias LinearMap = (matrix: SparseRows, bias: [Double])

  struct Edge {
    var from: Int
    var to: Int
    var key: String
  }

  let file: String
  let options: NIRImportOptions
  var nodes: [Node] = []
  var edges: [Edge] = []
  var errors: [NIRFileError] = []
  var notes: [String] = []
  /// Milliseconds of model time per unit of the file's time.
  var msPerUnit = 1.0
  /// The matrices of convolutions and poolings, made once when their shapes are resolved.
  var expanded: [Int: LinearMap] = [:]

  init(file: String, options: NIRImportOptions) {
    self.file = file
    self.options = options
  }

  mutating func fail(_ key: String, _ message: String) {
    errors.append(NIRFileError(file: file, line: 0, key: key, message: message))
  }

  /// A network rule broken by the imported network, located at the node it came from.
  func locate(_ problem: NetworkError, in network: Network) -> NIRFileError {
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
    return NIRFileError(file: file, line: 0, key: key, message: "\(problem.keyPath): \(problem.message)")
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
}
