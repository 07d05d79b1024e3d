#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT and SIGTERM (what Ctrl-C, `timeout`, Slurm and `mpiexec` send) ask the run to stop: the
/// window loop notices at its next agreement, every rank stops after the same window, and the
/// traces are written as far as the run got, marked incomplete. A second signal a second or more
/// after the first ends the process at once (`timeout` delivers its one signal twice, to the
/// process and to its process group, and `mpiexec` forwards it besides: those are one request).
public enum StopRequest {
  /// The signal that asked to stop, or 0, and when it came (CLOCK_MONOTONIC nanoseconds).
  static let signal = Atomic<Int32>(0)
  static let time = Atomic<Int64>(0)

  /// Installs the handlers (before the run starts), and unblocks both signals: a parent that
  /// blocked them (some test runners and job wrappers do) leaves them blocked across exec.
  public static func install() {
    for number in [SIGINT, SIGTERM] {
      Glibc.signal(number) { number in
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)  // async-signal-safe
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        if StopRequest.signal.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
          StopRequest.time.store(nanoseconds, ordering: .relaxed)
        } else if nanoseconds - StopRequest.time.load(ordering: .relaxed) >= 1_000_000_000 {
          _exit(128 + number)
        }
      }
    }
    unblock()
  }

  /// For commands with nothing to finish or write (`validate`, `inspect`): the first SIGINT or
  /// SIGTERM ends the process at once, saying so on stderr, with status 128 + signal.
  public static func installEnding(_ command: String) {
    for number in [SIGINT, SIGTERM] {
      let line = "neurofabric: \(command): stopped by \(name(number))\n".withCString { strdup($0) }
      if number == SIGINT { endingInterrupt = line } else { endingTerminate = line }
      Glibc.signal(number) { number in
        if let line = number == SIGINT ? StopRequest.endingInterrupt : StopRequest.endingTerminate { write(2, line, strlen(line)) }
        _exit(128 + number)
      }
    }
    unblock()
  }

  /// What `installEnding`'s handler writes (set before the handler is installed).
  nonisolated(unsafe) static var endingInterrupt: UnsafeMutablePointer<CChar>?
  nonisolated(unsafe) static var endingTerminate: UnsafeMutablePointer<CChar>?

  private static func unblock() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// The signal received so far, or 0.
  public static var received: Int32 { signal.load(ordering: .relaxed) }

  /// The signal's name for messages (SIGINT, SIGTERM, or its number).
  public static func name(_ number: Int32) -> String {
    switch number {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    default: return "signal \(number)"
    }
  }
}
