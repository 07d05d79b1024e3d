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

      Systems: Topologies/*.toml. Family "ideal": exact neuron dynamics, a crossbar of chips with a \
      fixed latency, optional bandwidth, buffers and dead links. Families "spinnaker2"/"spinnaker1": \
      the network is mapped as `neurofabric map` does (report printed first), PEs run sPyNNaker's \
      fixed-point neurons tick by tick with a CPU cycle budget (timer overruns counted), and every \
      spike is a packet through the routers (tables, default and emergency routing, drops, \
      reinjection); trace.h5 adds /fabric/pes, /mapping and /energy.

      Examples:
        neurofabric run --system Topologies/ideal-crossbar.toml --network brunel:N=10000 --duration 1s --out runs/brunel
        mpiexec -n 4 neurofabric run --system Topologies/ideal-congested.toml --network brunel:N=2000 --duration 200ms --out runs/c
        mpiexec -n 2 neurofabric run --system Topologies/spinnaker2-board.toml --network microcircuit:N_scaling=0.1 --placer graph --duration 1s --out runs/mc
      """
  )

  @Option(help: "The system: a topology file such as Topologies/ideal-crossbar.toml.")
  var system: String

  @Option(help: ArgumentHelp(NetworkArgument.help))
  var network: String

  @Option(help: "Bio time to simulate: 1000ms, 1s or a number of ms.")
  var duration: String

  @Option(help: "Seed of every random stream (connectivity, sources, initial state).")
  var seed: UInt64 = 1

  @Option(help: "Output directory (created if missing).")
  var out: String

  @Option(help: "Seconds of wall time between flushes of the rank files; a killed run keeps what was flushed.")
  var flushInterval: Double = 5

  @Option(help: "SpiNNaker and BrainScaleS-1 systems: placement strategy, sequential (PACMAN-like; a serpentine over the wafer), random, or graph (METIS).")
  var placer: PlacementStrategy = .sequential

  @Flag(help: "No progress line on rank 0.")
  var noProgress = false

  func run() throws {
    signal(SIGXFSZ, SIG_IGN)  // a file-size limit must fail a write with EFBIG, not kill the rank
    let world = try MPICommunicator()
    let rank = world.rank
    func fail(_ message: String, everyRank: Bool) -> ExitCode { Self.failure(message, on: world, everyRank: everyRank) }
    guard let bioDuration = Self.parseDuration(duration), bioDuration > 0 else {
      throw fail("--duration: expected a positive time such as 1000ms, 1s or 250, got '\(duration)'", everyRank: false)
    }
    guard flushInterval > 0 else { throw fail("--flush-interval must be > 0 s", everyRank: false) }
    let model: Network, description: SystemDescription
    do {
      model = try NetworkArgument.load(network)
      description = try SystemFileReader.read(path: system)
    } catch {
      throw fail("\(error)", everyRank: false)
    }
    let options = RunOptions(
      duration: bioDuration, seed: seed, output: out, flushInterval: flushInterval,
      progress: !noProgress, commandLine: CommandLine.arguments.joined(separator: " "),
      networkName: network, systemName: system)
    let summary: RunSummary
    switch description {
    case let .ideal(ideal):
      let simulation = IdealSimulation(network: model, system: ideal, options: options, communicator: world)
      if rank == 0 { print(mappingReport(model, ideal, simulation, ranks: world.size, duration: bioDuration)) }
      do {
        summary = try simulation.run()
      } catch {
        throw fail("\(error)", everyRank: true)
      }
    case let .spinnaker(machine):
      let simulation: SpiNNakerSimulation
      do {
        simulation = try SpiNNakerSimulation(network: model, system: machine, options: options, communicator: world, placer: placer)
      } catch {
        throw fail("\(model.name) on \(machine.name): \(error)", everyRank: false)
      }
      if rank == 0 {
        let context = MappingReportWriter.Context(system: machine, path: system, network: network, placer: placer, seed: seed)
        print(MappingSummary.text(simulation.mapping, model: model, system: machine, machine: simulation.machine, context: context))
        print("  run          \(Int((bioDuration / machine.timestep).rounded()).grouped) ticks of \(machine.timestep) ms on \(world.size) rank(s); output \(out)/trace.h5")
      }
      do {
        summary = try simulation.run()
      } catch {
        throw fail("\(error)", everyRank: true)
      }
    case let .brainscales1(wafer):
      let simulation: BrainScaleS1Simulation
      do {
        simulation = try BrainScaleS1Simulation(network: model, system: wafer, options: options, communicator: world, placer: placer) {
          BrainScaleS1Summary.expectedRate(model, cell: $0, default: 10)
        }
      } catch {
        throw fail("\(model.name) on \(wafer.name): \(error)", everyRank: false)
      }
      if rank == 0 {
        print(BrainScaleS1Summary.text(simulation.mapping, model: model, path: system))
        let steps = Int((bioDuration / wafer.dt).rounded())
        print("  run          \(steps.grouped) steps of \(wafer.integrationStepNanoseconds) ns (\(wafer.dt) ms bio) in windows of \(simulation.windowSteps) steps on \(world.size) rank(s); output \(out)/trace.h5")
      }
      do {
        summary = try simulation.run()
      } catch {
        throw fail("\(error)", everyRank: true)
      }
    case let .brainscales2(bss2):
      let simulation: BrainScaleS2Simulation
      do {
        simulation = try BrainScaleS2Simulation(network: model, system: bss2, options: options, communicator: world)
      } catch {
        throw fail("\(model.name) on \(bss2.name): \(error)", everyRank: false)
      }
      if rank == 0 {
        print(BrainScaleS2Summary.text(simulation.mapping, model: model, system: bss2, path: system))
        let steps = Int((bioDuration / bss2.dt).rounded())
        print("  run          \(steps.grouped) steps of \(bss2.integrationStepNanoseconds) ns (\(bss2.dt) ms bio) in windows of \(simulation.windowSteps) steps on \(world.size) rank(s); output \(out)/trace.h5")
      }
      do {
        summary = try simulation.run()
      } catch {
        throw fail("\(error)", everyRank: true)
      }
    }
    if rank == 0 { print(report(summary, duration: bioDuration)) }
  }

  /// Prints `message` (on rank 0 only, unless every rank has its own) and gives the failing exit code.
  static func failure(_ message: String, on world: Communicator, everyRank: Bool) -> ExitCode {
    if everyRank || world.rank == 0 {
      printError(world.size > 1 ? "neurofabric: rank \(world.rank): \(message)" : "neurofabric: \(message)")
    }
    return ExitCode.failure
  }

  static func parseDuration(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.hasSuffix("ms") { return Double(t.dropLast(2)) }
    if t.hasSuffix("s") { return Double(t.dropLast(1)).map { $0 * 1000 } }
    return Double(t)
  }

  private func mappingReport(_ model: Network, _ ideal: IdealSystem, _ simulation: IdealSimulation, ranks: Int, duration: Double) -> String {
    let counts = ideal.liveChips.map { simulation.placement.neuronCount(chip: $0) }
    let synapses = model.expectedSynapseCount
    let lookahead = Double(simulation.lookahead) / 1e9
    var lines = ["mapping: \(model.name) on \(ideal.name) (ideal, dt \(ideal.dt) ms)"]
    lines.append("  neurons      \(model.neuronCount.grouped) in \(model.populations.count) populations, ~\(Int(synapses).grouped) synapses")
    lines.append("  chips        \(ideal.liveChips.count) live of \(ideal.chips), \(counts.min() ?? 0)–\(counts.max() ?? 0) neurons each (striped placement)")
    if !ideal.deadChips.isEmpty || !ideal.deadLinks.isEmpty {
      lines.append("  faults       dead chips \(ideal.deadChips.sorted()), dead links \(ideal.deadLinks.count)")
    }
    lines.append("  ranks        \(ranks), chips per rank \((0..<ranks).map { StripedPlacement.chips(ofRank: $0, chips: ideal.chips, ranks: ranks).count })")
    lines.append("  lookahead    \(lookahead) ms (chip-to-chip latency), ~\(Int((duration / lookahead).rounded(.up)).grouped) windows")
    lines.append("  output       \(out)/trace.h5")
    return lines.joined(separator: "\n")
  }

  private func report(_ s: RunSummary, duration: Double) -> String {
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
