import Foundation
import TestSupport
import Testing
import Traces

@Suite struct VirtualDatasetTests {
  /// Two rank files and a master whose datasets concatenate them; written here, read back here and by h5py.
  func writeRankFilesAndMaster(in dir: TemporaryDirectory) throws -> (times: [Double], ids: [UInt64]) {
    let perRank: [[Double]] = [[0.5, 1.5, 2.5], (0..<20_000).map { Double($0) / 8 }]
    var sources: [VirtualSource] = []
    for (rank, times) in perRank.enumerated() {
      let name = "rank-0000\(rank).h5"
      let group = try HDF5File.create(dir.path(name)).root().createGroup("spikes/exc")
      try group.createExtendibleDataset("timestamps", of: Double.self).append(times)
      try group.createExtendibleDataset("node_ids", of: UInt64.self).append(times.map { UInt64($0 * 2) + UInt64(rank) })
      sources.append(VirtualSource(file: name, dataset: "/spikes/exc/timestamps", count: times.count))
    }
    let master = try HDF5File.create(dir.path("trace.h5")).root().createGroup("spikes/exc")
    try master.createVirtualDataset("timestamps", of: Double.self, sources: sources, fill: .nan)
    let idSources = sources.map { VirtualSource(file: $0.file, dataset: "/spikes/exc/node_ids", count: $0.count) }
    try master.createVirtualDataset("node_ids", of: UInt64.self, sources: idSources, fill: .max)
    let ids = perRank.enumerated().flatMap { rank, times in times.map { UInt64($0 * 2) + UInt64(rank) } }
    return (Array(perRank.joined()), ids)
  }

  @Test func masterReadsThroughToRankFiles() throws {
    let dir = try TemporaryDirectory("vds")
    defer { dir.remove() }
    let expected = try writeRankFilesAndMaster(in: dir)
    let group = try HDF5File.open(dir.path("trace.h5")).group("/spikes/exc")
    let times = try group.openDataset("timestamps", as: Double.self)
    #expect(times.isVirtual)
    #expect(try times.read() == expected.times)
    #expect(try group.openDataset("node_ids", as: UInt64.self).read() == expected.ids)
  }

  @Test(.enabled(if: pythonChecksRun, "h5py runs in the venv"))
  func h5pyReadsTheMasterFromAnotherDirectory() throws {
    let dir = try TemporaryDirectory("vds-h5py")
    defer { dir.remove() }
    let expected = try writeRankFilesAndMaster(in: dir)
    let result = try #require(try runPythonCheck("check_virtual_dataset.py", [dir.path("trace.h5"), "\(expected.times.count)"]))
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("virtual dataset OK: 20003 elements from 2 files"), "\(result.output)")
  }

  @Test func missingRankFileReadsAsFillValue() throws {
    let dir = try TemporaryDirectory("vds-missing")
    defer { dir.remove() }
    _ = try writeRankFilesAndMaster(in: dir)
    try FileManager.default.removeItem(atPath: dir.path("rank-00000.h5"))
    let group = try HDF5File.open(dir.path("trace.h5")).group("/spikes/exc")
    let times = try group.openDataset("timestamps", as: Double.self).read()
    #expect(times.prefix(3).allSatisfy { $0.isNaN })
    let restHasNaN = times.dropFirst(3).contains { $0.isNaN }
    #expect(!restHasNaN)
    let ids = try group.openDataset("node_ids", as: UInt64.self).read()
    #expect(ids.prefix(3).allSatisfy { $0 == .max })
  }
}
