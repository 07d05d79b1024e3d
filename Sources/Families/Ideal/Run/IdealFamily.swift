import Traces
import Hardware
import Mapping
import Model

/// The `ideal` family: exact neuron dynamics on chips joined by a crossbar of links.
public struct IdealFamily: Family {
  public typealias System = IdealSystem

  public init() {}

  public var names: [String] { ["ideal"] }

  public var summary: String {
    "exact neuron dynamics (Float64), a crossbar of chips with a fixed latency, optional bandwidth, buffers and dead links"
  }

  public var benchSystems: [BenchSystem] {
    [BenchSystem(keyword: "ideal", topology: "Topologies/ideal-crossbar.toml", placer: .sequential)]
  }

  /// The busiest links and drops by cause.
  public func inspect(_ trace: HDF5Group) throws -> [String] { try TraceSummary.links(trace) }

  public func readSystem(_ doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section,
                         name: String) -> SystemDescription {
    SystemFileReader.readIdeal(&doc, top, header)
  }

  public func map(_ network: Network, onto system: IdealSystem, options: MapOptions) throws -> any FamilyMapping {
    let mapping = IdealMapping(network: network, system: system, ranks: options.ranks)
    if let chip = mapping.system.liveChips.first(where: { mapping.placement.neuronCount(chip: $0) > IdealChip.maximumNeurons }) {
      throw IdealChipError.tooManyNeurons(chip: chip, count: mapping.placement.neuronCount(chip: chip))
    }
    return mapping
  }

  public var runsParameterChanges: Bool { true }
  public var stepKey: String? { "dt" }
  public var labelColumns: [String] { ["chip", "source", "target"] }

  /// Delays the synapses' 11 bits of steps hold (what loading refuses), and NIR graphs, which are
  /// imported for one step of `NIRNeuron.step`.
  public func check(_ network: Network, on system: IdealSystem) -> [String] {
    let dt = system.dt
    // NEST refuses a delay shorter than its resolution; the reference does the same.
    let short = network.projections.filter { $0.delayBounds.shortest < dt * (1 - 1e-9) }.map {
      "projection '\($0.label)': delays down to \($0.delayBounds.shortest.compact) ms are shorter than the step ([system] dt = \(dt.compact) ms); as in NEST, a delay is at least one step"
    }
    return network.nirStepProblems(step: dt, what: "[system] dt") + short + network.projections.filter {
      $0.delay.upperBound.isFinite && IdealChip.delaySteps($0.delay.upperBound, dt: dt) > IdealChip.maximumDelaySteps
    }.map {
      IdealChipError.delayTooLong(projection: $0.label, delay: $0.delay.upperBound, maximum: Double(IdealChip.maximumDelaySteps) * dt).description
    }
  }

  /// The striped placement follows from the network and the system: nothing to load.
  public func loadMapping(_ state: [UInt8], network: Network, onto system: IdealSystem, options: MapOptions) throws -> any FamilyMapping {
    try map(network, onto: system, options: options)
  }
}
