import Foundation

/// Helpers shared by the test targets: running programs, temporary folders, Python checks.

/// Runs a program and returns its exit status and combined output. Variables of an outer MPI
/// launcher are dropped, so a test run under `mpiexec` can still start its own `mpiexec`.
public func runProcess(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
                       directory: String? = nil) throws
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
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The folder holding the built products (`neurofabric`, the test bundle).
public var productsDirectory: URL {
  URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}

public let mpiexec = "/usr/bin/mpiexec"
