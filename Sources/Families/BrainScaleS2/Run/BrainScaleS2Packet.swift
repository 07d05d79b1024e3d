import Fabric

/// A BrainScaleS-2 event between chips: the spike of `cell` (global cell index) reaching `chip`'s
/// FPGA input at `arrival`, the FPGA path's latency included (docs/hardware.md §2).
struct BrainScaleS2Packet: PacketPayload {
  let record: PacketRecord

  init(_ record: PacketRecord) { self.record = record }

  init(arrival: HardwareTime, cell: Int, chip: Int) { record = PacketRecord(time: arrival, key: UInt32(cell), node: UInt32(chip)) }

  var arrival: HardwareTime { record.time }
  var cell: UInt32 { record.key }
  var chip: Int { Int(record.node) }
}
