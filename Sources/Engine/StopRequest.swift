#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT and SIGTERM (what Ctrl-C, `timeout`, Slurm and `mpiexec` send). Until a command has work
/// to finish, they end the process at once with 128 + signal, saying so. Once it has (`install`),
/// they ask it to stop (ending at once, the process first releases the outputs it claimed): the window loop notices at its next agreement, every rank stops after the
/// same window, and the traces are written as far as the run got, marked incomplete. A second
/// signal a second or more after the first ends the process at once (`timeout` delivers its one
/// signal twice, to the process and to its process group, and `mpiexec` forwards it besides: those
/// are one request).
///
/// No handler runs: both signals are blocked in every thread from the start of `main` (the threads
/// MPI and others start later inherit that) and one thread takes them with `sigwait`. So MPI_Init
/// is never left waiting on a launcher that has gone, and a library's own handler (METIS traps
/// SIGTERM while it partitions) never sees them.
public enum StopRequest {
  /// The signal that asked to stop, or 0, and when it came (CLOCK_MONOTONIC nanoseconds).
  static let signal = Atomic<Int32>(0)
  static let time = Atomic<Int64>(0)
  /// Whether the command stops at safe points (`install`), rather than ending at once.
  static let stopsAtSafePoints = Atomic<Bool>(false)
  nonisolated(unsafe) static var command = "neurofabric"

  /// First in `main`, before any other thread starts: blocks both signals and starts the thread
  /// that takes them; `command` names the process in the line it prints when it ends one.
  public static func start(command: String) {
    self.command = command
    // A background job starts with SIGINT ignored, and an ignored signal never reaches sigwait.
    Glibc.signal(SIGINT, SIG_DFL)
    Glibc.signal(SIGTERM, SIG_DFL)
    var set = signals
    pthread_sigmask(SIG_BLOCK, &set, nil)
    var thread = pthread_t()
    pthread_create(&thread, nil, { _ in
      var set = StopRequest.signals
      while true {
        var number: Int32 = 0
        if sigwait(&set, &number) == 0 { StopRequest.take(number) }
      }
    }, nil)
  }

  /// From here on a signal asks the command to stop at its next safe point.
  public static func install() { stopsAtSafePoints.store(true, ordering: .relaxed) }

  private static var signals: sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    return set
  }

  private static func take(_ number: Int32) {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    if !stopsAtSafePoints.load(ordering: .relaxed) {
      let line = "neurofabric: \(command): stopped by \(name(number))\n"
      _ = line.withCString { write(2, $0, strlen($0)) }
      OutputClaim.releaseAll()
      _exit(128 + number)
    }
    if signal.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
      time.store(nanoseconds, ordering: .relaxed)
    } else if nanoseconds - time.load(ordering: .relaxed) >= 1_000_000_000 {
      OutputClaim.releaseAll()
      _exit(128 + number)
    }
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
