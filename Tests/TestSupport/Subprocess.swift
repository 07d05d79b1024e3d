import Foundation

/// Helpers shared by the test targets: running programs, temporary folders, Python checks.

/// Runs a program and returns its exit status and combined output. Variables of an outer MPI
/// launcher are dropped, so a test run under `mpiexec` can still start its own `mpiexec`. A program
/// still running after `timeout` seconds is stopped (SIGTERM, then SIGKILL) and reported with
/// status 124 and a line saying so, so no test waits forever on a hung run.
public func runProcess(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
                       directory: String? = nil, timeout: Double = 600) throws
  -> (status: Int32, output: String)
{
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  var environment = ProcessInfo.processInfo.environment.filter {
    !$0.key.hasPrefix("PMI_") && !$0.key.hasPrefix("HYDRA_") && !$0.key.hasPrefix("MPIR_")
  }
  environment.merge(extra) { _, new in new }
  process.environment = environment
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let timedOut = TimeoutFlag()
  let pid = process.processIdentifier
  DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
    guard process.isRunning else { return }
    timedOut.set()
    kill(pid, SIGTERM)
    DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if process.isRunning { kill(pid, SIGKILL) } }
  }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let output = String(decoding: data, as: UTF8.self)
  if timedOut.isSet { return (124, output + "\n[runProcess: \(executable) stopped after \(timeout) s]") }
  return (process.terminationStatus, output)
}

/// Set once from the timer, read after the process ended.
private final class TimeoutFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  func set() { lock.withLock { value = true } }
  var isSet: Bool { lock.withLock { value } }
}

/// The folder holding the built products (`neurofabric`, the test bundle).
public var productsDirectory: URL {
  URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}

public let mpiexec = "/usr/bin/mpiexec"
