import Distributed
import Fabric

/// The ranks of a run and the collectives a run needs, each turning any rank's failure into an
/// orderly stop on all ranks: no rank hangs in a collective the others left.
public struct RankGroup {
  public let communicator: Communicator

  public init(_ communicator: Communicator) { self.communicator = communicator }

  public var rank: Int { communicator.rank }
  public var size: Int { communicator.size }

  /// Every rank learns whether any rank failed; the failing rank throws its own error, the others
  /// `stoppedByOtherRank`, so all stop at the same point.
  public func agree(_ failure: RunError?, phase: String) throws(RunError) {
    let worst = try collective(phase) { try communicator.allreduce(failure == nil ? Int64.max : Int64(communicator.rank), .min) }
    if let failure { throw failure }
    if worst != .max { throw .stoppedByOtherRank(rank: Int(worst), phase: phase) }
  }

  public func collective<T>(_ what: String, _ body: () throws -> T) throws(RunError) -> T {
    do { return try body() } catch { throw .communication("\(what): \(error)") }
  }

  public func sum(_ values: [Int64]) throws(RunError) -> [Int64] {
    try collective("summary") { try communicator.allreduce(values, .sum) }
  }

  public func sum(_ values: [Double]) throws(RunError) -> [Double] {
    try collective("summary") { try communicator.allreduce(values, .sum) }
  }

  public func maximum(_ value: Double) throws(RunError) -> Double {
    try collective("timers") { try communicator.allreduce(value, .max) }
  }

  public func maximum(_ values: [Double]) throws(RunError) -> [Double] {
    try collective("summary") { try communicator.allreduce(values, .max) }
  }

  /// Sends every rank its packets (one alltoallv) and empties the outbox.
  func exchange(_ outbox: inout [[PacketRecord]]) throws(RunError) -> [PacketRecord] {
    let received = try collective("exchange") {
      try communicator.alltoallv(records: Array(outbox.joined()), counts: outbox.map(\.count)).records
    }
    for r in outbox.indices { outbox[r].removeAll(keepingCapacity: true) }
    return received
  }
}
