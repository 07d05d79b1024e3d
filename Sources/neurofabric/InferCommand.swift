import ArgumentParser
import Distributed
import Engine
import Foundation
import Hardware
import Mapping
import Model
import NIR
import Traces

/// `neurofabric infer`: a trained NIR graph over a data set, trial by trial, on one system.
struct Infer: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a NIR graph over a data set of spike samples and report its accuracy on a system.",
    discussion: """
      Every sample is one trial, run from the initial state (state reset between trials) on the \
      whole modelled system; under mpiexec the trials are spread over the ranks (trial i on rank \
      i mod N), each trial computed as on one rank, so the per-trial results do not depend on the \
      rank count. Prints accuracy, spikes per sample, the output's first-spike latency, trials per \
      second of wall time and the hardware's counters; --out writes every trial's result.

      Readouts (of the population the graph's Output reads):
        spike-count   the neuron with the most spikes (ties: the earlier first spike, then the lower index)
        first-spike   the neuron that fires first (ties: more spikes, then the lower index)
        max-membrane  the neuron with the largest membrane sample (LI readouts)
      A trial without an output spike (spike-count, first-spike) predicts nothing and counts as wrong.
      Refused before any trial: a label ≥ the readout's size, a spike readout of neurons without a \
      threshold (LI, CubaLI, I) or of the Input, a sample whose events all lie after --trial \
      (--truncate-samples runs it), a trial of more than 1e7 steps (--long-trials). Events after \
      --trial are dropped with a warning that counts them.

      Data sets: NIR's EventData (idx, time as (samples, events); idx -1 pads) or the Spiking \
      Heidelberg Digits layout (spikes/times, spikes/units), each with labels; times in the \
      graph's time unit.

      Examples:
        neurofabric infer --system Topologies/ideal-crossbar.toml --network Examples/digits/digits.nir --input Examples/digits/test.h5
        mpiexec -n 2 neurofabric infer --system Topologies/ideal-crossbar.toml --network model.nir --input shd.h5 --trial 1s --out runs/shd.h5
      """
  )

  enum Readout: String, ExpressibleByArgument, CaseIterable {
    case spikeCount = "spike-count", firstSpike = "first-spike", maxMembrane = "max-membrane"
  }

  @Option(help: "The system: a topology file such as Topologies/ideal-crossbar.toml.")
  var system: String

  @Option(help: "Hardware effects to switch off, comma-separated, e.g. latency,arithmetic (`neurofabric info` lists each family's, docs/effects.md).")
  var without: String?

  @Option(help: "The trained graph: a NIR file (.nir).")
  var network: String

  @Option(help: ArgumentHelp("The data set: an HDF5 file (EventData or SHD layout, with labels), as file[:group].", valueName: "file"))
  var input: String

  @Option(help: "Bio time of one trial (default: the latest event of the data set plus one step per population).")
  var trial: BioDuration?

  @Option(help: "How the output population gives a prediction: spike-count, first-spike or max-membrane.")
  var readout: Readout = .spikeCount

  @Option(help: "The population to read out (default: the one the graph's Output reads).")
  var readoutPopulation: String?

  @Option(help: "Run only the first n samples.")
  var trials: Int?

  @Option(help: "Seed of every random stream (the chips' fixed-pattern noise, random placement).")
  var seed: UInt64 = 1

  @Option(help: ArgumentHelp(placerHelp))
  var placer: PlacementStrategy = .sequential

  @Option(help: "HDF5 file for the per-trial results (refused if it exists, unless --overwrite).")
  var out: String?

  @Flag(help: "Replace the file --out names.")
  var overwrite = false

  @Flag(help: "Allow trials of more than \(Double(longTrialSteps).compact) steps (1,000 s of bio time at 0.1 ms); refused without it.")
  var longTrials = false

  @Flag(help: "Run samples whose events all lie after --trial (a trial shorter than its samples on purpose) without input, instead of refusing them.")
  var truncateSamples = false

  @Flag(help: "No progress lines on rank 0.")
  var noProgress = false

  @OptionGroup(title: "NIR graphs")
  var nir: NIRArguments

  func run() throws {
    let world = try MPICommunicator()
    StopRequest.install()
    try Self.infer(self, registry: .standard, communicator: world)
  }

  /// One trial's result as integers, for the gather (`columns` of them, then the spike count of
  /// every population): trial, predicted, label, first output spike (Double bits), synaptic
  /// events, packets, drops, energy (Double bits).
  static func row(_ trial: Int, _ result: TrialResult, predicted: Int, label: Int, readout p: Int) -> [Int64] {
    let first = result.firstSpike[p].compactMap { $0 }.min() ?? .nan
    let fixed = [Int64(trial), Int64(predicted), Int64(label), Int64(bitPattern: first.bitPattern),
                 Int64(bitPattern: result.synapticEvents), Int64(bitPattern: result.packets), Int64(bitPattern: result.drops),
                 Int64(bitPattern: (result.energyJoules ?? .nan).bitPattern)]
    precondition(fixed.count == columns)
    return fixed + result.spikeCounts.map { Int64($0.reduce(0, +)) }
  }

  static func predict(_ result: TrialResult, population p: Int, readout: Readout) -> Int {
    let counts = result.spikeCounts[p], first = result.firstSpike[p]
    switch readout {
    case .spikeCount:
      guard let best = counts.max(), best > 0 else { return -1 }
      return counts.indices.filter { counts[$0] == best }.min { (first[$0] ?? .infinity, $0) < (first[$1] ?? .infinity, $1) }!
    case .firstSpike:
      guard let earliest = first.compactMap({ $0 }).min() else { return -1 }
      return first.indices.filter { first[$0] == earliest }.min { (-counts[$0], $0) < (-counts[$1], $1) }!
    case .maxMembrane:
      let v = result.maximumMembrane[p]
      guard let best = v.max() else { return -1 }
      return v.firstIndex(of: best)!
    }
  }

  static func infer(_ command: Infer, registry: FamilyRegistry, communicator world: Communicator) throws {
    func fail(_ message: String) -> ExitCode { Run.failure(message, on: world, everyRank: false) }
    if command.nir.input != nil { throw fail("infer: the data set is --input; --nir-input feeds one sample to `run`") }
    // --out is claimed (one writer) and an existing file refused before anything runs.
    var claim: OutputClaim?
    if let out = command.out {
      do {
        claim = try claimOutput(on: world) {
          (try OutputClaim.claim(file: out, command: CommandLine.arguments.joined(separator: " ")),
           !command.overwrite && FileManager.default.fileExists(atPath: out) ? "'\(out)' exists: choose another --out or pass --overwrite" : nil)
        }
      } catch let refused as OutputRefused {
        throw fail("infer: \(refused.reason)")
      }
    }
    defer { claim?.release() }
    guard command.network.hasSuffix(".nir") else { throw fail("infer: --network must be a NIR graph (.nir), got '\(command.network)'") }
    var imported: NIRImport, samples: NIRSampleSet, system: SystemDescription
    do {
      imported = try NIRImporter.read(path: command.network, options: command.nir.options)
      let (path, group) = NIRSampleSet.location(command.input)
      samples = try NIRSampleSet.read(path: path, group: group)
      system = try registry.readSystem(path: command.system, without: command.without)
    } catch {
      throw fail("\(error)")
    }
    guard let labels = samples.labels else { throw fail("\(samples.path): no dataset 'labels': inference needs one label per sample") }
    guard let input = imported.inputPopulation else { throw fail("\(command.network): inference feeds a graph with exactly one Input node") }
    let readoutLabel = command.readoutPopulation ?? (imported.outputs.count == 1 ? imported.outputs[0] : "")
    guard let readout = imported.network.populationIndex(readoutLabel) else {
      throw fail("\(command.network): choose the readout with --readout-population (outputs: \(imported.outputs.joined(separator: ", ")))")
    }
    var warnings: [String] = []
    do {
      let signal: NIRReadoutSignal = command.readout == .maxMembrane ? .membrane : .spikes
      if let warning = try imported.checkReadout(readout, readout: command.readout.rawValue, reads: signal, file: command.network) {
        warnings.append(warning)
      }
    } catch {
      throw fail("\(error)")
    }
    // Every spiking neuron population is counted (the input's spikes are the data set's); the
    // readout's membrane is sampled for max-membrane.
    var network = imported.network
    network.recordings.removeAll { $0.population == network.populations[input].label }
    for population in network.populations where !network.records(.spikes, of: population.label) && !population.cellType.isSource {
      if case let .nir(neuron) = population.cellType, !neuron.kind.spikes { continue }
      network.recordings.append(Recording(population: population.label, variables: [.spikes], interval: imported.modelDt))
    }
    if command.readout == .maxMembrane && !network.records(.v, of: readoutLabel) {
      network.recordings.append(Recording(population: readoutLabel, variables: [.v], interval: imported.modelDt))
    }
    let count = min(command.trials ?? samples.count, samples.count)
    guard count > 0 else { throw fail("infer: no samples to run (--trials \(command.trials ?? 0), \(samples.count) in \(samples.path))") }
    do {
      try samples.checkLabels(samples: count, readout: readoutLabel, size: network.populations[readout].size)
    } catch {
      throw fail("\(error)")
    }
    // By default a trial lasts until the last event has crossed the longest path: a step per
    // population, and the longest delay of every projection on the way.
    let longestDelays = network.projections.reduce(0.0) { $0 + $1.delayBounds.longest }
    let duration = command.trial?.milliseconds
      ?? ((samples.lastEventTime * imported.msPerUnit / imported.modelDt).rounded(.down) + Double(network.populations.count + 1)) * imported.modelDt
        + longestDelays
    guard duration <= NIRSampleSet.latestTime else {
      throw fail("infer: a trial of \(duration.compact) ms is longer than the \(NIRSampleSet.latestTime.compact) ms a run may last; give --trial")
    }
    let steps = Int64((duration / imported.modelDt).rounded())
    guard steps <= Self.longTrialSteps || command.longTrials else {
      let error = NIRInferenceError.trialTooLong(trial: duration, steps: steps, dt: imported.modelDt, bound: Self.longTrialSteps,
                                                 latestEvent: command.trial == nil ? samples.lastEventTime : nil)
      throw fail("\(error)")
    }
    let late = samples.lateEvents(steps: steps, samples: count, msPerUnit: imported.msPerUnit, modelDt: imported.modelDt)
    if let silent = late.silentSample, !command.truncateSamples { throw fail("\(silent)") }
    if late.events > 0 { warnings.append("\(late)") }
    let runner: TrialRunner
    do {
      let typical = samples.typicalTrains(elements: network.populations[input].size, msPerUnit: imported.msPerUnit, modelDt: imported.modelDt)
      runner = try TrialRunner(network: network, input: input, typical: typical, system: system, registry: registry, duration: duration, seed: command.seed,
                               placer: command.placer, systemName: command.system, networkName: command.network,
                               progress: world.rank == 0 && !command.noProgress && steps >= Self.trialProgressSteps)
    } catch {
      throw fail("\(imported.network.name) on \(system.name): \(error)")
    }
    if world.rank == 0 {
      print((["NIR import of \(command.network)"] + imported.notes.map { "  " + $0 }).joined(separator: "\n"))
      print(runner.report)
      print("infer: \(count) trials of \(duration.compact) ms (\(steps) steps) from \(samples.path) (\(samples.layout)), readout \(command.readout.rawValue) of '\(readoutLabel)', \(world.size) rank\(world.size == 1 ? "" : "s")")
      for warning in warnings { printError("neurofabric: warning: \(warning)") }
    }

    // Trial i runs on rank i mod N.
    var rows: [Int64] = []
    let start = ContinuousClock.now
    var failure: String?
    var progress = TrialProgress(enabled: world.rank == 0 && !command.noProgress, trials: (count + world.size - 1) / world.size)
    for (done, trial) in stride(from: world.rank, to: count, by: world.size).enumerated() where StopRequest.received == 0 {
      do {
        let trains = try samples.trains(trial, elements: network.populations[input].size, msPerUnit: imported.msPerUnit, modelDt: imported.modelDt)
        var result = try runner.run(trains: trains)
        guard StopRequest.received == 0 else { break }  // a trial a signal cut short is not scored
        result.spikeCounts[input] = trains.map(\.count)
        rows += row(trial, result, predicted: predict(result, population: readout, readout: command.readout), label: labels[trial], readout: readout)
        progress.update(done: done + 1)
      } catch {
        failure = "trial \(trial): \(error)"
        break
      }
    }
    let elapsed = (ContinuousClock.now - start) / .seconds(1)
    if try world.allreduce(Int64(failure == nil ? 0 : 1), .max) == 1 {
      if let failure { printError(world.size > 1 ? "neurofabric: rank \(world.rank): \(failure)" : "neurofabric: \(failure)") }
      throw ExitCode.failure
    }
    // Stopped by a signal: the trials every rank finished are reported and written, marked incomplete.
    let stoppedBy = Int32(try world.allreduce(Int64(StopRequest.received), .max))
    let wall = try world.allreduce(elapsed, .max)
    var counts = [Int](repeating: 0, count: world.size)
    counts[0] = rows.count
    let all = try world.alltoallv(records: rows, counts: counts).records
    let width = columns + network.populations.count
    let table = stride(from: 0, to: all.count, by: width).map { Array(all[$0..<($0 + width)]) }.sorted { $0[0] < $1[0] }
    if world.rank == 0 {
      try report(table, network: network, readout: readoutLabel, wall: wall, ranks: world.size, complete: stoppedBy == 0, command: command)
    }
    if stoppedBy != 0 {
      try stopIfAsked("infer", "; \(table.count) of \(count) trials done" + (command.out.map { ", written to \($0) (complete = 0)" } ?? ""),
                      signal: stoppedBy, world: world) { claim?.release() }
    }
    // A signal after the last agreement: the work is done, but the status still says it came.
    try stopIfAsked("infer", "; every trial was done" + (command.out.map { " and written to \($0)" } ?? "") + " before it stopped",
                    world: world) { claim?.release() }
  }

  /// The most steps a trial takes without --long-trials: 1,000 s of bio time at NIR's 0.1 ms, 700
  /// times the longest sample of the Spiking Heidelberg Digits; a minute or more of wall time per
  /// trial even for a small graph, so a data set of such trials runs for days.
  static let longTrialSteps: Int64 = 10_000_000
  /// Trials of this many steps or more show a run's progress line each.
  static let trialProgressSteps: Int64 = 1_000_000

  /// Integer columns of a row before the per-population spike counts.
  static let columns = 8

  static func report(_ table: [[Int64]], network: Network, readout: String, wall: Double, ranks: Int, complete: Bool,
                     command: Infer) throws {
    let n = table.count
    let correct = table.filter { $0[1] == $0[2] && $0[1] >= 0 }.count
    let first = table.map { Double(bitPattern: UInt64(bitPattern: $0[3])) }
    let firing = first.filter { !$0.isNaN }
    let spikes = network.populations.indices.map { p in table.reduce(0) { $0 + Double($1[columns + p]) } / Double(n) }
    let energy = table.map { Double(bitPattern: UInt64(bitPattern: $0[7])) }
    let neuronSpikes = network.populations.indices.filter { !network.populations[$0].cellType.isSource }.reduce(0.0) { $0 + spikes[$1] }
    var lines = [String(format: "  accuracy            %.1f %% (%d of %d)", 100 * Double(correct) / Double(n), correct, n)]
    lines.append(String(format: "  spikes per sample   %.1f in the neurons (", neuronSpikes)
                 + network.populations.indices.map { "\(network.populations[$0].label) \(String(format: "%.1f", spikes[$0]))" }.joined(separator: ", ") + ")")
    lines.append(firing.isEmpty ? "  output latency      no output spike in any trial"
                 : String(format: "  output latency      %.2f ms (mean first spike of '%@' in the %d trials with one)",
                          firing.reduce(0, +) / Double(firing.count), readout, firing.count))
    lines.append(String(format: "  trials per second   %.3g (wall, %d rank%@)", Double(n) / max(wall, 1e-9), ranks, ranks == 1 ? "" : "s"))
    let drops = table.reduce(UInt64(0)) { $0 + UInt64(bitPattern: $1[6]) }
    if n > 0 {
      lines.append("  hardware            \(table.reduce(UInt64(0)) { $0 + UInt64(bitPattern: $1[4]) } / UInt64(n)) synaptic events and "
                   + "\(table.reduce(UInt64(0)) { $0 + UInt64(bitPattern: $1[5]) } / UInt64(n)) packets per sample, \(drops) dropped in all")
    }
    if let mean = energy.first(where: { !$0.isNaN }).map({ _ in energy.filter { !$0.isNaN }.reduce(0, +) / Double(n) }) {
      lines.append(String(format: "  energy              %.4g J per inference (the family's estimate, idle chips included)", mean))
    }
    if n == 0 { lines = ["  no trial finished"] }
    if let out = command.out {
      do {
        try HDF5File.replace(out) { root in
          try root.createDataset("trial", values: table.map { $0[0] })
          try root.createDataset("predicted", values: table.map { $0[1] })
          try root.createDataset("label", values: table.map { $0[2] })
          try root.createDataset("first_spike_ms", values: first)
          try root.createDataset("synaptic_events", values: table.map { UInt64(bitPattern: $0[4]) })
          try root.createDataset("packets", values: table.map { UInt64(bitPattern: $0[5]) })
          try root.createDataset("drops", values: table.map { UInt64(bitPattern: $0[6]) })
          try root.createDataset("energy_j", values: energy)
          let counts = try root.createDataset("spike_counts", values: table.flatMap { $0[columns...] }, shape: [n, network.populations.count])
          try counts.setAttribute("populations", strings: network.populations.map(\.label))
          try root.setAttribute("accuracy", Double(correct) / Double(n))
          try root.setAttribute("trials_per_second", Double(n) / max(wall, 1e-9))
          try root.setAttribute("readout", command.readout.rawValue)
          try root.setAttribute("readout_population", readout)
          try root.setAttribute("network", command.network)
          try root.setAttribute("system", command.system)
          try root.setAttribute("complete", Int64(complete ? 1 : 0))
        }
      } catch {
        printError("neurofabric: infer: cannot write \(out): \(error)")
        throw ExitCode.failure
      }
      lines.append("  results             \(out)")
    }
    print(lines.joined(separator: "\n"))
  }
}
