import Fabric

/// An `ideal` packet: the spike of the neuron whose global id is `key`, arriving at `chip` at
/// `arrival` after crossing the crossbar.
struct IdealPacket: PacketPayload {
  let record: PacketRecord

  init(_ record: PacketRecord) { self.record = record }

  init(arrival: HardwareTime, key: UInt32, chip: Int) { record = PacketRecord(time: arrival, key: key, node: UInt32(chip)) }

  var arrival: HardwareTime { record.time }
  var key: UInt32 { record.key }
  var chip: Int { Int(record.node) }
}

/// A set-up record of the ideal family: `chip` asks the chip of source `key` to route its spikes to it.
struct IdealRouteRequest: PacketPayload {
  let record: PacketRecord

  init(_ record: PacketRecord) { self.record = record }

  init(key: UInt32, chip: UInt32) { record = PacketRecord(time: 0, key: key, node: chip) }

  var key: UInt32 { record.key }
  var chip: UInt32 { record.node }
}
