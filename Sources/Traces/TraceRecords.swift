/// What the chips of one rank recorded in a window, in step order: spikes, membrane sample rows
/// and `/fabric/series` rows, in plain arrays. A family fills it while it steps; the window loop
/// hands it to the rank's `TraceSink` once per window.
public struct TraceRecords: Sendable {
  public private(set) var spikePopulation: [Int] = []
  public private(set) var spikeTime: [Double] = []
  public private(set) var spikeNode: [UInt64] = []
  /// Per population: rows of samples, one value per sampled node, concatenated.
  public private(set) var samples: [[Float]]
  /// Rows of the series (one value per owned link), concatenated.
  public private(set) var seriesPackets: [UInt64] = []
  public private(set) var seriesDrops: [UInt64] = []
  public private(set) var seriesRows = 0

  public init(populations: Int) {
    samples = Array(repeating: [], count: populations)
  }

  /// One spike of population `p` (times in ms, in nondecreasing order per population).
  @inline(__always)
  public mutating func spike(population p: Int, time: Double, node: UInt64) {
    spikePopulation.append(p)
    spikeTime.append(time)
    spikeNode.append(node)
  }

  /// One row of membrane samples of population `p`.
  public mutating func samples<C: Collection<Float>>(population p: Int, _ values: C) {
    samples[p].append(contentsOf: values)
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
