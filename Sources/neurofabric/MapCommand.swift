import ArgumentParser
import Distributed
import Engine
import Foundation
import Hardware
import Mapping
import Model
import Traces

/// `neurofabric map`: partition, place and route a network without running it; print the report
/// and write it under /mapping of an HDF5 file.
struct Map: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Map a network onto a system and report placement, routes and traffic (SpiNNaker, BrainScaleS-2, BrainScaleS-1, ideal).",
    discussion: """
      Runs the mapping pipeline only (SpiNNaker's "virtual board", with the traffic estimates a \
      virtual board lacks): slices that fit a processing element (atoms, local memory, CPU cycles \
      per tick at the expected rates), placement onto chips, 32-bit keys per slice, multicast \
      trees around dead links, routing tables with default-route elision and pair compression, \
      and chips onto MPI ranks. Prints a summary and writes <out> with /mapping/{slices, chips, \
      links, routing_tables, metrics}. The neuron placement does not depend on --ranks.

      On a BrainScaleS-1 wafer (family brainscales1) it places logical neurons of denmems on \
      HICANNs (--placer: sequential fills HICANNs in a serpentine; random and graph place whole \
      neuron blocks with the same strategies as on SpiNNaker), routes every L1 bus over the switch \
      structure and prints L1 usage and the synapses lost per projection and cause, as marocco \
      reports them.

      On a BrainScaleS-2 system (family brainscales2) it places logical neurons on circuits and \
      allocates synapse drivers, row-select addresses and 6-bit labels on the PADI buses, the \
      crossbar nodes and the FPGA routing tables, reports the 6-bit weight quantisation and fails \
      with the chip, hemisphere and bus where a limit breaks.

      On an ideal system it prints the striped placement: neurons per chip and chips per rank.

      Rates: spike sources use their own; neurons use the population's expected_rate, else \
      --expected-rate.

      Examples:
        neurofabric map --system Topologies/spinnaker2-board.toml --network microcircuit:N_scaling=0.1
        neurofabric map --system Topologies/spinnaker2-24boards.toml --network microcircuit --placer graph --ranks 2 --out runs/map.h5
        neurofabric map --system Topologies/bss2-4chips.toml --network brunel:N=1500,indegree=60
        neurofabric map --system Topologies/bss1-wafer.toml --network synfire:groups=20 --placer graph
      """
  )

  @Option(help: "The system: a topology file such as Topologies/spinnaker2-board.toml or Topologies/bss1-wafer.toml.")
  var system: String

  @Option(help: "Hardware effects to switch off, comma-separated, e.g. latency,arithmetic (`neurofabric info` lists each family's, docs/effects.md).")
  var without: String?

  @Option(help: ArgumentHelp(NetworkArgument.help))
  var network: String

  @Option(help: ArgumentHelp(placerHelp))
  var placer: PlacementStrategy = .sequential

  @Option(help: "MPI ranks the chips are split over (the run's rank count).")
  var ranks = 1

  @Option(help: "Seed of random placement and of METIS.")
  var seed: UInt64 = 1

  @Option(help: "Firing rate (Hz) assumed for neuron populations without expected_rate.")
  var expectedRate = 10.0

  @Option(help: "HDF5 file for the mapping report (omit to print only); an existing file is refused, unless --overwrite.")
  var out: String?

  @Flag(help: "Replace the file --out names (never one another command is writing).")
  var overwrite = false

  @OptionGroup(title: "NIR graphs (--network model.nir)")
  var nir: NIRArguments

  func run() throws { try Self.map(self, registry: .standard) }

  /// Maps as `command` says, with every family through `registry`.
  static func map(_ command: Map, registry: FamilyRegistry) throws {
    let (network, system, placer, ranks, seed, expectedRate, out) = (command.network, command.system, command.placer, command.ranks,
                                                                     command.seed, command.expectedRate, command.out)
    guard (1...65_536).contains(ranks), expectedRate >= 0, expectedRate.isFinite else {
      printError("neurofabric: map: --ranks must be in 1...65536 and --expected-rate finite and ≥ 0")
      throw ExitCode.failure
    }
    // Under mpiexec every rank would map the same and write the same file: rank 0 maps, and can
    // abort the job with a signal's status.
    let world: Communicator? = MPIRuntime.launchedByProcessManager ? try MPICommunicator() : nil
    StopRequest.install()
    // The other ranks wait for rank 0's outcome: a job whose ranks all live until rank 0 ends takes
    // its abort's status (a signal's), where one whose other ranks had finalised reported 0 or 255.
    if let world, world.rank != 0 {
      if try world.allreduce(Int64(0), .max) != 0 { throw ExitCode.failure }
      return
    }
    var failed: Int64 = 1
    defer { if let world { _ = try? world.allreduce(failed, .max) } }
    var claim: OutputClaim?
    defer { claim?.release() }
    if let out {
      do {
        claim = try OutputClaim.claim(file: out, command: CommandLine.arguments.joined(separator: " "))
      } catch {
        printError("neurofabric: map: \(error)")
        throw ExitCode.failure
      }
      if !command.overwrite, FileManager.default.fileExists(atPath: out) {
        printError("neurofabric: map: '\(out)' exists: choose another --out or pass --overwrite")
        throw ExitCode.failure
      }
    }
    let model: Network, description: SystemDescription, importNotes: [String]
    do {
      (model, importNotes) = try NetworkArgument.loadReporting(network, nir: command.nir)
      description = try registry.readSystem(path: system, without: command.without)
    } catch {
      printError("neurofabric: \(error)")
      throw ExitCode.failure
    }
    let mapping: any FamilyMapping
    do {
      mapping = try registry.map(model, onto: description, options: MapOptions(
        placer: placer, seed: seed, ranks: ranks, expectedRate: expectedRate, systemPath: system, networkName: network))
    } catch {
      printError("neurofabric: map: \(model.name) on \(description.name): \(error)")
      throw ExitCode.failure
    }
    try stopIfAsked("map", out.map { "; '\($0)' not written" }, world: world) { claim?.release() }
    print((importNotes + [mapping.report]).joined(separator: "\n"))
    guard let out else {
      failed = 0
      return
    }
    do {
      try HDF5File.replace(out) { root in
        try mapping.write(to: root)
        try MappingFile.write(mapping, identity: .of(network: network, model: model, system: system, without: description.without, family: description.family, ranks: ranks,
                                                     placer: placer, seed: seed), to: root)
      }
    } catch {
      printError("neurofabric: map: cannot write \(out): \(error)")
      throw ExitCode.failure
    }
    print("  written      \(out) (/mapping; /mapping_state for `run --mapping \(out)`)")
    try stopIfAsked("map", "; '\(out)' was written in full before it stopped", world: world) { claim?.release() }
    failed = 0
  }
}

extension PlacementStrategy: ExpressibleByArgument {}

/// `--placer`'s help, from what each family's mapper follows (the registry): sequential (PACMAN-like;
/// a serpentine over a wafer), random, or graph (METIS); a placer a family does not have is refused.
let placerHelp = "Placement strategy: sequential (PACMAN-like; a serpentine over a wafer), random, or graph (METIS), as each family's mapper follows them ("
  + FamilyRegistry.standard.families.map { "\($0.names.joined(separator: "/")): \($0.placers.map(\.rawValue).joined(separator: ", "))" }
    .joined(separator: "; ") + ")."
