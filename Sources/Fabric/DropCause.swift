/// Why the fabric lost a packet; each cause has its own counter per link.
public enum DropCause: Int, CaseIterable, Sendable {
  /// The link buffer was full and the policy drops at once.
  case bufferFull
  /// The packet waited for buffer space longer than the policy allows.
  case waitTimeout
  /// The link is marked dead in the topology.
  case deadLink
  /// The router the packet reached is marked dead.
  case deadRouter

  /// The name used in traces and reports.
  public var name: String {
    switch self {
    case .bufferFull: return "buffer_full"
    case .waitTimeout: return "wait_timeout"
    case .deadLink: return "dead_link"
    case .deadRouter: return "dead_router"
    }
  }
}
