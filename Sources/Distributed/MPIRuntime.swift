import CMPI
import Glibc

/// Process-wide MPI state: initialisation (under `mpiexec` or as a singleton), versions, finalisation.
public enum MPIRuntime {
  public static var isInitialized: Bool { var flag: Int32 = 0; MPI_Initialized(&flag); return flag != 0 }
  public static var isFinalized: Bool { var flag: Int32 = 0; MPI_Finalized(&flag); return flag != 0 }

  /// Initialises MPI once, from the thread that will make every MPI call; finalises at exit.
  /// `serialized` is for callers whose thread may change (test runners); the driver uses funneled.
  @discardableResult
  public static func initialize(serialized: Bool = false) throws -> Int32 {
    var provided: Int32 = 0
    if isInitialized {
      MPI_Query_thread(&provided)
      return provided
    }
    let level = serialized ? MPI_THREAD_SERIALIZED : MPI_THREAD_FUNNELED
    try check(MPI_Init_thread(nil, nil, level, &provided), "MPI_Init_thread")
    try check(MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()), "MPI_Comm_set_errhandler")
    atexit { MPIRuntime.finalize() }
    return provided
  }

  public static func finalize() {
    if isInitialized && !isFinalized { MPI_Finalize() }
  }

  /// The library's own version string, e.g. "MPICH Version: 4.0.2 …" (callable before MPI_Init).
  public static var libraryVersion: String {
    var buffer = [CChar](repeating: 0, count: Int(cmpi_max_library_version_string()) + 1)
    var length: Int32 = 0
    MPI_Get_library_version(&buffer, &length)
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      .trimmingTrailingWhitespace()
  }

  /// The MPI standard version implemented, e.g. (4, 0).
  public static var standardVersion: (major: Int, minor: Int) {
    var major: Int32 = 0, minor: Int32 = 0
    MPI_Get_version(&major, &minor)
    return (Int(major), Int(minor))
  }

  /// True when this process was started by a process manager (`mpiexec`, `srun`) rather than alone.
  public static var launchedByProcessManager: Bool {
    for name in ["PMI_RANK", "PMI_SIZE", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE", "SLURM_PROCID"] where getenv(name) != nil {
      return true
    }
    return false
  }

  static func check(_ rc: Int32, _ call: String) throws {
    guard rc != MPI_SUCCESS else { return }
    throw DistributedError.mpi(call: call, code: rc, text: errorText(rc))
  }

  static func errorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
    var length: Int32 = 0
    guard MPI_Error_string(code, &buffer, &length) == MPI_SUCCESS else { return "unknown error" }
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

extension String {
  func trimmingTrailingWhitespace() -> String {
    var s = Substring(self)
    while let last = s.last, last.isWhitespace { s = s.dropLast() }
    return String(s)
  }
}
