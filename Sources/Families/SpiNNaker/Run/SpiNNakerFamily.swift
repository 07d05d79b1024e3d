import Distributed
import Hardware
import Mapping
import Model
import Traces

/// The `spinnaker2` and `spinnaker1` families: PEs running sPyNNaker's neurons tick by tick,
/// multicast routers on a triangular torus (docs/hardware.md §3).
public struct SpiNNakerFamily: Family {
  public typealias System = SpiNNakerSystem

  public init() {}

  public var names: [String] { ["spinnaker2", "spinnaker1"] }

  public var summary: String {
    "mapped as `neurofabric map` does (report first); PEs run sPyNNaker's fixed-point neurons tick by tick with a "
      + "CPU cycle budget (timer overruns counted); every spike is a packet through the routers (tables, default and "
      + "emergency routing, drops, reinjection); trace.h5 adds /fabric/pes, /mapping and /energy"
  }

  public var benchSystems: [BenchSystem] {
    [BenchSystem(keyword: "spinnaker2", topology: "Topologies/spinnaker2-24boards.toml", placer: .graph)]
  }

  /// What `--without` switches off (docs/effects.md § SpiNNaker); `SpiNNakerEffects` holds them as flags.
  public var effects: [HardwareEffect] {
    [
      HardwareEffect("latency", on: "the toolchains' latency: a d-tick synapse acts in its target's update d ticks after its source crossed threshold, plus delay_offset_ticks (docs/hardware.md §3.3)",
                     off: "NEST's and ideal's latency: d + 1 ticks, as delay_offset_ticks = 1 (whatever the topology sets)"),
      HardwareEffect("arithmetic", on: "the PE's number formats: sPyNNaker's s16.15 state with u0.32 decays, or py-spinnaker2's float32 (docs/hardware.md §3.2, §3.9)",
                     off: "the same LIF update in Float64 (IF_curr_exp and IF_cond_exp; NIR neurons are refused)"),
      HardwareEffect("saturation", on: "16-bit ring-buffer slots that saturate at 65535 units (sPyNNaker's ring buffers, docs/hardware.md §3.2)",
                     off: "wide slots (Float64 units) that never saturate"),
      HardwareEffect("overruns", on: "each PE's CPU cycle budget: work past the tick delays the next timer tick and the spikes it sends (overruns, late events; docs/hardware.md §3.7)",
                     off: "an unlimited budget: the CPU takes no time, ticks start on time, spikes leave at the tick's start (cycles still counted for energy)"),
      HardwareEffect("drops", on: "drops at a full PE input queue (input_queue_packets) and at a router whose link stays blocked past wait1 and wait2 (docs/hardware.md §3.5)",
                     off: "no input-queue limit, and a blocked router waits for its link instead of dropping"),
      HardwareEffect("quantisation", on: "weights rounded to the ring buffer's units: 16 bits under sPyNNaker's per-type shift, or weight_bits under one scale per PE (docs/hardware.md §3.2, §3.9)",
                     off: "exact weights in the ring buffer (Float64 units)"),
    ]
  }

  public var placers: [PlacementStrategy] { PlacementStrategy.allCases }
  public var stepKey: String? { "timestep" }
  public var labelColumns: [String] { ["chip", "x", "y", "source", "target", "direction", "slice", "pe", "population", "first"] }

  /// The busiest links and drops by cause, then the processing elements' counters and overruns.
  public func inspect(_ trace: HDF5Group) throws -> [String] {
    try TraceSummary.links(trace) + (trace.contains("fabric/pes") ? TraceSummary.processingElements(trace.openGroup("fabric/pes")) : [])
  }

  public func readSystem(_ doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section,
                         name: String) -> SystemDescription {
    SystemFileReader.readSpiNNaker(&doc, top, header, generation: name == "spinnaker1" ? .spinnaker1 : .spinnaker2)
  }

  public func map(_ network: Network, onto system: SpiNNakerSystem, options: MapOptions) throws -> any FamilyMapping {
    try SpiNNakerMapping(network: network, system: system, options: options)
  }

  /// The PE models, DC input only as i_offset, and delays the ring buffers hold (what loading refuses).
  public func check(_ network: Network, on system: SpiNNakerSystem) -> [String] {
    var problems = network.nirStepProblems(step: system.timestep, what: "[system] timestep")
    problems += network.populations.compactMap { system.refusal(of: $0)?.description }
    problems += network.stimuli.map { SpiNNakerBuildError.unsupportedStimulus(target: $0.target).description }
    // py-spinnaker2's NIR models are its `*_no_delay` ones: one tick from neuron to neuron.
    let nir = Set(network.populations.filter { if case .nir = $0.cellType { return true }; return false }.map(\.label))
    for projection in network.projections where nir.contains(projection.post) {
      let longest = projection.delayBounds.longest
      if system.delayTicks(longest) > 1 {
        problems.append("projection '\(projection.label)': \(longest.compact) ms of delay onto NIR neurons; py-spinnaker2's NIR models (lif_no_delay, lif_curr_exp_no_delay) deliver every spike in the next tick")
      }
    }
    // Delays drawn without an upper bound are checked as they are drawn, when the PEs load.
    for projection in network.projections where projection.delay.upperBound.isFinite
      && system.delayTicks(projection.delay.upperBound) > system.maxDelayTicks {
      problems.append(SpiNNakerBuildError.delayTooLong(projection: projection.label, delay: projection.delay.upperBound,
                                                       maximumTicks: system.maxDelayTicks, tick: system.timestep).description)
    }
    return problems
  }

  public func loadMapping(_ state: [UInt8], network: Network, onto system: SpiNNakerSystem, options: MapOptions) throws -> any FamilyMapping {
    let stored = try MappingState.decode(SpiNNakerMapping.State.self, from: state)
    try check(stored, network: network, system: system, options: options)
    return SpiNNakerMapping(network: network, system: system, mapping: stored.mapping, context: stored.context,
                            ranks: options.ranks)
  }
}

extension SpiNNakerFamily {
  /// A saved state checked against the run's network, system and ranks (`NetworkMapping.check`),
  /// and its context and metrics against the system, which the run's lookahead and tables follow.
  func check(_ stored: SpiNNakerMapping.State, network: Network, system: SpiNNakerSystem, options: MapOptions) throws(MappingStateError) {
    let machine = system.machineGraph, mapping = stored.mapping, context = stored.context
    try mapping.check(network: network, machine: machine, pesPerChip: system.pesPerChip, ranks: options.ranks)
    let fresh = SpiNNakerMappingWriter.Context(system: system, path: "", network: "", placer: .sequential, seed: 0)
    try MappingStateError.require(context.chipX == fresh.chipX && context.chipY == fresh.chipY,
                                  "the chip coordinates (\(context.chipX.count) chips) are not the system's (\(fresh.chipX.count) chips)")
    try MappingStateError.require(context.linkLatency == fresh.linkLatency,
                                  "the link latency is \(context.linkLatency) ms, the system's \(fresh.linkLatency) ms")
    try MappingStateError.require(mapping.metrics.ranks == options.ranks,
                                  "the metrics are for \(mapping.metrics.ranks) rank(s), the run has \(options.ranks)")
    // The metrics are reported and written as counts: a value no mapping gives traps there.
    let metrics = mapping.metrics, pes = machine.chipCount * system.pesPerChip
    try MappingStateError.require(metrics.slices == mapping.graph.count, "the metrics count \(metrics.slices) slices, the mapping has \(mapping.graph.count)")
    for (what, value) in [("working PEs", metrics.workingPEs), ("used chips", metrics.usedChips), ("live chips", metrics.liveChips)] {
      try MappingStateError.require(value >= 0 && value <= pes, "the metrics count \(value) \(what), the system has \(machine.chipCount) chips of \(system.pesPerChip) PEs")
    }
    for (what, values) in [("before", metrics.entriesBefore), ("after", metrics.entriesAfter)] {
      try MappingStateError.requireCount("the table sizes \(what) compression", values.count, machine.chipCount)
      try MappingStateError.require(values.allSatisfy { $0 >= 0 && $0 <= Int(Int32.max) }, "a table size \(what) compression is not a count of entries")
    }
    for (what, value) in [("synapses", metrics.synapses), ("edge cut", metrics.edgeCut), ("packets per second", metrics.packetsPerSecond),
                          ("remote chips per spike", metrics.remoteChipsPerSpike), ("hops per second", metrics.hopsPerSecond),
                          ("busiest link's load", metrics.busiestLinkLoad), ("rank crossings per second", metrics.rankCrossingPerSecond)] {
      try MappingStateError.require(value.isFinite && value >= 0 && value <= 1e18, "the metrics' \(what) is \(value)")
    }
    let links = machine.chipCount * machine.linksPerChip
    try MappingStateError.require(mapping.metrics.busiestLink >= -1 && mapping.metrics.busiestLink < links,
                                  "the busiest link is \(mapping.metrics.busiestLink), the system has \(links) links")
    try MappingStateError.requireCount("the link loads", mapping.routing.linkLoad.count, links)
    try MappingStateError.requireCount("the remote chips per slice", mapping.routing.remoteChips.count, mapping.graph.count)
  }
}

/// A network on a SpiNNaker machine: slices on PEs, keys, routing tables and chips on ranks
/// (the pipeline of `Mapping`), with the report PACMAN users read.
public final class SpiNNakerMapping: FamilyMapping {
  public let network: Network
  public let system: SpiNNakerSystem
  public let mapping: NetworkMapping
  public let machine: MachineGraph
  let context: SpiNNakerMappingWriter.Context
  public let decomposition: DomainDecomposition

  convenience init(network: Network, system: SpiNNakerSystem, options: MapOptions) throws {
    let mapping = try NetworkMapping(network: network, machine: system.machineGraph, costs: system.coreCosts, tick: system.timestep * 1e-3,
                                     options: MappingOptions(strategy: options.placer, seed: options.seed, ranks: options.ranks,
                                                             defaultRate: options.expectedRate, localPoissonInput: system.localPoissonInput))
    self.init(network: network, system: system, mapping: mapping,
              context: SpiNNakerMappingWriter.Context(system: system, path: options.systemPath, network: options.networkName,
                                                      placer: options.placer, seed: options.seed),
              ranks: options.ranks)
  }

  init(network: Network, system: SpiNNakerSystem, mapping: NetworkMapping, context: SpiNNakerMappingWriter.Context, ranks: Int) {
    self.network = network
    self.system = system
    machine = system.machineGraph
    self.mapping = mapping
    self.context = context
    // Dead chips (rank -1 in the pipeline) go to rank 0, which writes their empty rows.
    decomposition = DomainDecomposition(rankOfChip: mapping.rankOfChip.map { max(0, $0) }, ranks: ranks)
  }

  struct State: Codable {
    var mapping: NetworkMapping
    var context: SpiNNakerMappingWriter.Context
  }

  public func encodedState() throws -> [UInt8] { try MappingState.encode(State(mapping: mapping, context: context)) }

  public var report: String {
    SpiNNakerMappingSummary.text(mapping, model: network, system: system, machine: machine, context: context)
  }

  public func write(to root: HDF5Group) throws {
    try SpiNNakerMappingWriter.write(mapping, machine: machine, context: context, to: root)
  }

  public func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun {
    SpiNNakerRun(mapping: self, network: network, options: options, rank: rank)
  }
}
