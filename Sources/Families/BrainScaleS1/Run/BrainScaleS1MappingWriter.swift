import Hardware
import Mapping
import Model
import Traces

/// Writes a `BrainScaleS1Mapping` under `/mapping`: logical neurons on HICANNs, L1 buses with their
/// segments and driver feeds, and the synapse loss per projection and cause (marocco's report).
public enum BrainScaleS1MappingWriter {
  public static func write(_ mapping: BrainScaleS1Mapping, network: Network, to root: HDF5Group) throws {
    let system = mapping.system
    let group = try root.createGroup("mapping")
    try group.setAttribute("system", system.name)
    try group.setAttribute("family", system.family)
    try group.setAttribute("populations", strings: network.populations.map(\.label))
    try group.setAttribute("denmems_per_neuron", Int64(system.denmemsPerNeuron))
    try group.setAttribute("placer", mapping.placer.rawValue)

    let neurons = try group.createGroup("neurons")
    try neurons.setAttribute("description", "logical neurons: population, index, HICANN (wafer × 384 + enum), first column, denmems")
    _ = try neurons.createDataset("population", values: mapping.neurons.map { Int32($0.population) })
    _ = try neurons.createDataset("index", values: mapping.neurons.map { Int64($0.index) })
    _ = try neurons.createDataset("hicann", values: mapping.neurons.map { Int32($0.hicann) })
    _ = try neurons.createDataset("column", values: mapping.neurons.map { Int32($0.column) })

    let buses = try group.createGroup("buses")
    try buses.setAttribute("description", "L1 buses: sending HICANN and repeater, sources, HLine and VLine segments, HICANNs fed, drivers")
    _ = try buses.createDataset("hicann", values: mapping.buses.map { Int32($0.hicann) })
    _ = try buses.createDataset("repeater", values: mapping.buses.map { Int32($0.repeater) })
    _ = try buses.createDataset("sources", values: mapping.buses.map { Int32($0.sources.count) })
    _ = try buses.createDataset("hline_segments", values: mapping.buses.map { Int32($0.route.hLines.count) })
    _ = try buses.createDataset("vline_segments", values: mapping.buses.map { Int32($0.route.vLines.count) })
    _ = try buses.createDataset("hicanns_fed", values: mapping.buses.map { Int32($0.route.deliveries.count) })
    _ = try buses.createDataset("drivers", values: mapping.buses.map { Int32($0.route.feeds.reduce(0) { $0 + $1.drivers }) })

    let loss = try group.createGroup("synapse_loss")
    try loss.setAttribute("projections", strings: mapping.loss.map(\.projection))
    try loss.setAttribute("causes", strings: BrainScaleS1Mapping.LossCause.allCases.map(\.rawValue))
    _ = try loss.createDataset("synapses", values: mapping.loss.map { Int64($0.synapses) })
    _ = try loss.createDataset("lost", values: mapping.loss.map { Int64($0.totalLost) })
    for cause in BrainScaleS1Mapping.LossCause.allCases {
      _ = try loss.createDataset("lost_\(String(describing: cause))", values: mapping.loss.map { Int64($0.lost[cause.rawValue] ?? 0) })
    }
  }
}
