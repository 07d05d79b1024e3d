/// What a link does with a packet when its buffer is full.
public enum FullBufferPolicy: Sendable, Equatable {
  /// Drop the packet at once (BrainScaleS-2 crossbar).
  case drop
  /// Hold it in the router until space frees, at most this long, then drop it (SpiNNaker's wait).
  case wait(HardwareTime)
}

/// Timing and capacity of one directed link of the fabric (docs/design-notes.md §7).
public struct LinkParameters: Sendable, Equatable {
  /// Time from the end of transmission to arrival at the far node.
  public var latency: HardwareTime
  /// Transmission time per packet bit (the inverse bandwidth); 0 for unlimited bandwidth.
  public var picosecondsPerBit: HardwareTime
  /// Packets that may wait for transmission; `Int.max` for an unlimited buffer.
  public var bufferPackets: Int
  public var policy: FullBufferPolicy

  public init(latency: HardwareTime, picosecondsPerBit: HardwareTime = 0, bufferPackets: Int = .max,
              policy: FullBufferPolicy = .drop) {
    self.latency = latency
    self.picosecondsPerBit = picosecondsPerBit
    self.bufferPackets = bufferPackets
    self.policy = policy
  }
}
