import Fabric
import Hardware
import Mapping
import Model
import Traces

/// A chip family (docs/design-notes.md §6): how its topology tables read, how a network maps onto its
/// chips, and what the chips one rank owns do window by window. `FamilyRegistry` lists the
/// families; no other place outside a family's folder names one.
public protocol Family: Sendable {
  /// The systems its topology reader makes; the registry hands the family only its own.
  associatedtype System: SystemDescription
  /// The `family` values of a topology's `[system]` table that this family reads.
  var names: [String] { get }
  /// What a run on this family does, for `run --help`.
  var summary: String { get }
  /// Shorthands for `bench --system`: a keyword, its topology file and the placer bench uses.
  var benchSystems: [BenchSystem] { get }
  /// The `--placer` strategies its mapper follows; any other is refused by name.
  var placers: [PlacementStrategy] { get }
  /// The `[system]` key that sets the step of a digital family (PyNN's timestep sets it, as
  /// sPyNNaker's setup does); nil for families that integrate continuous time.
  var stepKey: String? { get }
  /// The effects of its hardware that a run can switch off (`--without`), each with what "off" means.
  var effects: [HardwareEffect] { get }
  /// The columns of its `/fabric` tables that name a row (chip, coordinates, slice) rather than count.
  var labelColumns: [String] { get }
  /// Reads the family's tables of a topology file; `name` is the `family` value. Problems go to `doc`.
  func readSystem(_ doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section,
                  name: String) -> SystemDescription
  /// `network` as the family's chips realise it (NIR neurons as analog circuits), and what they
  /// cannot realise of it. The registry realises once, before `check`, `map` and `loadMapping`, which
  /// get the realised network. Populations keep their order and spike sources stay as they are, so a
  /// source may be given other spike trains in the realised network (infer's trials).
  func realise(_ network: Network) -> (network: Network, problems: [String])
  /// Partitions, places and routes `network` (realised) on `system` (one of this family's).
  func map(_ network: Network, onto system: System, options: MapOptions) throws -> any FamilyMapping
  /// The mapping that `FamilyMapping.encodedState` gave, for `network` (realised) on `system`.
  func loadMapping(_ state: [UInt8], network: Network, onto system: System, options: MapOptions) throws -> any FamilyMapping
  /// What the family's chips cannot hold of `network` (realised) that its mapper does not see (cell
  /// models, stimuli, delays against the ring buffers), found before any synapse is made: `validate --system`.
  func check(_ network: Network, on system: System) -> [String]
  /// Whether its chips take parameter changes during a run (`Network.parameterChanges`).
  var runsParameterChanges: Bool { get }
  /// What `neurofabric inspect` prints of the fabric of a trace this family wrote (`TraceSummary`).
  func inspect(_ trace: HDF5Group) throws -> [String]
}

extension Family {
  /// The chips run the network as it is.
  public func realise(_ network: Network) -> (network: Network, problems: [String]) { (network, []) }
  public var benchSystems: [BenchSystem] { [] }
  public var placers: [PlacementStrategy] { [.sequential] }
  public var stepKey: String? { nil }
  public var labelColumns: [String] { ["chip"] }
  public var effects: [HardwareEffect] { [] }
  public func check(_ network: Network, on system: System) -> [String] { [] }
  public var runsParameterChanges: Bool { false }
  /// A family that saves no mapping state cannot load one.
  public func loadMapping(_ state: [UInt8], network: Network, onto system: System, options: MapOptions) throws -> any FamilyMapping {
    throw FamilyError.noSavedMapping(family: system.family)
  }
  /// Every fabric counter's total, and the chips with the most drops.
  public func inspect(_ trace: HDF5Group) throws -> [String] { try TraceSummary.counters(trace, labels: labelColumns) }
}

/// A `bench --system` keyword.
public struct BenchSystem: Sendable {
  public var keyword: String
  public var topology: String
  public var placer: PlacementStrategy

  public init(keyword: String, topology: String, placer: PlacementStrategy) {
    self.keyword = keyword
    self.topology = topology
    self.placer = placer
  }
}

/// What `map` and `run` ask of a mapping.
public struct MapOptions: Sendable {
  public var placer: PlacementStrategy
  public var seed: UInt64
  /// Ranks the chips are split over.
  public var ranks: Int
  /// Rate (Hz) assumed for neuron populations without `expected_rate`.
  public var expectedRate: Double
  /// The topology file and the network as the user named them (for reports and `/mapping`).
  public var systemPath: String
  public var networkName: String

  public init(placer: PlacementStrategy = .sequential, seed: UInt64 = 1, ranks: Int = 1, expectedRate: Double = 10,
              systemPath: String = "", networkName: String = "") {
    self.placer = placer
    self.seed = seed
    self.ranks = ranks
    self.expectedRate = expectedRate
    self.systemPath = systemPath
    self.networkName = networkName
  }
}

/// A network mapped onto a system: placement, routes and tables, and which rank owns which chip.
/// `map` prints and writes it; `run` runs it.
public protocol FamilyMapping: AnyObject {
  /// The network mapped, as `Family.realise` made it.
  var network: Network { get }
  /// The mapping report, printed by `map` and before a run.
  var report: String { get }
  /// Writes `/mapping` (for `map --out` and trace.h5).
  func write(to root: HDF5Group) throws
  /// The mapping as bytes that `Family.loadMapping` turns back into it (for `run --mapping`).
  func encodedState() throws -> [UInt8]
  /// The run of the chips that `rank` owns, of `network`: the one mapped, or it with other spike
  /// trains for a source (infer's trials).
  func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun
}

extension FamilyMapping {
  public func encodedState() throws -> [UInt8] { [] }
  /// The run of the network mapped on the chips that `rank` owns.
  public func makeRun(options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun {
    try makeRun(network: network, options: options, rank: rank)
  }
}

/// What a family's run does on the chips one rank owns; `Simulation` drives it window by window
/// (docs/design-notes.md §4). Within a window no packet sent reaches another rank's chips before the
/// window ends, so the packets for other ranks are exchanged once, at its end. A run never talks to
/// the other ranks itself: the engine does every collective (agreement, the set-up exchange, the
/// window exchange, the counters' reduction) and keeps the recording books (`RecordingUnits`).
public protocol FamilyRun: AnyObject {
  /// What its packets between ranks say: a view of the wire record in the family's words.
  associatedtype Packet: PacketPayload = PacketRecord
  var family: String { get }
  var network: Network { get }
  var options: RunOptions { get }
  /// What the run will do (steps, windows, ranks), printed under the mapping report.
  var plan: String { get }
  var steps: Int64 { get }
  /// Bio time of one step (ms).
  var dt: Double { get }
  /// Steps per window.
  var windowSteps: Int64 { get }
  /// The lookahead the summary and provenance report (bio ms).
  var lookahead: Double { get }
  var speedup: Double { get }
  /// Analog families: "calibrated", "uncalibrated" or "off"; nil for digital ones.
  var mismatch: String? { get }
  /// What this rank's state will take, by part (bytes), before `load` allocates it; the run is
  /// refused when the sum exceeds the memory the rank has.
  var memoryEstimate: [(part: String, bytes: Double)] { get }
  /// Builds the state of the owned chips (synapses, neurons, tables); the engine agrees on failures.
  /// Returns the set-up records for each rank (e.g. which sources a chip needs; none: `[]`), which
  /// the engine exchanges once and hands to `connect`.
  func load() throws(RunError) -> [[PacketRecord]]
  /// Takes the set-up records the ranks sent to this one.
  func connect(_ received: [PacketRecord])
  /// Every unit that records, on every rank, with where its sampled neurons live, and the steps
  /// between membrane samples per population.
  var recordingUnits: RecordingUnits { get }
  var sampleSteps: [Int64] { get }
  /// The columns of this rank's `/fabric/series`, and the bio ms between its rows.
  var seriesColumns: Int { get }
  var seriesInterval: Double { get }
  /// Steps the owned chips through `window`, recording spikes and series rows into `records` in step
  /// order, letting `records.sample` read the neurons it schedules after each step, and putting the
  /// packets for each rank into `outbox[rank]`.
  func advance(_ window: Range<Int64>, records: inout TraceRecords, outbox: inout [[PacketRecord]])
  /// Takes the packets the ranks sent to this one during `window` (`Packet`s, in the engine's one
  /// order, `PacketRecord.precedes`), before the next window.
  func receive(_ packets: [PacketRecord], window: Range<Int64>, records: inout TraceRecords)
  /// After the last window: this rank's counters, which the engine reduces over all ranks.
  func counters() -> RunCounters
  /// The run's totals from the counters of all ranks, and this rank's fabric counters.
  func totals(_ counters: RunCounters) -> FamilyTotals
  /// Rank 0: the rows of the master file's fabric tables.
  var fabricRows: FabricRows { get }
  /// Rank 0: the family's groups of trace.h5 (`/mapping`, `/energy`).
  func writeGroups(to root: HDF5Group) throws
}

/// What most families share; a family states only where it differs.
extension FamilyRun {
  /// The run's duration on the grid of the step.
  public var steps: Int64 { Int64((options.duration / dt).rounded()) }
  public var lookahead: Double { Double(windowSteps) * dt }
  public var speedup: Double { 1 }
  public var mismatch: String? { nil }
  public var plan: String {
    "  run          \(Int(steps).grouped) steps of \(dt) ms in windows of \(windowSteps) steps; output \(options.output)/trace.h5"
  }
  /// Families whose state is bounded by their hardware's fixed sizes estimate nothing.
  public var memoryEstimate: [(part: String, bytes: Double)] { [] }
  public func connect(_ received: [PacketRecord]) {}
  /// Each population sampled at its recording interval (at least one step).
  public var sampleSteps: [Int64] { RunFiles.sampleSteps(network, step: dt) }
  public var seriesInterval: Double { dt }
  public func counters() -> RunCounters { RunCounters() }
  public func writeGroups(to root: HDF5Group) throws {}
}

/// A family's run totals (the same on every rank) and this rank's fabric counters; the engine adds
/// the spikes it counted.
public struct FamilyTotals {
  public var synapses: Int64
  public var synapticEvents: UInt64
  public var packets: UInt64
  public var drops: UInt64
  /// Family-specific lines of the run summary.
  public var notes: [String]
  /// The family's energy estimate of the run (J), where it has an energy model.
  public var energyJoules: Double?
  public var fabric: FabricTotals

  public init(synapses: Int64 = 0, synapticEvents: UInt64 = 0, packets: UInt64 = 0, drops: UInt64 = 0, notes: [String] = [],
              energyJoules: Double? = nil, fabric: FabricTotals) {
    self.synapses = synapses
    self.synapticEvents = synapticEvents
    self.packets = packets
    self.drops = drops
    self.notes = notes
    self.energyJoules = energyJoules
    self.fabric = fabric
  }
}
