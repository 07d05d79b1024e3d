import Distributed
import Hardware
import Mapping
import Model
import Traces

/// The `brainscales2` family: analog AdEx circuits at 10^3 speed-up, a crossbar per chip and
/// FPGAs between chips (docs/hardware.md §2).
public struct BrainScaleS2Family: Family {
  public typealias System = BrainScaleS2System

  public init() {}

  public var names: [String] { ["brainscales2"] }

  public var summary: String {
    "AdEx circuits with fixed-pattern noise at 10^3 speed-up, 6-bit weights, crossbar arbitration with drops, "
      + "FPGA paths between chips, MADC samples; trace.h5 adds /mapping"
  }

  /// docs/effects.md#brainscales-2 says what each models and where the figures come from.
  public var effects: [HardwareEffect] {
    BrainScaleS2System.Effect.allCases.map { effect in
      switch effect {
      case .mismatch:
        HardwareEffect(effect.rawValue, on: "fixed-pattern noise of the analog circuits: leak, reset and threshold potentials, τ_m, τ_syn and synaptic gain "
                         + "deviate per circuit by the calibrated or uncalibrated spread ([mismatch])",
                       off: "nominal parameters on every circuit, as [mismatch] enabled = false")
      case .weights:
        HardwareEffect(effect.rawValue, on: "6-bit weights with a scale per projection (the largest weight is 63 LSB); synapses that round to 0 are left out",
                       off: "every synapse with its exact weight (single precision), none left out")
      case .arbitration:
        HardwareEffect(effect.rawValue, on: "each crossbar output (PADI bus, L2 output) takes one event per bus cycle and drops the others; the FPGA sends "
                         + "one event per cycle on each L2 channel and drops those later than its buffer",
                       off: "outputs take any number of events per cycle: no event is delayed or dropped")
      case .fpgaLatency:
        HardwareEffect(effect.rawValue, on: "events between chips take the FPGA path's chip_to_chip_latency_ns (1.3 µs hardware, 1.3 ms bio) on top of the on-chip path",
                       off: "events between chips arrive after the on-chip latency only (the window of a distributed run shrinks with it)")
      }
    }
  }

  public func readSystem(_ doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section,
                         name: String) -> SystemDescription {
    SystemFileReader.readBrainScaleS2(&doc, top, header)
  }

  /// NIR neurons as the analog circuits realise them (`AnalogNIR`).
  public func realise(_ network: Network) -> (network: Network, problems: [String]) { AnalogNIR.realise(network, dt: NIRNeuron.step) }

  /// Synaptic currents the circuits do not have (`AnalogSynapses`).
  public func check(_ network: Network, on system: BrainScaleS2System) -> [String] {
    AnalogSynapses.problems(network, family: "BrainScaleS-2")
  }

  public func map(_ network: Network, onto system: BrainScaleS2System, options: MapOptions) throws -> any FamilyMapping {
    BrainScaleS2Placement(network: network, system: system, mapping: try BrainScaleS2Mapping(network: network, system: system, seed: options.seed),
                          options: options)
  }

  public func loadMapping(_ state: [UInt8], network: Network, onto system: BrainScaleS2System, options: MapOptions) throws -> any FamilyMapping {
    let mapping = try MappingState.decode(BrainScaleS2Mapping.self, from: state)
    try mapping.check(network: network, system: system, seed: options.seed)
    return BrainScaleS2Placement(network: network, system: system, mapping: mapping, options: options)
  }
}

/// A network on BrainScaleS-2 chips: circuits, PADI buses, labels, crossbar and FPGA tables
/// (`BrainScaleS2Mapping`), chips in contiguous blocks per rank.
public final class BrainScaleS2Placement: FamilyMapping {
  public let network: Network
  public let system: BrainScaleS2System
  public let mapping: BrainScaleS2Mapping
  let systemPath: String
  public let decomposition: DomainDecomposition

  init(network: Network, system: BrainScaleS2System, mapping: BrainScaleS2Mapping, options: MapOptions) {
    self.network = network
    self.system = system
    self.mapping = mapping
    systemPath = options.systemPath
    decomposition = .blocks(system.chips, ranks: options.ranks)
  }

  public var report: String { BrainScaleS2Summary.text(mapping, model: network, system: system, path: systemPath) }

  public func write(to root: HDF5Group) throws {
    try BrainScaleS2MappingWriter.write(mapping, network: network, system: system, to: root)
  }

  public func encodedState() throws -> [UInt8] { try MappingState.encode(mapping) }

  public func makeRun(network: Network, options: RunOptions, rank: Int) throws(RunError) -> any FamilyRun {
    BrainScaleS2Run(placement: self, network: network, options: options, rank: rank)
  }
}
