import Model

/// A problem in a data set of spike samples (`NIRSampleSet`: EventData or SHD) or in feeding one of
/// its samples to a graph, located by HDF5 path, e.g. `events.h5: /idx: missing dataset: …`.
public struct DataSetFileError: LocatedFileError {
  public let problem: FileProblem
  public init(_ problem: FileProblem) { self.problem = problem }
}

/// All the problems found in one data set file.
public typealias DataSetFileErrors = FileErrors<DataSetFileError>
