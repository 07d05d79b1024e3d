import Fabric
import Foundation
@testable import Hardware
import Model
import Testing

/// One HICANN-X chip built from a hand-made configuration: with mismatch off its neurons follow the
/// Euler closed form and stay within Euler's error of the exact (ideal) dynamics; a 6-bit weight
/// reaches the synapse exactly, scaled only by the circuit's gain when mismatch is on; events that
/// meet on a PADI bus in one bus cycle are dropped, events on one L2 channel are serialised.
@Suite struct BrainScaleS2ChipTests {
  /// An entry of the chip's routing: a source cell's events enter at crossbar `input` and take PADI `bus`.
  struct Entry {
    var source: UInt32, input: UInt8, bus: UInt8
    var targets: [(neuron: Int32, weight: Float)]
  }

  /// `sources` spike-array cells (cells 0…), then the `populations` (cells after them), each neuron
  /// of them a logical neuron in hemisphere 0 at the column `columns` gives, in cell order.
  static func chip(sources: Int = 1, _ populations: [Population], columns: [Int]? = nil, circuits: Int = 1,
                   entries: [Entry] = [], nodes: [CrossbarNode] = [], system: BrainScaleS2System, index: Int = 0,
                   seed: UInt64 = 1) -> BrainScaleS2Chip {
    let network = Network(name: "unit", populations: [Population(label: "sources", size: sources, cellType: .spikeSourceArray(times: [[1000]]))]
      + populations)
    #expect(network.validate().isEmpty)
    var neurons: [BrainScaleS2LogicalNeuron] = [], cells: [Int] = []
    for (p, population) in populations.enumerated() {
      for i in 0..<population.size {
        let column = columns?[neurons.count] ?? neurons.count * circuits
        neurons.append(BrainScaleS2LogicalNeuron(population: p + 1, index: i, chip: index, hemisphere: 0, column: column, circuits: circuits))
        cells.append(network.populationOffsets[p + 1] + i)
      }
    }
    var routing = BrainScaleS2ChipRouting()
    for (e, entry) in entries.sorted(by: { $0.source < $1.source }).enumerated() {
      routing.entrySource.append(entry.source)
      routing.entryInput.append(entry.input)
      routing.entryBus.append(entry.bus)
      routing.entryRowSelect.append(UInt8(e))
      routing.entryLabel.append(UInt8(e))
      for t in entry.targets {
        routing.targetNeuron.append(t.neuron)
        routing.targetWeight.append(t.weight)
      }
      routing.targetStart.append(Int32(routing.targetNeuron.count))
    }
    routing.crossbarNodes = nodes
    let configuration = BrainScaleS2ChipConfiguration(neurons: neurons, cells: cells, routing: routing,
                                                      sendsOffChip: neurons.map { _ in false }, playedIn: [])
    return BrainScaleS2Chip(index: index, configuration: configuration, network: network, system: system, seed: seed)
  }

  static var ideal: BrainScaleS2System {
    var s = BrainScaleS2System()
    s.mismatchEnabled = false
    return s
  }

  /// LIF, mismatch off: one event of w = 0.4 nA at t = 0 and a DC offset. The chip integrates V by
  /// Euler with the current at the step's start and decays the current exactly, so with
  /// a = 1 − h/τ_m, q = e^(−h/τ_syn), V∞ = E_L + τ_m/C · I_offset, after n steps
  ///   V_n − V∞ = a^n (V0 − V∞) + h/C · w (a^n − q^n) / (a − q)        (to rounding)
  /// and the exact solution, V(t) − V∞ = e^(−t/τ_m)(V0 − V∞) + w τ_m τ_syn/(C(τ_syn − τ_m)) (e^(−t/τ_syn) − e^(−t/τ_m)),
  /// is within Euler's global error, which peaks at 7.2e-3 mV over these 10 ms (h = 8 µs bio).
  @Test func lifFollowsTheEulerClosedFormAndTheExactSolution() {
    var p = LIFParameters()
    p.cm = 0.2; p.tauM = 10; p.tauSynE = 2; p.vRest = -65; p.vThresh = -40; p.iOffset = 0.3
    let v0 = -60.0, w = Double(Float(0.4))  // the routing holds weights in single precision
    var cells = Population(label: "cells", size: 1, cellType: .ifCurrExp(p))
    cells.initialVoltages = [v0]
    let system = Self.ideal
    var chip = Self.chip([cells], entries: [Entry(source: 0, input: 8, bus: 0, targets: [(0, Float(w))])], system: system)
    let h = system.dt
    #expect(h == 0.008)
    chip.receive(cell: 0, time: 0)
    let a = 1 - h / p.tauM, q = exp(-h / p.tauSynE), vInf = p.vRest + p.tauM / p.cm * p.iOffset
    var largest = 0.0, moved = 0.0
    for k in 0..<1250 {
      chip.step(Int64(k))
      let n = Double(k + 1), t = n * h
      let euler = vInf + pow(a, n) * (v0 - vInf) + h / p.cm * w * (pow(a, n) - pow(q, n)) / (a - q)
      let exact = vInf + exp(-t / p.tauM) * (v0 - vInf) + w * p.tauM * p.tauSynE / (p.cm * (p.tauSynE - p.tauM)) * (exp(-t / p.tauSynE) - exp(-t / p.tauM))
      #expect(abs(chip.neurons.membrane(0) - euler) < 1e-9, "step \(k): \(chip.neurons.membrane(0)) vs Euler \(euler)")
      largest = max(largest, abs(chip.neurons.membrane(0) - exact))
      moved = max(moved, abs(chip.neurons.membrane(0) - v0))
    }
    #expect(largest < 0.01, "largest difference from the exact solution: \(largest) mV")
    #expect(moved > 5 && chip.spikeNeurons.isEmpty && chip.synapticEvents == 1)
  }

  /// AdEx (current-based, defaults, I_offset = 0.5 nA, subthreshold), mismatch off, against the ideal
  /// chip's RK4 AdEx for the same parameters and the same step (8 µs bio): 20 ms apart by at most
  /// 2.6e-3 mV (the chip's Euler error), while V climbs by 14.7 mV.
  @Test func adexTracksTheIdealChip() throws {
    var p = AdExParameters()
    p.iOffset = 0.5
    let population = Population(label: "cells", size: 1, cellType: .adexCurrExp(p))
    let system = Self.ideal
    var chip = Self.chip([population], system: system)
    let network = Network(name: "ideal", populations: [population])
    var ideal = try IdealChip(index: 0, slices: [Slice(population: 0, first: 0, count: 1, chip: 0, chipOffset: 0)],
                              generator: try SynapseGenerator(network: network, seed: 1), dt: system.dt, maximumTransitSteps: 0)
    var largest = 0.0
    for k in 0..<2500 {
      chip.step(Int64(k))
      ideal.step(Int64(k))
      largest = max(largest, abs(chip.neurons.membrane(0) - ideal.v[0]))
    }
    #expect(largest < 0.005, "largest difference \(largest) mV")
    #expect(ideal.v[0] - p.vRest > 14 && chip.spikeNeurons.isEmpty)
  }

  /// Mismatch on (calibrated spreads): a logical neuron of 2 circuits at column 4 of chip 2 takes
  /// the mean of the draws of circuits 4 and 5 (seed, chip 2); its leak moves by spread · draw, and a
  /// 6-bit weight (37 LSB of 0.05/63 nA) reaches its synapse scaled by the gain 1 + spread · draw.
  /// With mismatch off the same weight arrives exactly.
  @Test(arguments: [false, true])
  func sixBitWeightReachesTheSynapseScaledByTheGain(mismatch: Bool) {
    var system = BrainScaleS2System()
    system.mismatchEnabled = mismatch
    let lsb = Float(0.05 / 63), w = 37 * lsb
    var p = LIFParameters()
    p.tauSynE = 5
    let population = Population(label: "cells", size: 1, cellType: .ifCurrExp(p))
    var chip = Self.chip([population], columns: [4], circuits: 2, entries: [Entry(source: 0, input: 8, bus: 0, targets: [(0, w)])],
                         system: system, index: 2, seed: 11)
    let draw = FixedPatternNoise.mean([FixedPatternNoise.draw(seed: 11, chip: 2, circuit: 4), FixedPatternNoise.draw(seed: 11, chip: 2, circuit: 5)])
    let spread = system.mismatch.calibrated
    let gain = mismatch ? max(0, 1 + spread.synapticGain * draw.synapticGain) : 1
    #expect(chip.neurons.gain[0] == gain)
    #expect(chip.neurons.vLeak[0] == p.vRest + (mismatch ? spread.leak * draw.leak : 0))
    #expect(chip.neurons.tauM[0] == p.tauM * (mismatch ? max(0.05, 1 + spread.tauM * draw.tauM) : 1))
    chip.receive(cell: 0, time: 0)
    chip.step(0)
    let tauSyn = p.tauSynE * (mismatch ? max(0.05, 1 + spread.tauSyn * draw.tauSynE) : 1)
    #expect(abs(chip.neurons[.synE, 0] - Double(w) * gain * exp(-system.dt / tauSyn)) < 1e-15)
    #expect(mismatch == (gain != 1))
  }

  /// PADI arbitration: a bus takes one event per 8 ns cycle. Two sources on different L2 channels
  /// (crossbar inputs 8 and 9) whose events reach bus 0 in the same cycle: the second (the higher
  /// input) is dropped, counted on its input and on the bus. One cycle apart, both pass.
  @Test(arguments: [HardwareTime(0), 8000])
  func eventsMeetingOnAPADIBusInOneCycleAreDropped(secondAt time: HardwareTime) {
    let cells = Population(label: "cells", size: 1, cellType: .ifCurrExp(LIFParameters()))
    var chip = Self.chip(sources: 2, [cells], entries: [Entry(source: 0, input: 8, bus: 0, targets: [(0, 0.1)]),
                                                        Entry(source: 1, input: 9, bus: 0, targets: [(0, 0.2)])], system: Self.ideal)
    chip.receive(cell: 1, time: time)
    chip.receive(cell: 0, time: 0)
    chip.step(0)
    chip.step(1)
    if time == 0 {
      #expect(chip.inputDrops[9] == 1 && chip.outputDrops[0] == 1 && chip.inputDrops.reduce(0, +) == 1)
      #expect(chip.outputEvents[0] == 1 && chip.synapticEvents == 1 && chip.totalDrops == 1)
    } else {
      #expect(chip.totalDrops == 0 && chip.outputEvents[0] == 2 && chip.synapticEvents == 2)
    }
    let q = exp(-Self.ideal.dt / LIFParameters().tauSynE), w0 = Double(Float(0.1)), w1 = Double(Float(0.2))
    let expected = time == 0 ? w0 * q * q : w0 * q * q + w1 * q
    #expect(abs(chip.neurons[.synE, 0] - expected) < 1e-15)
  }

  /// Two sources on one L2 channel in one cycle: the FPGA sends the second in the next cycle, so
  /// both pass and the second acts one step later; with no FPGA buffer it is dropped as late.
  @Test(arguments: [Int64(125), 0])
  func eventsOnOneL2ChannelAreSerialised(bufferCycles: Int64) {
    var system = Self.ideal
    system.fpgaBufferCycles = bufferCycles
    let cells = Population(label: "cells", size: 1, cellType: .ifCurrExp(LIFParameters()))
    var chip = Self.chip(sources: 2, [cells], entries: [Entry(source: 0, input: 8, bus: 0, targets: [(0, 0.125)]),
                                                        Entry(source: 1, input: 8, bus: 1, targets: [(0, 0.25)])], system: system)
    chip.receive(cell: 0, time: 0)
    chip.receive(cell: 1, time: 0)
    chip.step(0)
    let q = exp(-system.dt / LIFParameters().tauSynE)
    #expect(abs(chip.neurons[.synE, 0] - 0.125 * q) < 1e-15, "only the first in step 0")
    chip.step(1)
    if bufferCycles > 0 {
      #expect(chip.totalDrops == 0 && chip.synapticEvents == 2)
      #expect(abs(chip.neurons[.synE, 0] - (0.125 * q * q + 0.25 * q)) < 1e-15, "the second in step 1")
    } else {
      #expect(chip.lateDrops[0] == 1 && chip.totalDrops == 1 && chip.synapticEvents == 1)
    }
  }

  /// Without `arbitration`: three sources whose events meet on PADI bus 0 (inputs 8 and 9) and on
  /// L2 channel 0 (sources 0 and 2) in one cycle all reach the synapses in step 0, none dropped.
  @Test func withoutArbitrationEveryEventPasses() {
    var system = Self.ideal
    system.without = [BrainScaleS2System.Effect.arbitration.rawValue]
    let cells = Population(label: "cells", size: 1, cellType: .ifCurrExp(LIFParameters()))
    var chip = Self.chip(sources: 3, [cells], entries: [Entry(source: 0, input: 8, bus: 0, targets: [(0, 0.125)]),
                                                        Entry(source: 1, input: 9, bus: 0, targets: [(0, 0.25)]),
                                                        Entry(source: 2, input: 8, bus: 1, targets: [(0, 0.5)])], system: system)
    for cell in 0..<3 { chip.receive(cell: UInt32(cell), time: 0) }
    chip.step(0)
    let q = exp(-system.dt / LIFParameters().tauSynE)
    #expect(chip.totalDrops == 0 && chip.synapticEvents == 3 && chip.outputEvents[0] == 2 && chip.outputEvents[1] == 1)
    #expect(abs(chip.neurons[.synE, 0] - 0.875 * q) < 1e-15, "all three in step 0")
  }

  /// Without `mismatch` the circuits take their nominal parameters, as with `[mismatch] enabled = false`.
  @Test func withoutMismatchIsMismatchOff() {
    let population = Population(label: "cells", size: 4, cellType: .ifCurrExp(LIFParameters()))
    var without = BrainScaleS2System()
    without.without = [BrainScaleS2System.Effect.mismatch.rawValue]
    let a = Self.chip([population], system: without, seed: 5), b = Self.chip([population], system: Self.ideal, seed: 5)
    let c = Self.chip([population], system: BrainScaleS2System(), seed: 5)
    #expect(a.neurons.vLeak == b.neurons.vLeak && a.neurons.tauM == b.neurons.tauM && a.neurons.gain == b.neurons.gain
              && a.neurons.vThreshold == b.neurons.vThreshold)
    #expect(a.neurons.gain == [1, 1, 1, 1] && c.neurons.gain != a.neurons.gain)
  }

  /// Neuron events: two neurons of event output 0 (columns 0 and 1) fire at the same time and their
  /// events reach bus 0 through crossbar node 0 → 0 in one cycle (40 ns later): one passes, one is
  /// dropped on input 0. A third neuron (column 32, event output 1, node 1 → 1) crosses threshold
  /// inside the step at the fraction (V_th − V0)/(V1 − V0) of the Euler step, stamped with it, and
  /// passes on bus 1.
  @Test func neuronEventsOfOneOutputInOneCycleCollide() {
    var lockstep = LIFParameters()
    lockstep.tauRefrac = 5
    var late = lockstep
    late.cm = 0.2; late.iOffset = 5
    var a = Population(label: "lockstep", size: 2, cellType: .ifCurrExp(lockstep))
    a.initialVoltages = [-49.9, -49.9]
    var b = Population(label: "late", size: 1, cellType: .ifCurrExp(late))
    b.initialVoltages = [-50.05]
    let system = Self.ideal
    var chip = Self.chip([a, b], columns: [0, 1, 32], nodes: [CrossbarNode(input: 0, output: 0, mask: 0, match: 0),
                                                              CrossbarNode(input: 1, output: 1, mask: 0, match: 0)], system: system)
    chip.step(0)
    let h = system.dt, v0 = -50.05
    let v1 = v0 + h / late.cm * (late.cm / late.tauM * (late.vRest - v0) + late.iOffset)
    let fraction = (late.vThresh - v0) / (v1 - v0)
    #expect(fraction > 0 && fraction < 1)
    #expect(chip.spikeNeurons == [0, 1, 2])
    #expect(chip.spikeTimes == [0, 0, HardwareTime((fraction * 8000).rounded())])
    for k in 1..<10 { chip.step(Int64(k)) }
    #expect(chip.outputEvents[0] == 1 && chip.inputDrops[0] == 1 && chip.outputDrops[0] == 1)
    #expect(chip.outputEvents[1] == 1 && chip.inputDrops[1] == 0)
    #expect(chip.spikeNeurons.isEmpty, "refractory")
  }
}
