import Testing
@testable import Hardware

/// The ring-buffer shift against sPyNNaker's rule worked by hand (spynnaker.cfg: 30 Hz, 5 sd):
/// smallest shift with 2^shift above the expected upper bound of one slot's input.
@Suite struct RingBufferShiftTests {
  /// 100 synapses onto each of 4 targets at `weight`, delays 1 and 2 ticks (varying) or all 1.
  func shifts(weight: Double, delaysVary: Bool, rate: Double = 30, tick: Double = 0.1, type: Int = 0) -> [Int32] {
    var shift = RingBufferShift(targets: 4)
    for t in 0..<4 {
      for k in 0..<100 {
        shift.add(projection: 0, type: type, rate: rate, target: t, weight: weight, delay: delaysVary && k % 2 == 1 ? 2 : 1)
      }
    }
    return shift.shifts(tick: tick, policy: RingBufferPolicy())
  }

  @Test(arguments: [
    // λ = 100 · 30 Hz · 0.1 ms = 0.3 spikes per slot; bound = 0.3 w + 5 √(0.3 w²) = 3.039 w.
    (0.1, true, Int32(0)),   // 0.304: 2^0 = 1 above it
    (1.0, true, Int32(2)),   // 3.04: 2^2 = 4
    (2.0, true, Int32(3)),   // 6.08: 2^3 = 8
    // Equal delays: every source in one slot, 100 w.
    (1.0, false, Int32(7)),  // 100: 2^7 = 128
    (0.04, false, Int32(3)), // 4.0 exactly: 2^2 is not above it, so 3
  ])
  func shiftIsTheSmallestPowerAboveTheBound(weight: Double, delaysVary: Bool, expected: Int32) {
    #expect(shifts(weight: weight, delaysVary: delaysVary) == [expected, 0])
    #expect(shifts(weight: weight, delaysVary: delaysVary, type: 1) == [0, expected])
  }

  @Test func aKnownRateReplacesTheDefault() {
    // 3,000 Hz Poisson: λ = 30 per slot; bound = 30 + 5 √30 = 57.4 for w = 1: 2^6 = 64.
    #expect(shifts(weight: 1, delaysVary: true, rate: 3000) == [6, 0])
  }

  @Test func theLargestWeightIsTheLeastHeadroom() {
    var shift = RingBufferShift(targets: 1)
    shift.add(projection: 0, type: 0, rate: 0.001, target: 0, weight: 5, delay: 1)
    shift.add(projection: 0, type: 0, rate: 0.001, target: 0, weight: 5, delay: 2)
    #expect(shift.shifts(tick: 1, policy: RingBufferPolicy()) == [3, 0])  // 5: 2^3 = 8
  }
}
