import Foundation
import TestSupport
import Testing
import Traces

/// Whole datasets of any rank and class, read from a file h5py wrote (a NIR graph from `nir.write`).
@Suite struct HDF5ArrayTests {
  let path = fixturesDirectory.appendingPathComponent("nir/feedforward.nir").path

  @Test func scalarsMatricesAndStringsRead() throws {
    let root = try HDF5File.open(path).root()
    #expect(try root.readArray("version") == .strings(shape: [], values: ["1.0.8"]))
    #expect(try root.readArray("node/type") == .strings(shape: [], values: ["NIRGraph"]))
    let edges = try root.readArray("node/edges")
    #expect(edges == .strings(shape: [3, 2], values: ["input", "fc", "fc", "lif", "lif", "output"]))
    guard case let .numbers(shape, weights) = try root.readArray("node/nodes/fc/weight") else {
      Issue.record("weight is not numeric")
      return
    }
    #expect(shape == [4, 3])
    #expect(weights[3] == Double(Float(1.2)), "row-major (out, in): row 1 starts with 1.2")
    #expect(try root.readArray("node/nodes/input/shape") == .numbers(shape: [1], values: [3]))
  }

  @Test func groupsAndMissingObjectsAreTold() throws {
    let root = try HDF5File.open(path).root()
    #expect(root.isGroup("node/nodes") && !root.isGroup("node/edges") && !root.isGroup("nothing"))
    #expect(throws: HDF5Error.objectNotFound(path: path, object: "/node/nodes")) { try root.readArray("node/nodes") }
    #expect(throws: HDF5Error.objectNotFound(path: path, object: "/node/absent")) { try root.readArray("node/absent") }
    #expect(throws: HDF5Error.self) { try root.readArray("node/nodes/fc/weight", limit: 11) }
  }
}
