import Fabric

/// A BrainScaleS-1 event for a HICANN of another rank: the spike of `cell` (global cell index)
/// arriving at `arrival`, over Layer 1 at the HICANN's synapse drivers or over Layer 2 at the FPGA
/// input bus of its wafer (docs/hardware.md §1). The path travels in the top bit of the node field.
struct BrainScaleS1Packet: PacketPayload {
  enum Path { case layer1, layer2 }

  let record: PacketRecord
  private static let layer2Bit: UInt32 = 1 << 31

  init(_ record: PacketRecord) { self.record = record }

  init(arrival: HardwareTime, cell: UInt32, hicann: Int, path: Path) {
    record = PacketRecord(time: arrival, key: cell, node: UInt32(hicann) | (path == .layer2 ? Self.layer2Bit : 0))
  }

  var arrival: HardwareTime { record.time }
  var cell: UInt32 { record.key }
  var hicann: Int { Int(record.node & ~Self.layer2Bit) }
  var path: Path { record.node & Self.layer2Bit != 0 ? .layer2 : .layer1 }
}
