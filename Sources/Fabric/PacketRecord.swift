/// A packet crossing from one rank to another (docs/design-notes.md §4): 16 bytes, sent once per
/// receiving rank; multicast replication happens on the receiver, as on hardware.
public struct PacketRecord: Sendable, Equatable, BitwiseCopyable {
  /// Arrival time at the target node.
  public var time: HardwareTime
  /// Routing key: the global id of the source neuron.
  public var key: UInt32
  /// The node (chip) the packet arrives at.
  public var node: UInt32

  public init(time: HardwareTime, key: UInt32, node: UInt32) {
    self.time = time
    self.key = key
    self.node = node
  }

  /// The deterministic processing order: (time, target, source). Packets equal in all three are
  /// interchangeable, so no sequence number is needed to break their ties.
  @inline(__always)
  public static func precedes(_ a: PacketRecord, _ b: PacketRecord) -> Bool {
    if a.time != b.time { return a.time < b.time }
    if a.node != b.node { return a.node < b.node }
    return a.key < b.key
  }
}
