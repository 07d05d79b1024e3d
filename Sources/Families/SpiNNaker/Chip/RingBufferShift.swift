import Foundation

/// What sPyNNaker assumes when it sizes a PE's ring buffers (spynnaker.cfg `[Simulation]`):
/// `spikes_per_second`, the rate of a source whose rate it does not know (every neuron population;
/// 30 Hz), and `ring_buffer_sigma`, the standard deviations of headroom above the mean input (5).
public struct RingBufferPolicy: Sendable, Equatable {
  public var spikesPerSecond = 30.0
  public var sigma = 5.0

  public init() {}
}

/// The left shift of a PE's 16-bit ring buffers per synapse type, chosen as sPyNNaker chooses it
/// (`synaptic_manager.py`, `_get_ring_buffer_to_input_left_shifts` and
/// `_ring_buffer_expected_upper_bound`): from every incoming projection its largest number of
/// synapses onto one neuron of the slice, its weights' mean, variance and maximum and its source's
/// rate, the input one slot can expect is the mean plus `sigma` standard deviations of a Poisson
/// sum, at most what every source spiking in one tick would give and at least the largest weight;
/// the shift is the smallest with 2^shift above it, so a slot holds up to twice that input.
/// sPyNNaker computes the weight-variance term as a truncated sum over the Poisson distribution;
/// λσ² here is that sum's limit.
struct RingBufferShift {
  private struct Incoming {
    var type: Int
    var rate: Double
    var perTarget: [Int32]
    var count = 0.0, sum = 0.0, sumOfSquares = 0.0, largest = 0.0
    var firstDelay = -1
    var delaysVary = false

    mutating func add(target t: Int, weight: Double, delay: Int) {
      perTarget[t] += 1
      count += 1
      sum += weight
      sumOfSquares += weight * weight
      largest = max(largest, weight)
      if firstDelay < 0 { firstDelay = delay } else if delay != firstDelay { delaysVary = true }
    }
  }

  private var incoming: [Int: Incoming] = [:]
  private let targets: Int

  init(targets: Int) { self.targets = targets }

  /// One synapse of `projection` (synapse type 0 excitatory, 1 inhibitory) onto target `t` of the
  /// slice, with |weight|, delay in ticks, and the source's rate as sPyNNaker would take it.
  /// In place: a copy taken out of the dictionary would copy `perTarget` for every synapse.
  mutating func add(projection: Int, type: Int, rate: Double, target t: Int, weight: Double, delay: Int) {
    incoming[projection, default: Incoming(type: type, rate: rate, perTarget: [Int32](repeating: 0, count: targets))]
      .add(target: t, weight: weight, delay: delay)
  }

  /// The shift of each synapse type, for a tick of `tick` ms.
  func shifts(tick: Double, policy: RingBufferPolicy) -> [Int32] {
    let ticksPerSecond = 1000 / tick
    return (0..<2).map { type in
      var n = 0.0, weightedMean = 0.0, weightedSecondMoment = 0.0, weightedRate = 0.0, total = 0.0, biggest = 0.0
      var delaysVary = false
      for p in incoming.values where p.type == type && p.count > 0 {
        let connections = Double(p.perTarget.max() ?? 0)
        let mean = p.sum / p.count, secondMoment = p.sumOfSquares / p.count
        n += connections
        weightedMean += mean * connections
        weightedSecondMoment += secondMoment * connections
        weightedRate += p.rate * connections
        total += max(1, p.rate / ticksPerSecond) * p.largest * connections
        biggest = max(biggest, p.largest)
        delaysVary = delaysVary || p.delaysVary
      }
      guard n > 0 else { return 0 }
      let mean = weightedMean / n, variance = max(0, weightedSecondMoment / n - mean * mean)
      let spikesPerTick = n * (weightedRate / n) / ticksPerSecond
      let bound = spikesPerTick * mean + policy.sigma * (spikesPerTick * (mean * mean + variance)).squareRoot()
      let needed = max(delaysVary ? min(bound, total) : total, biggest)
      guard needed > 0 else { return 0 }
      var shift = Int32(max(0, log2(needed).rounded(.up)))
      if pow(2, Double(shift)) <= needed { shift += 1 }
      return min(shift, 16)
    }
  }
}
