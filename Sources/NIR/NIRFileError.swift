import Model

/// A problem in a NIR graph file or in the network imported from it, located by the HDF5 path of
/// its node, e.g. `g.nir: /node/nodes/fc/bias: 2 values for 3 weight rows`.
public struct NIRFileError: LocatedFileError {
  public let problem: FileProblem
  public init(_ problem: FileProblem) { self.problem = problem }
}

/// All the problems found in one NIR file.
public typealias NIRFileErrors = FileErrors<NIRFileError>
