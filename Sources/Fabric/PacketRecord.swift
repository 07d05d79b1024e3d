/// A packet crossing from one rank to another (docs/design-notes.md §4), as it travels: 16 bytes,
/// sent once per receiving rank; multicast replication happens on the receiver, as on hardware.
/// What its three fields mean is the sending family's: each family reads and writes its packets
/// through its `PacketPayload`, which names them in the family's words. The engine hands a rank its
/// received packets in one order, `precedes`, whatever rank they came from.
public struct PacketRecord: Sendable, Equatable, BitwiseCopyable {
  public var time: HardwareTime
  public var key: UInt32
  public var node: UInt32

  public init(time: HardwareTime, key: UInt32, node: UInt32) {
    self.time = time
    self.key = key
    self.node = node
  }

  /// The deterministic processing order: (time, node, key). Packets equal in all three are
  /// interchangeable, so no sequence number is needed to break their ties.
  @inline(__always)
  public static func precedes(_ a: PacketRecord, _ b: PacketRecord) -> Bool {
    if a.time != b.time { return a.time < b.time }
    if a.node != b.node { return a.node < b.node }
    return a.key < b.key
  }
}

/// A family's packet: a view of the 16-byte wire record with the family's names and meaning for
/// its fields (a time, a source, a place), so no family reads another's fields or hides a flag in
/// one unannounced. Views cost nothing: they wrap the record.
public protocol PacketPayload: Sendable {
  init(_ record: PacketRecord)
  var record: PacketRecord { get }
}

extension PacketRecord: PacketPayload {
  public init(_ record: PacketRecord) { self = record }
  public var record: PacketRecord { self }
}
