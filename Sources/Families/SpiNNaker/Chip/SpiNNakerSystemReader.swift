import Fabric
import Foundation
import Model

extension SystemFileReader {
  /// The `spinnaker2` and `spinnaker1` families (keys in docs/families/spinnaker.md): `[system]` shape and
  /// tick, `[chip]` resources, `[costs]` the CPU cost model, `[links]`, `[faults]`. Every key is
  /// optional; the defaults are the generation's figures from docs/hardware.md §3.
  public static func readSpiNNaker(_ doc: inout TopologyDocument, _ top: TopologyDocument.Section,
                            _ header: TopologyDocument.Section, generation: SpiNNakerSystem.Generation) -> SpiNNakerSystem {
    var s = SpiNNakerSystem(generation: generation)
    doc.checkKeys(top, allowed: ["system", "chip", "ring_buffer", "costs", "links", "router", "energy", "faults"])
    doc.checkKeys(header, allowed: ["family", "name", "shape", "triads", "wrap_around", "timestep", "without"])
    s.name = doc.string(header, "name") ?? (doc.file as NSString).lastPathComponent

    let wrap = doc.boolean(header, "wrap_around") ?? true
    switch doc.string(header, "shape") ?? "board" {
    case "chip": s.shape = .chip
    case "board": s.shape = .board
    case "triads":
      if let t = doc.numbers(header, "triads"), t.count == 2, t.allSatisfy({ (1...64).contains($0) && $0 == $0.rounded() }) {
        s.shape = .triads(width: Int(t[0]), height: Int(t[1]), wrapAround: wrap)
      } else {
        doc.fail(header, "triads", "shape 'triads' needs triads = [width, height], each in 1...64")
      }
    case let other: doc.fail(header, "shape", "unknown shape '\(other)' (expected chip, board or triads)")
    }
    doc.positive(header, "timestep", max: 10, unit: "ms") { s.timestep = $0 }

    if let chip = doc.table(top, "chip") {
      doc.checkKeys(chip, allowed: ["pes", "router_entries", "clock", "sram_kb", "dram_mb", "max_atoms_per_pe", "input_queue",
                                    "max_delay_ticks", "local_poisson_input", "arithmetic", "weight_bits", "delay_offset_ticks"])
      doc.count(chip, "pes", max: 192) { s.pesPerChip = $0 }
      doc.count(chip, "router_entries", max: 1 << 20) { s.routerEntries = $0 }
      doc.positive(chip, "clock", max: 10_000, unit: "MHz") { s.clockMHz = $0 }
      doc.positive(chip, "sram_kb", max: 1_048_576, unit: "KB") { s.localMemoryBytes = Int($0 * 1024) }
      doc.positive(chip, "dram_mb", max: 16_777_216, unit: "MB") { s.chipMemoryBytes = Int($0 * 1_048_576) }
      doc.count(chip, "max_atoms_per_pe", max: SpiNNakerSynapticWord.maxAtoms) { s.maxAtomsPerPE = $0 }
      doc.count(chip, "input_queue", max: 1 << 20) { s.inputQueuePackets = $0 }
      doc.count(chip, "max_delay_ticks", max: SpiNNakerSynapticWord.maxDelayTicks) { s.maxDelayTicks = $0 }
      if let local = doc.boolean(chip, "local_poisson_input") { s.localPoissonInput = local }
      if let offset = doc.number(chip, "delay_offset_ticks") {
        if offset >= 0 && offset <= 16 && offset == offset.rounded() { s.delayOffsetTicks = Int(offset) } else {
          doc.fail(chip, "delay_offset_ticks", "must be a whole number of ticks in 0...16")
        }
      }
      switch doc.string(chip, "arithmetic") ?? "s16.15" {
      case "s16.15":
        if doc.number(chip, "weight_bits") != nil {
          doc.fail(chip, "weight_bits", "applies to arithmetic = \"float32\" (s16.15 words hold 16-bit weights under the ring-buffer shift)")
        }
      case "float32":
        var bits = 4
        doc.count(chip, "weight_bits", max: 16) { bits = $0 }
        s.arithmetic = .float32(weightBits: bits)
      case let other: doc.fail(chip, "arithmetic", "unknown arithmetic '\(other)' (expected s16.15, sPyNNaker's, or float32, py-spinnaker2's)")
      }
    }
    if let ring = doc.table(top, "ring_buffer") {
      doc.checkKeys(ring, allowed: ["spikes_per_second", "sigma"])
      doc.positive(ring, "spikes_per_second", max: 1e6, unit: "Hz") { s.ringBuffer.spikesPerSecond = $0 }
      doc.positive(ring, "sigma", max: 1e3, unit: "standard deviations") { s.ringBuffer.sigma = $0 }
    }
    if let costs = doc.table(top, "costs") {
      doc.checkKeys(costs, allowed: ["fixed", "neuron", "packet", "row", "synapse", "local_source", "usable_fraction", "fixed_bytes",
                                     "bytes_per_neuron", "bytes_per_synapse"])
      doc.positive(costs, "fixed", max: 1e9, unit: "cycles") { s.costs.fixedCycles = $0 }
      doc.positive(costs, "neuron", max: 1e9, unit: "cycles") { s.costs.neuronCycles = $0 }
      doc.positive(costs, "packet", max: 1e9, unit: "cycles") { s.costs.packetCycles = $0 }
      doc.positive(costs, "row", max: 1e9, unit: "cycles") { s.costs.rowCycles = $0 }
      doc.positive(costs, "synapse", max: 1e9, unit: "cycles") { s.costs.synapseCycles = $0 }
      doc.positive(costs, "local_source", max: 1e9, unit: "cycles") { s.costs.localSourceCycles = $0 }
      doc.positive(costs, "usable_fraction", max: 1, unit: "of the tick") { s.costs.usableFraction = $0 }
      doc.count(costs, "fixed_bytes", max: 1 << 30) { s.costs.fixedBytes = $0 }
      doc.count(costs, "bytes_per_neuron", max: 1 << 20) { s.costs.bytesPerNeuron = $0 }
      doc.count(costs, "bytes_per_synapse", max: 64) { s.costs.bytesPerSynapse = $0 }
    }
    if let links = doc.table(top, "links") {
      doc.checkKeys(links, allowed: ["latency_us", "bandwidth", "buffer"])
      doc.positive(links, "latency_us", max: 1e6, unit: "µs") { s.link.latency = HardwareClock.hardwareTime(bioMilliseconds: $0 * 1e-3) }
      doc.positive(links, "bandwidth", max: 1e6, unit: "Mbit/s") { s.link.picosecondsPerBit = HardwareTime((1e6 / $0).rounded()) }
      doc.count(links, "buffer", max: 1 << 20) { s.link.bufferPackets = $0 }
    }
    if let router = doc.table(top, "router") {
      doc.checkKeys(router, allowed: ["clock", "wait1", "wait2", "emergency_routing", "reinjection", "reinjection_queue",
                                      "reinjection_delay_us"])
      doc.positive(router, "clock", max: 10_000, unit: "MHz") { s.router.clockMHz = $0 }
      if let w = doc.number(router, "wait1") { if w >= 0 { s.router.wait1Cycles = w } else { doc.fail(router, "wait1", "must be ≥ 0 cycles") } }
      if let w = doc.number(router, "wait2") { if w >= 0 { s.router.wait2Cycles = w } else { doc.fail(router, "wait2", "must be ≥ 0 cycles") } }
      if let on = doc.boolean(router, "emergency_routing") { s.router.emergencyRouting = on }
      if let on = doc.boolean(router, "reinjection") { s.router.reinjection = on }
      doc.count(router, "reinjection_queue", max: 1 << 20) { s.router.reinjectionQueue = $0 }
      doc.positive(router, "reinjection_delay_us", max: 1e6, unit: "µs") { s.router.reinjectionDelay = HardwareClock.hardwareTime(bioMilliseconds: $0 * 1e-3) }
    }
    if let energy = doc.table(top, "energy") {
      doc.checkKeys(energy, allowed: ["router_nj", "idle_chip_w", "active_core_w"])
      doc.positive(energy, "router_nj", max: 1e6, unit: "nJ") { s.energy.routerNanojoules = $0 }
      doc.positive(energy, "idle_chip_w", max: 1e3, unit: "W") { s.energy.idleChipWatts = $0 }
      doc.positive(energy, "active_core_w", max: 1e3, unit: "W") { s.energy.activeCoreWatts = $0 }
    }
    if let faults = doc.table(top, "faults") {
      doc.checkKeys(faults, allowed: ["dead_chips", "dead_pes", "dead_links"])
      let chips = Set(s.chips)
      func chip(_ row: [Int], _ key: String) -> ChipCoordinate? {
        let c = ChipCoordinate(row[0], row[1])
        if chips.contains(c) { return c }
        doc.fail(faults, key, "chip (\(row[0]), \(row[1])) is not a chip of this \(s.shape) machine")
        return nil
      }
      for row in doc.integerRows(faults, "dead_chips", width: 2, what: "[x, y] chip coordinates") ?? [] {
        if let c = chip(row, "dead_chips") { s.deadChips.insert(c) }
      }
      for row in doc.integerRows(faults, "dead_pes", width: 3, what: "[x, y, pe] triples") ?? [] {
        guard let c = chip(row, "dead_pes") else { continue }
        if (0..<s.pesPerChip).contains(row[2]) { s.deadPEs[c, default: []].insert(row[2]) }
        else { doc.fail(faults, "dead_pes", "PE \(row[2]) of chip (\(row[0]), \(row[1])) is not one of 0..<\(s.pesPerChip)") }
      }
      for row in doc.integerRows(faults, "dead_links", width: 3, what: "[x, y, link] triples (link \(SpiNNakerShape.linkLegend))") ?? [] {
        guard let c = chip(row, "dead_links") else { continue }
        if (0..<6).contains(row[2]) { s.deadLinks.insert(ChipLink(c, row[2])) }
        else { doc.fail(faults, "dead_links", "link \(row[2]) of chip (\(row[0]), \(row[1])) is not one of \(SpiNNakerShape.linkLegend)") }
      }
      if chips.allSatisfy({ s.deadChips.contains($0) }) { doc.fail(faults, "dead_chips", "every chip is dead") }
    }
    return s
  }
}
