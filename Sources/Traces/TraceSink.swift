/// Where one rank's records go (docs/design-notes.md §8): the HDF5 rank file (`RankTraceWriter`) in a
/// run, `MemoryTraceSink` in tests. Appends arrive once per window; `flush` makes what was
/// appended survive a killed run.
public protocol TraceSink: AnyObject {
  /// Where the records go, for error messages.
  var path: String { get }
  func append(_ records: TraceRecords) throws
  /// Makes what was appended, up to bio time `reached` (ms), survive a killed run.
  func flush(reached: Double) throws
  /// Ends the rank's records with its fabric totals and identity attributes.
  func finish(fabric: FabricTotals, attributes: [String: Int64]) throws
  /// Spikes appended per population (0 where spikes are not recorded).
  var spikeCounts: [Int] { get }
  /// Rows of membrane samples appended per population.
  var sampleRows: [Int] { get }
  var seriesRows: Int { get }
}

/// Where a run's records go: one sink per rank, then (rank 0) the run's master file over them.
public protocol TraceOutput {
  /// Prepares the output (rank 0, before the chips load): nil, or why it cannot be written. An
  /// output that holds an earlier run is refused unless `overwrite`, which removes that run first.
  func prepare(overwrite: Bool) -> String?
  /// The sink of `rank`, its file marked with the run's `header`.
  func makeSink(rank: Int, populations: [RecordedPopulation], seriesColumns: Int, header: RunHeader) throws -> TraceSink
  /// Writes the master file from the layout of the rank sinks; `provenance` and `extra` fill
  /// `/provenance` and family groups (`/mapping`, `/energy`).
  func writeMaster(layout: TraceLayout, provenance: (HDF5Group) throws -> Void, extra: (HDF5Group) throws -> Void) throws
  /// The master file's path, as reported to the user.
  var masterPath: String { get }
}

/// Keeps a rank's records in memory (for tests): what a run would have written, without files.
public final class MemoryTraceSink: TraceSink {
  public let path: String
  public let populations: [RecordedPopulation]
  public private(set) var spikes: [[(time: Double, node: UInt64)]]
  public private(set) var samples: [[Float]]
  public private(set) var seriesPackets: [UInt64] = []
  public private(set) var seriesRows = 0
  public private(set) var fabric: FabricTotals?
  public private(set) var flushes = 0

  public init(path: String, populations: [RecordedPopulation]) {
    self.path = path
    self.populations = populations
    spikes = populations.map { _ in [] }
    samples = populations.map { _ in [] }
  }

  public func append(_ records: TraceRecords) throws {
    for i in 0..<records.spikeCount where populations[records.spikePopulation[i]].recordsSpikes {
      spikes[records.spikePopulation[i]].append((records.spikeTime[i], records.spikeNode[i]))
    }
    for p in records.samples.indices { samples[p] += records.samples[p] }
    seriesPackets += records.seriesPackets
    seriesRows += records.seriesRows
  }

  public func flush(reached: Double) throws { flushes += 1 }

  public func finish(fabric: FabricTotals, attributes: [String: Int64]) throws { self.fabric = fabric }

  public var spikeCounts: [Int] { spikes.map(\.count) }
  public var sampleRows: [Int] {
    zip(samples, populations).map { $1.sampledNodes.isEmpty ? 0 : $0.count / $1.sampledNodes.count }
  }
}

/// Keeps every rank's records in memory; the master file becomes the layout it would have had.
public final class MemoryTraceOutput: TraceOutput {
  public private(set) var sinks: [Int: MemoryTraceSink] = [:]
  public private(set) var layout: TraceLayout?

  public init() {}

  public func prepare(overwrite: Bool) -> String? { nil }

  public func makeSink(rank: Int, populations: [RecordedPopulation], seriesColumns: Int, header: RunHeader) throws -> TraceSink {
    let sink = MemoryTraceSink(path: "memory:rank-\(rank)", populations: populations)
    sinks[rank] = sink
    return sink
  }

  public func writeMaster(layout: TraceLayout, provenance: (HDF5Group) throws -> Void, extra: (HDF5Group) throws -> Void) throws {
    self.layout = layout
  }

  public var masterPath: String { "memory:trace" }
}
