import Foundation
import TestSupport
import Testing
import Traces

@Suite struct ErrorPathTests {
  @Test func missingFileIsNamed() {
    let path = "/tmp/nf-does-not-exist-\(UUID().uuidString).h5"
    #expect(throws: HDF5Error.fileNotFound(path: path)) { try HDF5File.open(path) }
    #expect(HDF5Error.fileNotFound(path: path).description == "\(path): no such file")
  }

  @Test func nonHDF5FileIsNamed() throws {
    let dir = try TemporaryDirectory("not-hdf5")
    defer { dir.remove() }
    let path = dir.path("network.toml")
    try "[population]\nsize = 3\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: HDF5Error.notHDF5(path: path)) { try HDF5File.open(path) }
  }

  @Test func missingDirectoryIsNamed() {
    let path = "/tmp/nf-no-such-dir-\(UUID().uuidString)/out/rank-00000.h5"
    let directory = String(path.dropLast("/rank-00000.h5".count))
    #expect(throws: HDF5Error.directoryMissing(path: path, directory: directory)) { try HDF5File.create(path) }
  }

  @Test func libraryFailuresCarryTheErrorStack() throws {
    let dir = try TemporaryDirectory("stack")
    defer { dir.remove() }
    let root = try HDF5File.create(dir.path("dup.h5")).root()
    _ = try root.createExtendibleDataset("timestamps", of: Double.self)
    do {
      _ = try root.createExtendibleDataset("timestamps", of: Double.self)
      Issue.record("creating a dataset twice must fail")
    } catch let HDF5Error.library(operation, path, object, stack) {
      #expect(operation == "create dataset")
      #expect(path == dir.path("dup.h5") && object == "/timestamps")
      #expect(stack.contains { $0.contains("H5Dcreate2") }, "\(stack)")
    }
    #expect(throws: HDF5Error.objectNotFound(path: dir.path("dup.h5"), object: "/spikes")) {
      try root.openGroup("spikes")
    }
  }

  @Test func readOnlyFileRefusesWrites() throws {
    let dir = try TemporaryDirectory("readonly")
    defer { dir.remove() }
    _ = try HDF5File.create(dir.path("r.h5"))
    let root = try HDF5File.open(dir.path("r.h5")).root()
    #expect(throws: HDF5Error.self) { try root.createGroup("spikes") }
  }
}
