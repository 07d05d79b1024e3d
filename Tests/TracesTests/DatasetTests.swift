import Foundation
import TestSupport
import Testing
import Traces

@Suite struct DatasetTests {
  @Test func appendInSeveralStepsAndReadBack() throws {
    let dir = try TemporaryDirectory("append")
    defer { dir.remove() }
    let path = dir.path("rank-00000.h5")
    let batches: [[Double]] = [[0.1, 0.2], [], (0..<40_000).map { Double($0) * 0.1 }, [1e9]]
    do {
      let file = try HDF5File.create(path)
      let group = try file.root().createGroup("spikes/exc")
      let times = try group.createExtendibleDataset("timestamps", of: Double.self)
      let ids = try group.createExtendibleDataset("node_ids", of: UInt64.self, chunkElements: 1000)
      for batch in batches {
        try times.append(batch)
        try ids.append(batch.map { UInt64($0 * 10) })
        try file.flush()
      }
      #expect(times.count == 40_003)
    }
    let file = try HDF5File.open(path)
    let group = try file.group("/spikes/exc")
    let times = try group.openDataset("timestamps", as: Double.self)
    #expect(times.count == 40_003)
    #expect(try times.read() == Array(batches.joined()))
    #expect(try times.read(2..<5) == [0.0, 0.1, 0.2])
    #expect(try group.openDataset("node_ids", as: UInt64.self).read() == batches.joined().map { UInt64($0 * 10) })
    #expect(!times.isVirtual)
    #expect(group.memberNames == ["node_ids", "timestamps"])
  }

  @Test func fixedDatasetConvertsOnRead() throws {
    let dir = try TemporaryDirectory("fixed")
    defer { dir.remove() }
    let path = dir.path("fixed.h5")
    try HDF5File.create(path).root().createDataset("counts", values: [UInt32(3), 1, 4, 1, 5])
    let back = try HDF5File.open(path).root().openDataset("counts", as: Double.self).read()
    #expect(back == [3, 1, 4, 1, 5])
  }
}
