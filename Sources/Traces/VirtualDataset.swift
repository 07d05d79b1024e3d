import CHDF5

/// One piece of a virtual dataset: `count` elements (or columns) of dataset `dataset` in file
/// `file` from `offset` (relative names resolve against the directory of the file holding the
/// virtual dataset).
public struct VirtualSource: Sendable, Equatable {
  public var file: String
  public var dataset: String
  public var count: Int
  public var offset: Int

  public init(file: String, dataset: String, count: Int, offset: Int = 0) {
    self.file = file
    self.dataset = dataset
    self.count = count
    self.offset = offset
  }
}

extension HDF5Group {
  /// A 1-D virtual dataset concatenating `sources` in order. Elements whose source file is missing
  /// read as `fill` (choose one no real value takes, e.g. NaN or UInt64.max, docs/formats.md §5.5).
  @discardableResult
  public func createVirtualDataset<T: HDF5ElementType>(
    _ child: String, of type: T.Type, sources: [VirtualSource], fill: T
  ) throws -> HDF5Dataset<T> {
    var blocks: [(source: VirtualSource, start: [hsize_t], count: [hsize_t], sourceStart: [hsize_t])] = []
    var offset = 0
    for source in sources where source.count > 0 {
      blocks.append((source, [hsize_t(offset)], [hsize_t(source.count)], [hsize_t(source.offset)]))
      offset += source.count
    }
    let did = try createVirtualDataset(child, of: T.self, dims: [hsize_t(offset)], blocks: blocks, fill: fill)
    return HDF5Dataset(id: did, filePath: filePath, name: childPath(child), count: offset)
  }
}
