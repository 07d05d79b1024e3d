import ArgumentParser
import Distributed
import Engine
import Foundation
import Hardware
import Mapping
import Model

#if canImport(Glibc)
import Glibc
#endif

/// `neurofabric run`: map a network onto a system, simulate it and write the traces.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a network on a system and write HDF5 traces.",
    discussion: """
      Maps the network onto the chips of the system, prints a mapping report, runs it in \
      conservative windows (one rank alone, or N ranks under `mpiexec -n N`; the traces are \
      bit-identical for any N) and writes <out>/rank-NNNNN.h5 per rank plus <out>/trace.h5, whose \
      datasets are virtual datasets over the rank files:
        /spikes/<population>/{timestamps, node_ids}   SONATA spikes (libsonata, bmtk, h5py)
        /report/<population>/data, mapping/…          SONATA membrane report
        /fabric/links, /fabric/routers, /fabric/series link and router counters
        /provenance                                    command, version, seed, ranks, timers
      Look at it with `neurofabric inspect <out>/trace.h5`, Scripts/plot_raster.py and Scripts/plot_fabric.py.

      Systems: Topologies/*.toml, whose [system] table names the family:
      \(FamilyRegistry.standard.families.map { "  \($0.names.joined(separator: ", ")): \($0.summary)" }.joined(separator: "\n"))

      Examples:
        neurofabric run --system Topologies/ideal-crossbar.toml --network brunel:N=10000 --duration 1s --out runs/brunel
        mpiexec -n 4 neurofabric run --system Topologies/ideal-congested.toml --network brunel:N=2000 --duration 200ms --out runs/c
        mpiexec -n 2 neurofabric run --system Topologies/spinnaker2-board.toml --network microcircuit:N_scaling=0.1 --placer graph --duration 1s --out runs/mc
      """
  )

  @Option(help: "The system: a topology file such as Topologies/ideal-crossbar.toml.")
  var system: String

  @Option(help: "Hardware effects to switch off, comma-separated, e.g. latency,arithmetic (`neurofabric info` lists each family's, docs/effects.md).")
  var without: String?

  @Option(help: ArgumentHelp(NetworkArgument.help))
  var network: String

  @Option(parsing: .unconditional, help: "Bio time to simulate: 1000ms, 1s or a number of ms (positive, at most 1e9 ms).")
  var duration: BioDuration

  @Option(help: "Seed of every random stream (connectivity, sources, initial state).")
  var seed: UInt64 = 1

  @Option(help: "Output directory (created if missing). A directory that holds a run (trace.h5 or rank files) is refused, unless --overwrite.")
  var out: String

  @Flag(help: "Replace the run that --out holds: its trace.h5 and every rank file are removed before the new run loads.")
  var overwrite = false

  @Option(help: "Seconds of wall time between flushes of the rank files; a killed run keeps what was flushed.")
  var flushInterval: Double = 5

  @Option(help: ArgumentHelp(placerHelp))
  var placer: PlacementStrategy = .sequential

  @Option(help: ArgumentHelp("A mapping written by `neurofabric map … --out <file>` for this network, system and rank count, "
                              + "run instead of mapping again (its placer and mapping seed apply; --seed still keys the run's streams).",
                              valueName: "file"))
  var mapping: String?

  @Flag(help: "No progress line on rank 0.")
  var noProgress = false

  @OptionGroup(title: "NIR graphs (--network model.nir)")
  var nir: NIRArguments

  func run() throws {
    signal(SIGXFSZ, SIG_IGN)  // a file-size limit must fail a write with EFBIG, not kill the rank
    // A SIGINT or SIGTERM until here ends the rank at once; from here on it stops the run at the next window.
    let world = try MPICommunicator()
    StopRequest.install()
    try Self.simulate(self, registry: .standard, communicator: world)
  }

  /// Maps, prints the mapping report and the run's plan, runs and prints the summary on the ranks
  /// of `world`; every family through `registry`.
  static func simulate(_ command: Run, registry: FamilyRegistry, communicator world: Communicator) throws {
    func fail(_ message: String, everyRank: Bool) -> ExitCode { Self.failure(message, on: world, everyRank: everyRank) }
    guard command.flushInterval > 0 else { throw fail("--flush-interval must be > 0 s", everyRank: false) }
    let bioDuration = command.duration.milliseconds
    let model: Network, system: SystemDescription, importNotes: [String]
    do {
      (model, importNotes) = try NetworkArgument.loadReporting(command.network, nir: command.nir)
      system = try registry.readSystem(path: command.system, without: command.without)
    } catch {
      throw fail("\(error)", everyRank: false)
    }
    var options = RunOptions(
      duration: bioDuration, seed: command.seed, output: command.out, overwrite: command.overwrite, flushInterval: command.flushInterval,
      progress: !command.noProgress, commandLine: CommandLine.arguments.joined(separator: " "),
      networkName: command.network, systemName: command.system)
    options.without = system.without.sorted()
    let mapOptions = MapOptions(placer: command.placer, seed: command.seed, ranks: world.size, systemPath: command.system,
                                networkName: command.network)
    // Claimed, and a finished run in it refused, before mapping, which can take long. The claim
    // holds until the traces are written.
    let claim: OutputClaim?
    do {
      claim = try claimOutput(on: world) {
        let directory = RunDirectory(command.out)
        return (try directory.claim(command: options.commandLine),
                command.overwrite ? nil : directory.heldRun().map { "cannot write the output '\(command.out)': \($0)" })
      }
    } catch let refused as OutputRefused {
      throw fail(refused.reason, everyRank: false)
    }
    defer { claim?.release() }
    let simulation: Simulation
    do {
      var mapping: any FamilyMapping, loaded = ""
      if let file = command.mapping {
        let identity = MappingIdentity.of(network: command.network, model: model, system: command.system, without: system.without, family: system.family, ranks: world.size,
                                          placer: command.placer, seed: command.seed)
        let stored: MappingIdentity
        (mapping, stored) = try registry.loadMapping(path: file, identity: identity, network: model, onto: system, options: mapOptions)
        loaded = "\n  mapping      loaded from \(file) (placer \(stored.placer), mapping seed \(stored.seed))"
      } else {
        mapping = try registry.map(model, onto: system, options: mapOptions)
      }
      let run = try mapping.makeRun(options: options, rank: world.rank)
      if world.rank == 0 { print((importNotes + [mapping.report + loaded, run.plan]).joined(separator: "\n")) }
      simulation = Simulation(run, options: options, communicator: world)
    } catch {
      throw fail("\(model.name) on \(system.name): \(error)", everyRank: false)
    }
    let summary: RunSummary
    do {
      summary = try simulation.run()
    } catch {
      throw fail("\(error)", everyRank: true)
    }
    if world.rank == 0 { print(report(summary, duration: summary.bioTimeReached)) }
    if summary.stoppedBy != 0 {
      try stopIfAsked("run", " at \(String(format: "%g", summary.bioTimeReached)) of \(String(format: "%g", bioDuration)) ms bio; "
                      + "\(summary.tracePath) holds the run up to there (/provenance complete = 0)", signal: summary.stoppedBy, world: world) {
        claim?.release()
      }
    }
  }

  /// Prints `message` (on rank 0 only, unless every rank has its own) and gives the failing exit code.
  static func failure(_ message: String, on world: Communicator, everyRank: Bool) -> ExitCode {
    if everyRank || world.rank == 0 {
      printError(world.size > 1 ? "neurofabric: rank \(world.rank): \(message)" : "neurofabric: \(message)")
    }
    return ExitCode.failure
  }

  private static func report(_ s: RunSummary, duration: Double) -> String {
    let run = s.phaseSeconds.first { $0.phase == "run" }?.seconds ?? 0
    var lines = ["done: \(s.steps.description) steps in \(s.windows.grouped) windows"]
    lines.append("  spikes recorded   \(s.spikes.grouped)")
    lines.append("  synaptic events   \(Int(s.synapticEvents).grouped)" + (run > 0 ? " (\(String(format: "%.3g", Double(s.synapticEvents) / run)) per second)" : ""))
    lines.append("  packets           \(Int(s.packets).grouped) over links, \(Int(s.drops).grouped) dropped")
    lines.append("  real-time factor  \(String(format: "%.3g", run / (duration / 1000))) (wall s per bio s, run phase)")
    lines.append("  phases            " + s.phaseSeconds.map { "\($0.phase) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", "))
    lines.append("  peak memory       \(String(format: "%.1f", Double(s.peakMemoryBytes) / 1_048_576)) MiB per rank (largest)")
    lines += s.notes.map { "  " + $0 }
    lines.append("  trace             \(s.tracePath)")
    return lines.joined(separator: "\n")
  }
}

