import Distributed
import Hardware
import Mapping
import Model
import Traces

/// What one trial gave: per population, each neuron's spike count and first spike (ms from the
/// trial's start, or nil), and the largest membrane sample of each sampled neuron; and the
/// hardware's counters over the trial.
public struct TrialResult: Sendable, Equatable {
  public var spikeCounts: [[Int]]
  public var firstSpike: [[Double?]]
  public var maximumMembrane: [[Float]]
  public var synapticEvents: UInt64
  public var packets: UInt64
  public var drops: UInt64
  /// The family's energy estimate of the trial (J), where it models energy.
  public var energyJoules: Double?
}

/// Runs a network trial by trial, each from the initial state: the mapping is made once, and every
/// trial is a fresh run of it on this process alone (its own copy of the system), with the spike
/// trains of the input population replaced in the network the family realised (`Family.realise`
/// leaves spike sources as they are, so a trial's network is not realised again). Trials therefore
/// give the same result whichever rank runs them, and spread over ranks without talking to each other.
public final class TrialRunner {
  let input: Int
  let mapping: any FamilyMapping
  let options: RunOptions

  /// `typical` are spike trains of the input that the mapper plans traffic and routes with (a
  /// trial's, or the data set's); `progress` prints each trial's progress as a run's.
  public init(network: Network, input: Int, typical: [[Double]], system: SystemDescription, registry: FamilyRegistry, duration: Double,
              seed: UInt64, placer: PlacementStrategy = .sequential, systemName: String = "", networkName: String = "", progress: Bool = false) throws {
    self.input = input
    var options = RunOptions(duration: duration, seed: seed, output: "memory", progress: progress, networkName: networkName, systemName: systemName)
    options.without = system.without.sorted()
    self.options = options
    var planned = network
    planned.populations[input].cellType = .spikeSourceArray(times: typical)
    mapping = try registry.map(planned, onto: system, options: MapOptions(placer: placer, seed: seed, ranks: 1, systemPath: systemName,
                                                                          networkName: networkName))
  }

  /// The mapping report of the network the trials run.
  public var report: String { mapping.report }

  public func run(trains: [[Double]]) throws -> TrialResult {
    var trial = mapping.network
    trial.populations[input].cellType = .spikeSourceArray(times: trains)
    let local = LocalCommunicator()
    let run = try mapping.makeRun(network: trial, options: options, rank: 0)
    let output = MemoryTraceOutput()
    let summary = try Simulation(run, options: options, communicator: local, output: output).run()
    guard let sink = output.sinks[0] else { throw RunError.trace("the trial wrote no records") }
    var counts = trial.populations.map { [Int](repeating: 0, count: $0.size) }
    var first = trial.populations.map { [Double?](repeating: nil, count: $0.size) }
    for (p, spikes) in sink.spikes.enumerated() {
      for (time, node) in spikes {
        counts[p][Int(node)] += 1
        if first[p][Int(node)] == nil { first[p][Int(node)] = time }
      }
    }
    let maximum = sink.populations.enumerated().map { p, population -> [Float] in
      let n = population.sampledNodes.count
      guard n > 0 else { return [] }
      var best = [Float](repeating: -.infinity, count: n)
      for (i, value) in sink.samples[p].enumerated() { best[i % n] = max(best[i % n], value) }
      return best
    }
    return TrialResult(spikeCounts: counts, firstSpike: first, maximumMembrane: maximum, synapticEvents: summary.synapticEvents,
                       packets: summary.packets, drops: summary.drops, energyJoules: summary.energyJoules)
  }
}
