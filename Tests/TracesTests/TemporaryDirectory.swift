import Foundation

/// A fresh directory under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory {
  let url: URL

  init(_ label: String) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("nf-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The package root (this file is Tests/TracesTests/TemporaryDirectory.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Runs a Python check from Scripts/checks in the project's venv. Returns nil when there is no venv
/// and NF_REQUIRE_PYTHON is unset (plain `swift test`); Scripts/test sets it, so there it must run.
func runPythonCheck(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
  let python = packageRoot.appendingPathComponent(".venv/bin/python").path
  let required = ProcessInfo.processInfo.environment["NF_REQUIRE_PYTHON"] != nil
  guard FileManager.default.isExecutableFile(atPath: python) else {
    if required { return (127, "no Python venv at \(python): run Scripts/setup") }
    return nil
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  process.arguments = [packageRoot.appendingPathComponent("Scripts/checks/\(script)").path] + arguments
  process.currentDirectoryURL = URL(fileURLWithPath: "/")
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
