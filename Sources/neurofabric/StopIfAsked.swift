import ArgumentParser
import Distributed
import Engine

/// Ends a command that `StopRequest` was asked to stop, at one of its safe points: says what was
/// or was not done (`what`, appended to "stopped by SIGTERM") and exits with 128 + the signal (130 for SIGINT, 143 for SIGTERM), never 0.
/// Under `mpiexec`, whose launcher may report 0 after forwarding a SIGTERM whatever the ranks
/// return, rank 0 of `world` aborts with that status instead (`release` runs first: an abort skips
/// what `defer` would do).
func stopIfAsked(_ command: String, _ what: String?, signal: Int32 = StopRequest.received, world: Communicator? = nil,
                 release: () -> Void = {}) throws {
  guard signal != 0 else { return }
  let message = "\(command): stopped by \(StopRequest.name(signal))" + (what ?? "")
  if let world, MPIRuntime.launchedByProcessManager {
    release()
    if world.rank == 0 { world.abort(message, code: 128 + signal) }
  } else {
    printError("neurofabric: \(message)")
  }
  throw ExitCode(128 + signal)
}
