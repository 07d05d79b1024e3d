import ArgumentParser

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
        neurofabric info
        mpiexec -n 2 neurofabric info
        neurofabric validate brunel:N=10000,indegree=1000
      """,
    version: neuroFabricVersion,
    subcommands: [Info.self, Validate.self, Bench.self]
  )
}
