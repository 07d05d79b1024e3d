import ArgumentParser
import Distributed
import Engine
import Traces

/// `neurofabric info`: versions of NeuroFabric and the libraries it runs on, and the rank count.
struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the NeuroFabric, MPI and HDF5 versions and the number of ranks.",
    discussion: """
      Use it to check an installation and a launcher: under `mpiexec -n N` rank 0 reports N ranks; \
      started alone it runs as a single MPI rank (singleton).
      """
  )

  func run() throws {
    let world = try MPICommunicator()
    let answering = try world.allgather(Int64(world.rank))
    guard world.rank == 0 else { return }
    let firstLine = MPIRuntime.libraryVersion.split(separator: "\n").first ?? "unknown"
    let mpi = firstLine.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let standard = MPIRuntime.standardVersion
    print("NeuroFabric \(neuroFabricVersion)")
    print("MPI:   \(mpi) (MPI standard \(standard.major).\(standard.minor))")
    print("HDF5:  \(hdf5LibraryVersion) (serial)")
    let launcher = MPIRuntime.launchedByProcessManager ? "launched by a process manager" : "singleton, no mpiexec"
    print("ranks: \(world.size) (\(launcher)); ranks answering: \(answering.count)")
  }
}
