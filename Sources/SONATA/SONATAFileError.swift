import Model

/// A problem in a SONATA circuit (its configs, node, edge and type files, node sets, spike files)
/// or in the network imported from it, e.g. `circuit_config.json: networks.nodes[0].nodes_file: missing`.
public struct SONATAFileError: LocatedFileError {
  public let problem: FileProblem
  public init(_ problem: FileProblem) { self.problem = problem }
}

/// All the problems found in one SONATA file.
public typealias SONATAFileErrors = FileErrors<SONATAFileError>
