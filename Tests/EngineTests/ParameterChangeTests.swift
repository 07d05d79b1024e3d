import Distributed
import Engine
import Foundation
import Hardware
import Model
import TestSupport
import Testing
import Traces

/// Parameters changed during a run (`Network.parameterChanges`, what PyNN's `set` between runs
/// gives): the ideal family applies them from their step on; the other families refuse them.
@Suite struct ParameterChangeTests {
  /// Three cells driven by a spike array; `change` gives them `iOffset` from `at` ms on, or a DC
  /// stimulus of the same current does (`dc`).
  func network(iOffset: Double, at time: Double, dc: Bool, tauM: Double = 20) -> Network {
    var base = LIFParameters()
    base.tauRefrac = 2
    var changed = base
    changed.iOffset = iOffset
    changed.tauM = tauM
    var network = Network(
      name: "change",
      populations: [Population(label: "cells", size: 3, cellType: .ifCurrExp(base)),
                    Population(label: "input", size: 1, cellType: .spikeSourceArray(times: [[5, 20, 33.3, 61, 77.7]]))],
      projections: [Projection(label: "drive", pre: "input", post: "cells", receptor: .excitatory, connector: .allToAll,
                               weight: .constant(1.2), delay: .constant(1))],
      recordings: [Recording(population: "cells", variables: [.spikes, .v], interval: 0.1)])
    if dc {
      network.stimuli = [CurrentStimulus(label: "dc", target: "cells", waveform: .dc(amplitude: iOffset, start: time, stop: 1e9))]
    } else {
      network.parameterChanges = [ParameterChange(time: time, population: "cells", cellType: .ifCurrExp(changed))]
    }
    return network
  }

  func run(_ network: Network, chips: Int = 1) throws -> (spikes: [Double], v: [Float]) {
    let dir = try TemporaryDirectory("change")
    defer { dir.remove() }
    let options = RunOptions(duration: 120, seed: 1, output: dir.path("run"), progress: false)
    _ = try FamilyRegistry.standard.run(network, on: IdealSystem(chips: chips), options: options, communicator: LocalCommunicator())
    let file = try HDF5File.open(dir.path("run/trace.h5"))
    let spikes = try file.group("/spikes/cells").openDataset("timestamps", as: Double.self).read()
    let v = try file.group("/report/cells").openMatrix("data", as: Float.self).read()
    return (spikes, v)
  }

  /// An offset current from t on acts as a DC stimulus from t on, step for step, wherever t falls.
  @Test(arguments: [40.0, 50.0, 63.35])
  func anOffsetChangeActsAsACurrentFromItsTime(time: Double) throws {
    let changed = try run(network(iOffset: 0.8, at: time, dc: false))
    let stimulated = try run(network(iOffset: 0.8, at: time, dc: true))
    #expect(changed.spikes == stimulated.spikes)
    #expect(changed.v == stimulated.v)
    let before = try run(network(iOffset: 0, at: time, dc: false))
    #expect(changed.spikes.filter { $0 <= time } == before.spikes.filter { $0 <= time })
    #expect(changed.spikes.filter { $0 > time }.count > before.spikes.filter { $0 > time }.count)
  }

  /// A change of τ_m changes the run from its step only; the steps before are those of the run
  /// without it, on one chip and spread over three.
  @Test(arguments: [1, 3])
  func theRunBeforeAChangeIsTheRunWithoutIt(chips: Int) throws {
    let changed = try run(network(iOffset: 0.8, at: 50, dc: false, tauM: 8), chips: chips)
    let unchanged = try run(network(iOffset: 0, at: 50, dc: false), chips: chips)
    let samplesBefore = 3 * 500
    #expect(Array(changed.v.prefix(samplesBefore)) == Array(unchanged.v.prefix(samplesBefore)))
    #expect(changed.v != unchanged.v)
  }

  @Test func changesAreValidated() {
    var network = network(iOffset: 0.8, at: 50, dc: false)
    network.parameterChanges.append(ParameterChange(time: 30, population: "cells", cellType: .poissonSource(rate: 5, start: 0, stop: 1)))
    network.parameterChanges.append(ParameterChange(time: -1, population: "nobody", cellType: .ifCurrExp(LIFParameters())))
    network.parameterChanges.append(ParameterChange(time: 70, population: "input", cellType: .spikeSourceArray(times: [[1]])))
    let problems = network.validate().map(\.description)
    #expect(problems.contains { $0.hasPrefix("change[1].cell:") && $0.contains("SpikeSourcePoisson") })
    #expect(problems.contains { $0.hasPrefix("change[1].time:") && $0.contains("time order") })
    #expect(problems.contains { $0.hasPrefix("change[2].population:") && $0.contains("nobody") })
    #expect(problems.contains { $0.hasPrefix("change[3].cell:") && $0.contains("given once") })
  }

  @Test func otherFamiliesRefuseChanges() throws {
    let spinnaker = try FamilyRegistry.standard.readSystem(path: topology("spinnaker2-board.toml"))
    let problems = try FamilyRegistry.standard.check(network(iOffset: 0.8, at: 50, dc: false), on: spinnaker)
    #expect(problems.contains { $0.contains("parameter changes during a run") && $0.contains("'cells' at 50 ms") })
    #expect(try FamilyRegistry.standard.check(network(iOffset: 0.8, at: 50, dc: false), on: IdealSystem(chips: 1)).isEmpty)
  }
}
