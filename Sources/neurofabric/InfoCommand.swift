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
      started alone it runs as a single MPI rank (singleton). It lists the hardware effects each \
      family models, which `--without` switches off (docs/effects.md). `--json` adds what each family takes.
      """
  )

  @Flag(help: "Print one JSON object instead: the versions, the ranks and what each family takes (its topology names, placers, step key, label columns, effects, bench systems), for scripts and the Python backend.")
  var json = false

  func run() throws {
    let world = try MPICommunicator()
    let answering = try world.allgather(Int64(world.rank))
    guard world.rank == 0 else { return }
    let firstLine = MPIRuntime.libraryVersion.split(separator: "\n").first ?? "unknown"
    let mpi = firstLine.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let standard = MPIRuntime.standardVersion
    if json {
      print(jsonLine(Description(version: neuroFabricVersion, mpi: mpi, hdf5: hdf5LibraryVersion, ranks: world.size,
                                 families: FamilyRegistry.standard.families.map(Description.Family.init))))
      return
    }
    print("NeuroFabric \(neuroFabricVersion)")
    print("MPI:   \(mpi) (MPI standard \(standard.major).\(standard.minor))")
    print("HDF5:  \(hdf5LibraryVersion) (serial)")
    let launcher = MPIRuntime.launchedByProcessManager ? "launched by a process manager" : "singleton, no mpiexec"
    print("ranks: \(world.size) (\(launcher)); ranks answering: \(answering.count)")
    for family in FamilyRegistry.standard.families where !family.effects.isEmpty {
      print("\(family.names.joined(separator: "/")) effects (--without): \(family.effects.map(\.name).joined(separator: ", "))")
    }
  }
}

/// What `info --json` prints.
private struct Description: Encodable {
  struct Family: Encodable {
    struct Bench: Encodable { var keyword, topology, placer: String }
    struct Effect: Encodable { var name, on, off: String }
    var names: [String]
    var summary: String
    var placers: [String]
    /// The `[system]` key that sets the step; absent for continuous-time (analog) families.
    var step_key: String?
    var label_columns: [String]
    var runs_parameter_changes: Bool
    var effects: [Effect]
    var bench_systems: [Bench]

    init(_ family: any Engine.Family) {
      names = family.names
      summary = family.summary
      placers = family.placers.map(\.rawValue)
      step_key = family.stepKey
      label_columns = family.labelColumns
      runs_parameter_changes = family.runsParameterChanges
      effects = family.effects.map { Effect(name: $0.name, on: $0.on, off: $0.off) }
      bench_systems = family.benchSystems.map { Bench(keyword: $0.keyword, topology: $0.topology, placer: $0.placer.rawValue) }
    }
  }

  var version, mpi, hdf5: String
  var ranks: Int
  var families: [Family]
}
