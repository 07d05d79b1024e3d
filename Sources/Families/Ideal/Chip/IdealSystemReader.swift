import Fabric
import Foundation
import Model

extension SystemFileReader {
  /// The `ideal` family: `[system]` chips and step, `[links]`, `[faults]`, `[counters]`.
  public static func readIdeal(_ doc: inout TopologyDocument, _ top: TopologyDocument.Section,
                               _ header: TopologyDocument.Section) -> IdealSystem {
    doc.checkKeys(top, allowed: ["system", "links", "faults", "counters"])
    var s = IdealSystem()
    doc.checkKeys(header, allowed: ["family", "name", "chips", "dt"])
    s.name = doc.string(header, "name") ?? (doc.file as NSString).lastPathComponent
    if let chips = doc.integer(header, "chips") {
      if (1...65_536).contains(chips) { s.chips = chips } else { doc.fail(header, "chips", "must be in 1...65536, got \(chips)") }
    }
    if let dt = doc.number(header, "dt") {
      if dt >= 1e-3 && dt <= 10 { s.dt = dt } else { doc.fail(header, "dt", "must be in [0.001, 10] ms, got \(dt)") }
    }
    if let links = doc.table(top, "links") {
      doc.checkKeys(links, allowed: ["latency", "bandwidth", "buffer", "policy", "max_wait", "packet_bits"])
      if let latency = doc.number(links, "latency") {
        if latency >= 1e-6 && latency <= 1e6 { s.link.latency = HardwareClock.hardwareTime(bioMilliseconds: latency) }
        else { doc.fail(links, "latency", "must be in [1e-6, 1e6] ms (it is the lookahead of the distributed run), got \(latency)") }
      }
      if let bits = doc.integer(links, "packet_bits") {
        if (1...1024).contains(bits) { s.packetBits = Int64(bits) } else { doc.fail(links, "packet_bits", "must be in 1...1024, got \(bits)") }
      }
      if let bandwidth = doc.number(links, "bandwidth") {
        // Mbit/s of bio time: a bit takes 1e6 / bandwidth ps.
        if bandwidth >= 1e-3 && bandwidth <= 1e6 { s.link.picosecondsPerBit = HardwareTime((1e6 / bandwidth).rounded()) }
        else if bandwidth != 0 { doc.fail(links, "bandwidth", "must be in [0.001, 1e6] Mbit/s, or 0 for unlimited, got \(bandwidth)") }
      }
      if let buffer = doc.integer(links, "buffer") {
        if buffer > 0 && buffer <= 1 << 20 { s.link.bufferPackets = buffer }
        else if buffer != 0 { doc.fail(links, "buffer", "must be in 1...1048576 packets, or 0 for unlimited, got \(buffer)") }
      }
      if s.link.picosecondsPerBit > 0 && s.link.bufferPackets == .max {
        doc.fail(links, "bandwidth", "a link with a bandwidth needs a finite 'buffer' (packets), or queues grow without bound")
      }
      let maxWait = doc.number(links, "max_wait") ?? 0
      switch doc.string(links, "policy") ?? "drop" {
      case "drop": s.link.policy = .drop
      case "wait":
        if maxWait >= 1e-6 && maxWait <= 1e6 { s.link.policy = .wait(HardwareClock.hardwareTime(bioMilliseconds: maxWait)) }
        else { doc.fail(links, "max_wait", "policy 'wait' needs max_wait in [1e-6, 1e6] ms, got \(maxWait)") }
      case let other: doc.fail(links, "policy", "unknown policy '\(other)' (expected drop or wait)")
      }
    }
    if let faults = doc.table(top, "faults") {
      doc.checkKeys(faults, allowed: ["dead_chips", "dead_links"])
      for chip in doc.numbers(faults, "dead_chips") ?? [] {
        guard chip >= 0, chip < Double(s.chips), chip == chip.rounded() else {
          doc.fail(faults, "dead_chips", "chip \(chip) is not one of 0..<\(s.chips)")
          continue
        }
        s.deadChips.insert(Int(chip))
      }
      for pair in doc.integerRows(faults, "dead_links", width: 2, what: "[source chip, target chip] pairs") ?? [] {
        guard pair[0] != pair[1], (0..<s.chips).contains(pair[0]), (0..<s.chips).contains(pair[1]) else {
          doc.fail(faults, "dead_links", "link \(pair) does not join two distinct chips of 0..<\(s.chips)")
          continue
        }
        s.deadLinks.insert(ChipPair(pair[0], pair[1]))
      }
      if s.liveChips.isEmpty { doc.fail(faults, "dead_chips", "every chip is dead") }
    }
    if let counters = doc.table(top, "counters") {
      doc.checkKeys(counters, allowed: ["interval"])
      if let interval = doc.number(counters, "interval") {
        if interval >= 1e-3 && interval <= 1e6 { s.counterInterval = interval }
        else { doc.fail(counters, "interval", "must be in [0.001, 1e6] ms, got \(interval)") }
      }
    }
    return s
  }
}
