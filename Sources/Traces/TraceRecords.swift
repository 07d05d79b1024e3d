/// What the chips of one rank recorded in a window, in step order: spikes, membrane sample rows
/// and `/fabric/series` rows, in plain arrays. A family fills it while it steps, reading its
/// neurons when the `SampleSchedule` asks; the window loop hands it to the rank's `TraceSink` once
/// per window.
public struct TraceRecords: Sendable {
  public private(set) var spikePopulation: [Int] = []
  public private(set) var spikeTime: [Double] = []
  public private(set) var spikeNode: [UInt64] = []
  /// Per population: rows of samples, one value per sampled node, concatenated.
  public private(set) var samples: [[Float]]
  public let schedule: SampleSchedule
  /// Per population: the run's sample row that the window's first row is.
  private var firstRow: [Int64]
  /// Rows of the series (one value per owned link), concatenated.
  public private(set) var seriesPackets: [UInt64] = []
  public private(set) var seriesDrops: [UInt64] = []
  public private(set) var seriesRows = 0

  public init(schedule: SampleSchedule) {
    self.schedule = schedule
    samples = Array(repeating: [], count: schedule.steps.count)
    firstRow = Array(repeating: 0, count: schedule.steps.count)
  }

  /// Records nothing but spikes and series.
  public init(populations: Int) { self.init(schedule: SampleSchedule(populations: populations)) }

  /// Makes room for the sample rows due in `window` (steps), before the family steps through it.
  public mutating func start(_ window: Range<Int64>) {
    for p in samples.indices where schedule.columns[p] > 0 {
      firstRow[p] = schedule.row(p, from: window.lowerBound)
      let rows = max(0, schedule.row(p, from: window.upperBound) - firstRow[p])
      samples[p].removeAll(keepingCapacity: true)
      samples[p].append(contentsOf: repeatElement(0, count: Int(rows) * schedule.columns[p]))
    }
  }

  /// After step k of a family that steps all its chips in lockstep: reads every sampled neuron
  /// whose population is due, `read(chip, neuron)`.
  public mutating func sample(step k: Int64, _ read: (_ chip: Int, _ neuron: Int) -> Float) {
    guard samples.indices.contains(where: { schedule.isDue($0, step: k) }) else { return }
    for i in schedule.population.indices where schedule.isDue(schedule.population[i], step: k) {
      store(i, step: k, read(schedule.chip[i], schedule.neuron[i]))
    }
  }

  /// After step k of `chip` (a family that steps chip by chip): reads its sampled neurons whose
  /// population is due, `read(neuron)`.
  public mutating func sample(step k: Int64, chip: Int, _ read: (_ neuron: Int) -> Float) {
    guard let sites = schedule.sitesOfChip[chip] else { return }
    for i in sites where schedule.isDue(schedule.population[i], step: k) { store(i, step: k, read(schedule.neuron[i])) }
  }

  @inline(__always)
  private mutating func store(_ i: Int, step k: Int64, _ value: Float) {
    let p = schedule.population[i], row = Int((k + 1) / schedule.steps[p] - firstRow[p])
    samples[p][row * schedule.columns[p] + schedule.column[i]] = value
  }

  /// One spike of population `p` (times in ms, in nondecreasing order per population).
  @inline(__always)
  public mutating func spike(population p: Int, time: Double, node: UInt64) {
    spikePopulation.append(p)
    spikeTime.append(time)
    spikeNode.append(node)
  }

  /// One row of the series: per owned link, packets and drops in the interval.
  public mutating func series(packets: [UInt64], drops: [UInt64]) {
    seriesPackets.append(contentsOf: packets)
    seriesDrops.append(contentsOf: drops)
    seriesRows += 1
  }

  public var spikeCount: Int { spikeNode.count }

  public mutating func removeAll() {
    spikePopulation.removeAll(keepingCapacity: true)
    spikeTime.removeAll(keepingCapacity: true)
    spikeNode.removeAll(keepingCapacity: true)
    for p in samples.indices { samples[p].removeAll(keepingCapacity: true) }
    seriesPackets.removeAll(keepingCapacity: true)
    seriesDrops.removeAll(keepingCapacity: true)
    seriesRows = 0
  }
}
