import Foundation
import Traces

/// The built `neurofabric` binary (`swift test` builds it with the tests).
public let neurofabric = productsDirectory.appendingPathComponent("neurofabric").path

/// A topology file shipped in Topologies/.
public func topology(_ name: String) -> String { packageRoot.appendingPathComponent("Topologies/\(name)").path }

/// Tests/Fixtures: networks and NEST reference traces the tests read.
public let fixturesDirectory = packageRoot.appendingPathComponent("Tests/Fixtures")

/// Writes `text` to `name` in `dir` and returns its path.
public func write(_ text: String, _ dir: TemporaryDirectory, _ name: String) throws -> String {
  let path = dir.path(name)
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

/// `neurofabric run --no-progress arguments…` under `mpiexec -n ranks`, stopped after `timeout` seconds.
public func run(ranks: Int, _ arguments: [String], timeout: Double = 600) throws -> (status: Int32, output: String) {
  try runProcess(mpiexec, ["-n", String(ranks), neurofabric, "run", "--no-progress"] + arguments, timeout: timeout)
}

/// The spikes of `population` in a trace: times and node ids.
public func spikes(_ file: String, _ population: String) throws -> (times: [Double], nodes: [UInt64]) {
  let group = try HDF5File.open(file).root().openGroup("spikes/\(population)")
  return (try group.openDataset("timestamps", as: Double.self).read(), try group.openDataset("node_ids", as: UInt64.self).read())
}

/// One counter column of a trace, e.g. ("fabric/routers", "drops").
public func column(_ file: String, _ group: String, _ name: String) throws -> [UInt64] {
  try HDF5File.open(file).root().openGroup(group).openDataset(name, as: UInt64.self).read()
}

/// The error `body` throws as a caller that catches any error sees it; nil when it throws none.
public func thrownError(_ body: () throws -> Void) -> (any Error)? {
  do {
    try body()
    return nil
  } catch {
    return error
  }
}
