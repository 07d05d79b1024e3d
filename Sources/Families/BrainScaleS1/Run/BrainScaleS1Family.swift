import Distributed
import Hardware
import Mapping
import Model
import Traces

/// The `brainscales1` family: wafers of HICANNs at 10^4 speed-up, Layer-1 buses on the wafer and
/// Layer-2 through the FPGAs (docs/hardware.md §1).
public struct BrainScaleS1Family: Family {
  public typealias System = BrainScaleS1System

  public init() {}

  public var names: [String] { ["brainscales1"] }

  public var summary: String {
    "denmems on HICANNs at 10^4 speed-up, L1 buses routed over the wafer's switches (synapse loss reported), "
      + "collisions, FPGA links and Layer 2 between wafers; trace.h5 adds /mapping"
  }

  public var placers: [PlacementStrategy] { PlacementStrategy.allCases }
  public var effects: [HardwareEffect] { BrainScaleS1System.effects }
  public var labelColumns: [String] { ["hicann", "wafer", "x", "y", "reticle"] }

  public func readSystem(_ doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section,
                         name: String) -> SystemDescription {
    SystemFileReader.readBrainScaleS1(&doc, top, header)
  }

  /// NIR neurons as the analog circuits realise them (`AnalogNIR`).
  public func realise(_ network: Network) -> (network: Network, problems: [String]) { AnalogNIR.realise(network, dt: NIRNeuron.step) }

  /// Recordings of spike sources (the FPGAs play them in; only denmems' spikes come back), and
  /// synaptic currents the circuits do not have (`AnalogSynapses`).
  public func check(_ network: Network, on system: BrainScaleS1System) -> [String] {
    let sources = network.recordings.filter { r in
      r.variables.contains(.spikes) && network.populations.first { $0.label == r.population }?.cellType.isSource == true
    }.map { "population '\($0.population)': a spike source is played in by the FPGAs; BrainScaleS-1 records the spikes of its neurons only (drop it from the recordings)" }
    return sources + AnalogSynapses.problems(network, family: "BrainScaleS-1")
  }

  public func map(_ network: Network, onto system: BrainScaleS1System, options: MapOptions) throws -> any FamilyMapping {
    let mapping = try BrainScaleS1Mapping(network: network, system: system, seed: options.seed, placer: options.placer,
                                          defaultRate: options.expectedRate)
    return BrainScaleS1Placement(network: network, system: system, mapping: mapping, options: options)
  }

  public func loadMapping(_ state: [UInt8], network: Network, onto system: BrainScaleS1System, options: MapOptions) throws -> any FamilyMapping {
    let mapping = try MappingState.decode(BrainScaleS1Mapping.self, from: state)
    try mapping.check(network: network, system: system)
    return BrainScaleS1Placement(network: network, system: system, mapping: mapping, options: options)
  }
}

/// A network on BrainScaleS-1 wafers: denmems on HICANNs, L1 buses and routes, synapse loss
/// (`BrainScaleS1Mapping`); ranks own blocks of reticles (whole wafers when they can).
public final class BrainScaleS1Placement: FamilyMapping {
  public let network: Network
  public let system: BrainScaleS1System
  public let mapping: BrainScaleS1Mapping
  let systemPath: String
  /// Owner of each HICANN.
  public let decomposition: DomainDecomposition

  init(network: Network, system: BrainScaleS1System, mapping: BrainScaleS1Mapping, options: MapOptions) {
    self.network = network
    self.system = system
    self.mapping = mapping
    systemPath = options.systemPath
    decomposition = .reticles(of: system, ranks: options.ranks)
  }

  public var report: String { BrainScaleS1Summary.text(mapping, model: network, path: systemPath) }

  public func write(to root: HDF5Group) throws {
    try BrainScaleS1MappingWriter.write(mapping, network: network, to: root)
  }

  public func encodedState() throws -> [UInt8] { try MappingState.encode(mapping) }

  public func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun {
    BrainScaleS1Run(placement: self, network: network, options: options, rank: rank)
  }
}
