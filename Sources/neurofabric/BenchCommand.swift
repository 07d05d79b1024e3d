import ArgumentParser
import Distributed
import Engine
import Foundation
import Hardware
import Mapping
import Model

/// `neurofabric bench`: measured speed of NeuroFabric's stages on named cases, a table and one
/// JSON line per case (Scripts/bench runs the cases on 1 and 2 ranks and collects the lines).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure build, map, run and write speed on a named case (prints a table and a JSON line).",
    discussion: """
      Cases (network, as `--network` would name it):
      \(BenchCase.all.map { "  \($0.name.padding(toLength: 18, withPad: " ", startingAt: 0))\($0.network)" }.joined(separator: "\n"))
        construction      generate every synapse of --network on one core, as the ranks do when \
      they build the neurons they host (synapses per second; no system, no run)

      Systems: \(FamilyRegistry.standard.families.flatMap(\.benchSystems).map { "\($0.keyword) (\($0.topology), \($0.placer.rawValue) placer)" }.joined(separator: ", ")), \
      or a topology file. Run under `mpiexec -n N` for N ranks; rank 0 prints.

      Figures: map (placement and routing), build (synapse generation into the chips' or PEs' \
      tables), run and write seconds (the slowest rank's); real-time factor (run seconds per bio \
      second); synaptic events and packet-hops (link traversals) per wall second of the run; peak \
      resident memory (largest rank, and summed over ranks); bytes per synapse (growth of resident \
      memory from before the build to the peak, summed over ranks, per synapse built).

      Examples:
        neurofabric bench --case brunel-10k --system ideal
        mpiexec -n 2 neurofabric bench --case microcircuit-0.1 --system spinnaker2 --duration 1s
        neurofabric bench --network brunel:N=2000,indegree=200 --system Topologies/ideal-congested.toml
        neurofabric bench --case construction --network microcircuit
      """
  )

  @Option(help: "The case: \(BenchCase.all.map(\.name).joined(separator: ", ")), or construction.")
  var `case` = "brunel-10k"

  @Option(help: ArgumentHelp("A system keyword (\(FamilyRegistry.standard.families.flatMap(\.benchSystems).map(\.keyword).joined(separator: ", "))) or a topology file."))
  var system = FamilyRegistry.standard.families.lazy.flatMap(\.benchSystems).first?.keyword ?? ""

  @Option(help: "Hardware effects to switch off, comma-separated, e.g. latency,arithmetic (`neurofabric info` lists each family's, docs/effects.md).")
  var without: String?

  @Option(help: ArgumentHelp("A network instead of the case's (the case is then called 'custom'); "
                              + "construction: default microcircuit. " + NetworkArgument.help))
  var network: String?

  @Option(parsing: .unconditional, help: "Bio time to simulate: 1000ms, 1s or a number of ms (positive, at most 1e9 ms).")
  var duration = BioDuration(argument: "1s")!

  @Option(help: ArgumentHelp("For a topology file (a system keyword brings its own placer). " + placerHelp))
  var placer: PlacementStrategy = .sequential

  @Option(help: "Seed of the random streams.")
  var seed: UInt64 = 1

  @Option(help: "Run directory for the traces (default runs/bench/<case>-<system>-n<ranks>); bench replaces what it holds.")
  var out: String?

  func validate() throws {
    guard `case` == "construction" || BenchCase.named(`case`) != nil else {
      throw ValidationError("unknown case '\(`case`)' (known: \(BenchCase.all.map(\.name).joined(separator: ", ")), construction)")
    }
  }

  func run() throws {
    if `case` == "construction" { return try construction() }
    signal(SIGXFSZ, SIG_IGN)  // as in `run`: a file-size limit fails a trace write instead of killing the rank
    let world = try MPICommunicator()
    let benchCase = network.map { BenchCase(name: "custom", network: $0) } ?? BenchCase.named(`case`)!
    let registry = FamilyRegistry.standard
    let keyword = registry.benchSystem(system)
    let systemPath = keyword?.topology ?? system
    let bio = duration.milliseconds
    let model: Network, description: SystemDescription
    do {
      model = try NetworkArgument.load(benchCase.network)
      description = try registry.readSystem(path: systemPath, without: without)
    } catch {
      throw Run.failure("\(error)", on: world, everyRank: false)
    }
    let directory = out ?? "runs/bench/\(benchCase.name)-\(keyword == nil ? "custom" : system)-n\(world.size)"
    var options = RunOptions(duration: bio, seed: seed, output: directory, overwrite: true, progress: false,
                             commandLine: CommandLine.arguments.joined(separator: " "),
                             networkName: benchCase.network, systemName: systemPath)
    options.without = description.without.sorted()
    let baseline = residentMemoryBytes()
    let mapStart = ContinuousClock.now
    let simulation: Simulation
    do {
      let mapping = try registry.map(model, onto: description, options: MapOptions(
        placer: keyword?.placer ?? placer, seed: seed, ranks: world.size, systemPath: systemPath, networkName: benchCase.network))
      simulation = Simulation(try mapping.makeRun(options: options, rank: world.rank), options: options, communicator: world)
    } catch {
      throw Run.failure("\(model.name) on \(description.name): \(error)", on: world, everyRank: false)
    }
    let mapSeconds = try world.allreduce((ContinuousClock.now - mapStart).seconds, .max)
    let summary: RunSummary
    do { summary = try simulation.run() } catch { throw Run.failure("\(error)", on: world, everyRank: true) }
    let memory = try world.allreduce([peakMemoryBytes() - baseline, peakMemoryBytes()], .sum)
    guard world.rank == 0 else { return }
    let result = BenchResult(case: benchCase, system: system, ranks: world.size, bioSeconds: bio / 1000, mapSeconds: mapSeconds, summary: summary,
                             memoryBytes: memory[1], memoryGrowthBytes: memory[0])
    print(table(BenchResult.columns, [result.row]))
    print(result.json)
  }

  private func construction() throws {
    let network = network ?? "microcircuit"
    let model = try NetworkArgument.load(network)
    let generator = try SynapseGenerator(network: model, seed: seed)
    var list = SynapseList()
    var synapses = 0
    var checksum: Float = 0
    let start = ContinuousClock.now
    for (p, projection) in model.projections.enumerated() {
      let post = model.populations[model.populationIndex(projection.post)!].size
      for target in 0..<post {
        list.removeAll()
        generator.appendIncoming(projection: p, target: target, to: &list)
        synapses += list.count
        if let w = list.weights.last { checksum += w }
      }
    }
    let seconds = (ContinuousClock.now - start).seconds
    let rate = Double(synapses) / seconds
    print(table(["case", "network", "synapses", "seconds", "synapses/s"],
                [[`case`, network, synapses.grouped, String(format: "%.2f", seconds), String(format: "%.1f M", rate / 1e6)]]))
    struct Record: Encodable { var `case`: String, network: String, synapses: Int, seconds: Double, synapses_per_second: Int, ranks: Int, checksum: Float }
    print(jsonLine(Record(case: `case`, network: network, synapses: synapses, seconds: seconds, synapses_per_second: Int(rate), ranks: 1, checksum: checksum)))
  }
}
