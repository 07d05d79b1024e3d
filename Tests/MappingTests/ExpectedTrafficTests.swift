import Hardware
import Mapping
import Model
import Testing

/// The rates every mapper plans with come from `ExpectedTraffic`: per neuron for spike arrays,
/// zero for a Poisson source that never runs, and the BrainScaleS-1 FPGA input budget uses them.
@Suite struct ExpectedTrafficTests {
  @Test func ratesPerNeuronAndPopulation() {
    let arrays = Population(label: "a", size: 2, cellType: .spikeSourceArray(times: [[1, 2, 3, 4], Array(stride(from: 10.0, through: 4000, by: 10))]))
    #expect(ExpectedTraffic.rate(of: arrays, neuron: 0, defaultRate: 7) == 4)  // 4 spikes over the 1 s floor
    #expect(ExpectedTraffic.rate(of: arrays, neuron: 1, defaultRate: 7) == 100)  // 400 spikes over 4 s
    let silent = Population(label: "p", size: 3, cellType: .poissonSource(rate: 80, start: 200, stop: 200))
    let running = Population(label: "q", size: 3, cellType: .poissonSource(rate: 80, start: 0, stop: 200))
    let neurons = Population(label: "n", size: 3, cellType: .ifCondExp(LIFParameters()))
    var guessed = neurons
    guessed.expectedRate = 3
    let network = Network(name: "rates", populations: [arrays, silent, running, neurons, guessed])
    let traffic = ExpectedTraffic(network: network, defaultRate: 7)
    #expect(traffic.rates == [52, 0, 80, 7, 3])
  }

  /// 200 sources at 100 Hz onto one reticle exceed its FPGA's input rate (1.25e8 events/s at speed-up
  /// 1e4), so synapses are lost for want of an input bus; the same sources stopped before they start
  /// cost no input and lose nothing.
  @Test(arguments: [UInt64(1), 4, 9])
  func fpgaInputBudgetUsesTheExpectedRates(seed: UInt64) throws {
    func inputLoss(start: Double) throws -> Int {
      let network = Network(name: "drive", populations: [
        Population(label: "drive", size: 200, cellType: .poissonSource(rate: 100, start: start, stop: 500)),
        Population(label: "n", size: 20, cellType: .ifCondExp(LIFParameters())),
      ], projections: [
        Projection(label: "drive->n", pre: "drive", post: "n", receptor: .excitatory, connector: .allToAll,
                   weight: .constant(0.01), delay: .constant(1)),
      ])
      let mapping = try BrainScaleS1Mapping(network: network, system: BrainScaleS1System(), seed: seed)
      return mapping.loss.reduce(0) { $0 + ($1.lost[BrainScaleS1Mapping.LossCause.input.rawValue] ?? 0) }
    }
    #expect(try inputLoss(start: 0) > 0)
    #expect(try inputLoss(start: 500) == 0)
  }
}
