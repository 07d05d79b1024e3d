/// A problem in a network file (docs/formats/network-files.md), e.g.
/// `net.toml:14: projection[1].delay: delay must be > 0 ms, got -1.0`.
public struct NetworkFileError: LocatedFileError {
  public let problem: FileProblem
  public init(_ problem: FileProblem) { self.problem = problem }
}

/// All the problems found in one network file.
public typealias NetworkFileErrors = FileErrors<NetworkFileError>
