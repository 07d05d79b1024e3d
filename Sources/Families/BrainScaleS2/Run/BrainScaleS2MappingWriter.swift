import Hardware
import Mapping
import Model
import Traces

/// Writes a `BrainScaleS2Mapping` under `/mapping` (flat 1-D datasets per column, as the SpiNNaker
/// report): logical neurons on circuits, per chip the PADI bus drivers and FPGA table entries, the
/// crossbar nodes with their mask and match, per projection the 6-bit quantisation.
public enum BrainScaleS2MappingWriter {
  public static func write(_ mapping: BrainScaleS2Mapping, network: Network, system: BrainScaleS2System, to root: HDF5Group) throws {
    let group = try root.createGroup("mapping")
    try group.setAttribute("system", system.name)
    try group.setAttribute("family", system.family)
    try group.setAttribute("populations", strings: network.populations.map(\.label))
    try group.setAttribute("programmed_delay_range_ms", [mapping.programmedDelays.min, mapping.programmedDelays.max])
    try group.setAttribute("note", "BrainScaleS-2 has no programmable delays: events take the path's latency")

    let neurons = try group.createGroup("neurons")
    try neurons.setAttribute("description", "logical neurons: population, index, chip, hemisphere (0 top), first column, circuits")
    _ = try neurons.createDataset("population", values: mapping.neurons.map { Int32($0.population) })
    _ = try neurons.createDataset("index", values: mapping.neurons.map { Int64($0.index) })
    _ = try neurons.createDataset("chip", values: mapping.neurons.map { Int32($0.chip) })
    _ = try neurons.createDataset("hemisphere", values: mapping.neurons.map { Int32($0.hemisphere) })
    _ = try neurons.createDataset("column", values: mapping.neurons.map { Int32($0.column) })
    _ = try neurons.createDataset("circuits", values: mapping.neurons.map { Int32($0.circuits) })

    let chips = try group.createGroup("chips")
    try chips.setAttribute("description", "per chip: logical neurons, routing entries (source, hemisphere), synapses, crossbar nodes, FPGA table entries; drivers per PADI bus (top 0-3, bottom 4-7)")
    _ = try chips.createDataset("neurons", values: mapping.neuronsOfChip.map { Int32($0.count) })
    _ = try chips.createDataset("entries", values: mapping.chips.map { Int64($0.entrySource.count) })
    _ = try chips.createDataset("synapses", values: mapping.chips.map { Int64($0.targetNeuron.count) })
    _ = try chips.createDataset("crossbar_nodes", values: mapping.chips.map { Int32($0.crossbarNodes.count) })
    _ = try chips.createDataset("fpga_output_entries", values: mapping.chips.map { Int32($0.fpgaOutputEntries) })
    _ = try chips.createDataset("fpga_input_entries", values: mapping.chips.map { Int32($0.fpgaInputEntries) })
    for bus in 0..<(HICANNX.busesPerHemisphere * HICANNX.hemispheres) {
      _ = try chips.createDataset("drivers_bus\(bus)", values: mapping.chips.map { Int32($0.busDrivers[bus]) })
    }

    let crossbar = try group.createGroup("crossbar")
    try crossbar.setAttribute("description", "enabled crossbar nodes: an event on input goes to output iff (label & mask) == match; inputs 0-7 neuron event outputs, 8-11 L2; outputs 0-7 PADI buses, 8-11 L2")
    let nodes = mapping.chips.enumerated().flatMap { c, routing in routing.crossbarNodes.map { (c, $0) } }
    _ = try crossbar.createDataset("chip", values: nodes.map { Int32($0.0) })
    _ = try crossbar.createDataset("input", values: nodes.map { Int32($0.1.input) })
    _ = try crossbar.createDataset("output", values: nodes.map { Int32($0.1.output) })
    _ = try crossbar.createDataset("mask", values: nodes.map { Int32($0.1.mask) })
    _ = try crossbar.createDataset("match", values: nodes.map { Int32($0.1.match) })

    let projections = try group.createGroup("projections")
    try projections.setAttribute("labels", strings: mapping.quantisation.map(\.projection))
    try projections.setAttribute("description", system.models(.weights) ? "6-bit weights: LSB scale (nA or µS), RMS relative quantisation error, synapses rounded to 0"
                                   : "exact weights (run without weights): scale and error 0, synapses of weight 0")
    _ = try projections.createDataset("synapses", values: mapping.quantisation.map { Int64($0.synapses) })
    _ = try projections.createDataset("scale", values: mapping.quantisation.map(\.scale))
    _ = try projections.createDataset("rms_relative_error", values: mapping.quantisation.map(\.rmsRelativeError))
    _ = try projections.createDataset("zeroed", values: mapping.quantisation.map { Int64($0.zeroed) })
  }
}
