import ArgumentParser
import Engine

/// The `neurofabric` command line.
@main
struct NeuroFabric: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "neurofabric",
    abstract: "Simulate spiking networks on multi-chip neuromorphic systems.",
    discussion: """
      NeuroFabric maps a spiking network onto modelled chips (SpiNNaker2, BrainScaleS-1/-2, or an \
      ideal reference system), runs their dynamics and sends every spike through the modelled \
      routing fabric. Run it alone for one MPI rank, or under `mpiexec -n N` for N ranks.

      Examples:
        neurofabric validate brunel:N=10000,indegree=1000
        neurofabric run --system Topologies/ideal-crossbar.toml --network brunel:N=10000 --duration 1s --out runs/brunel
        mpiexec -n 2 neurofabric run --system Topologies/ideal-crossbar.toml --network single --duration 200ms --out runs/single
        neurofabric map --system Topologies/spinnaker2-board.toml --network microcircuit:N_scaling=0.1 --placer graph
        neurofabric inspect runs/brunel/trace.h5
        neurofabric recover runs/brunel             # trace.h5 for a killed run
        neurofabric info
      """,
    version: neuroFabricVersion,
    subcommands: [Run.self, Map.self, Infer.self, Inspect.self, Recover.self, Validate.self, Info.self, Bench.self]
  )

  /// A SIGINT or SIGTERM before a command has work to finish (parsing, MPI's start) ends the
  /// process at once with 128 + signal; `run`, `map`, `infer` and `recover` then install
  /// `StopRequest`'s handlers, which stop at their next safe point.
  static func main() {
    StopRequest.start(command: CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "neurofabric")
    main(nil)
  }
}
