import Model

/// A problem in a topology file (docs/formats/topology-files.md), e.g.
/// `bad.toml:2: system.family: unknown family 'loihi' (expected one of: ideal, spinnaker2, …)`.
public struct TopologyFileError: LocatedFileError {
  public let problem: FileProblem
  public init(_ problem: FileProblem) { self.problem = problem }
}

/// All the problems found in one topology file.
public typealias TopologyFileErrors = FileErrors<TopologyFileError>
