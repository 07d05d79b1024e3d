import Fabric
import Foundation
@testable import Hardware
import Model
import Testing

/// One BrainScaleS-1 HICANN built from a hand-made configuration: a denmem neuron with mismatch off
/// against the Euler closed form and the exact solution, a 4-bit weight applied as configured, the
/// mismatch draws of its denmems, and the L1 bus merger that holds one event and loses the next.
@Suite struct BrainScaleS1HICANNTests {
  /// `sources` spike-array cells (cells 0…) and `cells`; every neuron a logical neuron of `denmems`
  /// denmems on HICANN `index`, columns 0, 2, 4, …, sending on `bus` (or none); `input` its synapses.
  static func hicann(sources: Int = 1, _ cells: Population, input: HICANNInput = HICANNInput(), bus: Int32? = nil,
                     system: BrainScaleS1System, index: Int = 0, column: Int = 0, seed: UInt64 = 1) -> BrainScaleS1HICANN {
    let network = Network(name: "unit", populations: [
      Population(label: "sources", size: sources, cellType: .spikeSourceArray(times: [[1000]])), cells,
    ])
    #expect(network.validate().isEmpty)
    let neurons = (0..<cells.size).map {
      BrainScaleS1LogicalNeuron(population: 1, index: $0, hicann: index, column: column + $0 * system.denmemsPerNeuron / 2, denmems: system.denmemsPerNeuron)
    }
    let configuration = HICANNConfiguration(neurons: neurons, cells: (0..<cells.size).map { sources + $0 }, input: input,
                                            remoteInputBuses: neurons.map { _ in [] }, buses: bus.map { [$0] } ?? [],
                                            busOfNeuron: neurons.map { _ in bus ?? -1 }, playedIn: [])
    return BrainScaleS1HICANN(index: index, configuration: configuration, system: system, network: network, seed: seed)
  }

  /// The synapses of source cell 0 onto neuron 0 over one bus: a 4-bit weight `q` LSB of `lsb`.
  static func input(q: Int, lsb: Double) -> HICANNInput {
    var input = HICANNInput()
    input.entrySource = [0]
    input.entryBus = [3]
    input.entryHops = [1]
    input.targetStart = [0, 1]
    input.targetNeuron = [0]
    input.targetWeight = [Float(Double(q) * lsb)]
    return input
  }

  static var noMismatch: BrainScaleS1System {
    var s = BrainScaleS1System()
    s.mismatchEnabled = false
    return s
  }

  /// LIF, mismatch off, h = 1 ns × 10^4 = 10 µs bio: a synaptic event of 11 LSB (4-bit weight, LSB
  /// 0.4/15 nA) at t = 0 and a DC offset. With a = 1 − h/τ_m, q = e^(−h/τ_syn), V∞ = E_L + τ_m/C · I_offset,
  ///   V_n − V∞ = a^n (V0 − V∞) + h/C · w (a^n − q^n) / (a − q)
  /// and the exact solution is within Euler's global error, which peaks at 9.1e-3 mV over these 10 ms.
  @Test func denmemNeuronFollowsTheEulerClosedFormAndTheExactSolution() {
    var p = LIFParameters()
    p.cm = 0.2; p.tauM = 10; p.tauSynE = 2; p.vRest = -65; p.vThresh = -40; p.iOffset = 0.3
    let v0 = -60.0, lsb = 0.4 / 15, w = Double(Float(11 * lsb))
    var cells = Population(label: "cells", size: 1, cellType: .ifCurrExp(p))
    cells.initialVoltages = [v0]
    let system = Self.noMismatch
    var hicann = Self.hicann(cells, input: Self.input(q: 11, lsb: lsb), system: system)
    let h = system.dt
    #expect(abs(h - 0.01) < 1e-15)
    #expect(hicann.neurons.gain[0] == 1 && hicann.neurons.vLeak[0] == p.vRest && hicann.neurons.tauM[0] == p.tauM)
    hicann.receive(cell: 0, time: 0)
    hicann.receive(cell: 9, time: 0)  // no entry: ignored
    let a = 1 - h / p.tauM, q = exp(-h / p.tauSynE), vInf = p.vRest + p.tauM / p.cm * p.iOffset
    var largest = 0.0
    for k in 0..<1000 {
      hicann.step(Int64(k))
      let n = Double(k + 1), t = n * h
      let euler = vInf + pow(a, n) * (v0 - vInf) + h / p.cm * w * (pow(a, n) - pow(q, n)) / (a - q)
      let exact = vInf + exp(-t / p.tauM) * (v0 - vInf) + w * p.tauM * p.tauSynE / (p.cm * (p.tauSynE - p.tauM)) * (exp(-t / p.tauSynE) - exp(-t / p.tauM))
      #expect(abs(hicann.neurons.membrane(0) - euler) < 1e-9, "step \(k): \(hicann.neurons.membrane(0)) vs Euler \(euler)")
      largest = max(largest, abs(hicann.neurons.membrane(0) - exact))
    }
    #expect(largest < 0.0125, "largest difference from the exact solution: \(largest) mV")
    #expect(hicann.synapticEvents == 1 && hicann.spikeNeurons.isEmpty)
  }

  /// A synaptic event takes effect in the first step whose start is at or after its arrival: one
  /// arriving 1.5 ns into the run (step 1 starts at 1 ns, step 2 at 2 ns) acts in step 2. An
  /// inhibitory (negative) weight goes to the inhibitory input, without its sign.
  @Test func eventActsInTheStepAfterItArrives() {
    var input = Self.input(q: 15, lsb: 0.01)
    input.targetWeight = [-0.15]
    var hicann = Self.hicann(Population(label: "cells", size: 1, cellType: .ifCurrExp(LIFParameters())), input: input, system: Self.noMismatch)
    hicann.receive(cell: 0, time: 1500)
    hicann.step(0)
    hicann.step(1)
    #expect(hicann.neurons[.synI, 0] == 0 && hicann.synapticEvents == 0)
    hicann.step(2)
    #expect(hicann.synapticEvents == 1)
    #expect(hicann.neurons[.synI, 0] == Double(Float(0.15)) * exp(-Self.noMismatch.dt / LIFParameters().tauSynI))
    #expect(hicann.neurons[.synE, 0] == 0)
  }

  /// Mismatch on (BrainScaleS-1's calibrated spreads): a logical neuron of 4 denmems at column 6
  /// of HICANN 385 (wafer 1, HICANN 1) takes the mean draw of circuits 12…15 (column × 2 + denmem)
  /// of stream group 385; the refractory period is the programmed one in steps.
  @Test func denmemsAverageTheirDraws() {
    var system = BrainScaleS1System()
    system.wafers = 2
    var p = LIFParameters()
    p.tauRefrac = 0.5
    let hicann = Self.hicann(Population(label: "cells", size: 1, cellType: .ifCurrExp(p)), system: system, index: 385, column: 6, seed: 3)
    let d = FixedPatternNoise.mean((12..<16).map { FixedPatternNoise.draw(seed: 3, chip: 385, circuit: $0) })
    let s = FixedPatternNoise.Spreads.brainScaleS1.calibrated
    #expect(hicann.neurons.vLeak[0] == p.vRest + s.leak * d.leak)
    #expect(hicann.neurons.vThreshold[0] == p.vThresh + s.threshold * d.threshold)
    #expect(hicann.neurons.gain[0] == max(0, 1 + s.synapticGain * d.synapticGain))
    #expect(hicann.neurons[.refractorySteps, 0] == 50)
  }

  /// The L1 bus: an event holds it for one word (8 ns); the merger in front holds `merger_buffer`
  /// events that find it busy and loses the rest. Three neurons on one bus fire in the same step
  /// (fraction 0, at t = 0); their events take the bus in step 1 at 0, 8 and 16 ns while the buffer
  /// has room: with a buffer of 1 the third is lost, with 0 the second and third, with 2 none.
  /// Without `collisions` the merger holds every event: with a buffer of 0 all three pass.
  @Test(arguments: [(1, false, 2), (0, false, 1), (2, false, 3), (0, true, 3)])
  func busMergerHoldsThenLoses(buffer: Int, withoutCollisions: Bool, passing: Int) {
    var system = Self.noMismatch
    system.l1.mergerBuffer = buffer
    if withoutCollisions { system.without = ["collisions"] }
    var p = LIFParameters()
    p.tauRefrac = 5
    var cells = Population(label: "cells", size: 3, cellType: .ifCurrExp(p))
    cells.initialVoltages = [-49, -49, -49]
    var hicann = Self.hicann(cells, bus: 7, system: system)
    hicann.step(0)
    #expect(hicann.spikeNeurons == [0, 1, 2] && hicann.spikeTimes == [0, 0, 0])
    hicann.step(1)
    #expect(hicann.passed.map(\.bus) == [Int32](repeating: 7, count: passing))
    #expect(hicann.passed.map(\.cell) == Array([UInt32(1), 2, 3].prefix(passing)))
    #expect(hicann.passed.map(\.time) == Array([HardwareTime(0), 8000, 16000].prefix(passing)))
    #expect(hicann.busEvents == [UInt64(passing)] && hicann.collisions == [UInt64(3 - passing)])
  }

  /// The FPGA link takes one input per slot (1/17.8 MHz = 56.18 ns) and drops an event that would
  /// wait longer than `buffer_ns` (1 µs) as late: of 40 events arriving together the first 18 wait
  /// 0…955 ns and take the bus, 22 are late. Without `collisions` all 40 wait their slot.
  @Test(arguments: [(false, 18), (true, 40)])
  func fpgaInputDropsLateEventsUnlessCollisionsAreOff(off: Bool, passing: Int) {
    var system = Self.noMismatch
    if off { system.without = ["collisions"] }
    var hicann = Self.hicann(Population(label: "cells", size: 1, cellType: .ifCurrExp(LIFParameters())), bus: 7, system: system)
    for _ in 0..<40 { hicann.receiveFromFPGA(bus: 7, cell: 0, time: 0) }
    var times: [HardwareTime] = []
    for k in 0..<2400 {
      hicann.step(Int64(k))
      times += hicann.passed.map(\.time)
    }
    #expect(hicann.lateInput == UInt64(40 - passing) && hicann.busEvents == [UInt64(passing)] && hicann.collisions == [0])
    #expect(times == (0..<passing).map { HardwareTime($0) * 56180 })
  }

  /// `--without mismatch` builds the denmems `[mismatch] enabled = false` builds: nominal, where the
  /// calibrated mismatch moves them.
  @Test func withoutMismatchIsTheSystemsMismatchOff() {
    var p = LIFParameters()
    p.tauRefrac = 0.5
    let cells = Population(label: "cells", size: 4, cellType: .ifCurrExp(p))
    var without = BrainScaleS1System(), off = BrainScaleS1System()
    without.without = ["mismatch"]
    off.mismatchEnabled = false
    let a = Self.hicann(cells, system: without, index: 5, seed: 3), b = Self.hicann(cells, system: off, index: 5, seed: 3)
    let on = Self.hicann(cells, system: BrainScaleS1System(), index: 5, seed: 3)
    #expect(a.neurons.vLeak == b.neurons.vLeak && a.neurons.vThreshold == b.neurons.vThreshold && a.neurons.gain == b.neurons.gain
              && a.neurons.tauM == b.neurons.tauM)
    #expect(a.neurons.vLeak == [Double](repeating: p.vRest, count: 4) && a.neurons.gain == [1, 1, 1, 1])
    #expect(on.neurons.vLeak != a.neurons.vLeak)
  }
}
