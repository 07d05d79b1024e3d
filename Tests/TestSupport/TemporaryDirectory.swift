import Foundation

/// A fresh directory under the system's temporary folder, removed by `remove()`.
public struct TemporaryDirectory {
  public let url: URL

  public init(_ label: String) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("nf-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The package root (this file is Tests/TestSupport/TemporaryDirectory.swift).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Runs a Python check from Scripts/checks in the project's venv. Returns nil when there is no venv
/// and NF_REQUIRE_PYTHON is unset (plain `swift test`); Scripts/test sets it, so there it must run.
public func runPythonCheck(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
  try runPythonScript("Scripts/checks/\(script)", arguments)
}

/// Runs a Python script of the repository (a path from the package root) in the project's venv; nil
/// as for `runPythonCheck`.
public func runPythonScript(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
  let python = packageRoot.appendingPathComponent(".venv/bin/python").path
  guard FileManager.default.isExecutableFile(atPath: python) else {
    if ProcessInfo.processInfo.environment["NF_REQUIRE_PYTHON"] != nil { return (127, "no Python venv at \(python): run Scripts/setup") }
    return nil
  }
  return try runProcess(python, [packageRoot.appendingPathComponent(script).path] + arguments, directory: "/")
}

/// Whether the Python checks can run: the venv exists, or NF_REQUIRE_PYTHON demands them (then a
/// missing venv fails the check instead of skipping it). For `.enabled(if: pythonChecksRun)`.
public var pythonChecksRun: Bool {
  ProcessInfo.processInfo.environment["NF_REQUIRE_PYTHON"] != nil
    || FileManager.default.isExecutableFile(atPath: packageRoot.appendingPathComponent(".venv/bin/python").path)
}
