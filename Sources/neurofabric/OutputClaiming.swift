import Distributed
import Engine

/// Why rank 0 refused a command's output; every rank throws it.
struct OutputRefused: Error {
  var reason: String
}

/// Claims a command's output before it does anything long (`run`, `infer`): rank 0 of `world`
/// takes the claim with `take`, which also says why an output it may not write is refused (a
/// finished run, an existing file), and every rank learns of a refusal, so none goes on alone.
/// Returns rank 0's claim (nil on the other ranks); a refusal releases it and throws
/// `OutputRefused` on every rank. Rank 0 claims only once every rank stops at safe points
/// (`StopRequest.install`): a rank that a signal ends at once, in its start-up, must not leave rank 0
/// holding a claim in a collective that `mpiexec` then kills.
func claimOutput(on world: Communicator, _ take: () throws -> (claim: OutputClaim, refusal: String?)) throws -> OutputClaim? {
  _ = try world.allreduce(Int64(0), .max)
  var claim: OutputClaim?, refusal: String?
  if world.rank == 0 {
    do {
      (claim, refusal) = try take()
    } catch {
      refusal = "\(error)"
    }
  }
  do {
    if try world.allreduce(Int64(refusal == nil ? 0 : 1), .max) == 0 { return claim }
  } catch {
    claim?.release()
    throw error
  }
  claim?.release()
  throw OutputRefused(reason: refusal ?? "rank 0 cannot write the output")
}
