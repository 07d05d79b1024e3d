import Fabric

/// A SpiNNaker multicast packet as a PE sends it: its routing `key`, the chip whose router it
/// enters and the time it was emitted. Every rank routes every packet (docs/hardware.md §3).
public struct SpiNNakerPacket: PacketPayload {
  public let record: PacketRecord

  public init(_ record: PacketRecord) { self.record = record }

  public init(emitted: HardwareTime, key: UInt32, sourceChip: Int) { record = PacketRecord(time: emitted, key: key, node: UInt32(sourceChip)) }

  public var emitted: HardwareTime { record.time }
  public var key: UInt32 { record.key }
  public var sourceChip: Int { Int(record.node) }
}
