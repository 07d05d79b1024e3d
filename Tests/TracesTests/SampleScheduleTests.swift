import Testing
import Traces

/// The engine's sample rows: whatever the windows and whichever way a family reads its neurons,
/// population p gets one row per step k with (k + 1) % steps[p] == 0, in column order.
@Suite struct SampleScheduleTests {
  /// Population 0 every 3 steps from chips 7 and 2 (columns in the order given), population 1 every
  /// step from chip 7; the membrane of (chip, neuron) after step k is chip·1000 + neuron·10 + k.
  let schedule = SampleSchedule(steps: [3, 1, 4], sites: [(0, 7, 5), (0, 2, 1), (1, 7, 0), (0, 7, 9)])

  func membrane(_ chip: Int, _ neuron: Int, _ k: Int64) -> Float { Float(chip * 1000 + neuron * 10) + Float(k) }

  func expected(steps: Int64) -> [[Float]] {
    var rows: [[Float]] = [[], [], []]
    for k in 0..<steps {
      if (k + 1) % 3 == 0 { rows[0] += [membrane(7, 5, k), membrane(2, 1, k), membrane(7, 9, k)] }
      rows[1].append(membrane(7, 0, k))
    }
    return rows
  }

  /// The rows of 20 steps run in windows of `window` steps, `advance` stepping each window.
  func rows(window: Int64, _ advance: (inout TraceRecords, Range<Int64>) -> Void) -> [[Float]] {
    var records = TraceRecords(schedule: schedule)
    var rows: [[Float]] = [[], [], []]
    var k0: Int64 = 0
    while k0 < 20 {
      let k1 = min(20, k0 + window)
      records.start(k0..<k1)
      advance(&records, k0..<k1)
      for p in rows.indices { rows[p] += records.samples[p] }
      records.removeAll()
      k0 = k1
    }
    return rows
  }

  @Test(arguments: [1, 2, 3, 5, 7, 20] as [Int64])
  func lockstepFamiliesFillTheRowsOfAnyWindow(window: Int64) {
    #expect(schedule.columns == [3, 1, 0])
    let rows = rows(window: window) { records, window in
      for k in window { records.sample(step: k) { membrane($0, $1, k) } }
    }
    #expect(rows == expected(steps: 20))
  }

  /// A family that steps each chip through the whole window before the next (BrainScaleS-1's
  /// stretches) gets the same rows.
  @Test(arguments: [4, 9] as [Int64])
  func chipByChipFamiliesFillTheSameRows(window: Int64) {
    let rows = rows(window: window) { records, window in
      for chip in [7, 3, 2] {
        for k in window { records.sample(step: k, chip: chip) { membrane(chip, $0, k) } }
      }
    }
    #expect(rows == expected(steps: 20))
  }

  @Test func aScheduleWithoutSitesAsksForNothing() {
    var records = TraceRecords(populations: 2)
    records.start(0..<10)
    records.sample(step: 2) { _, _ in Issue.record("asked to read a neuron"); return 0 }
    #expect(records.samples == [[], []])
  }
}
