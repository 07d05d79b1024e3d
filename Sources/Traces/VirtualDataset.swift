import CHDF5

/// One piece of a virtual dataset: all of dataset `dataset` in file `file` (relative names resolve
/// against the directory of the file holding the virtual dataset).
public struct VirtualSource: Sendable, Equatable {
  public var file: String
  public var dataset: String
  public var count: Int

  public init(file: String, dataset: String, count: Int) {
    self.file = file
    self.dataset = dataset
    self.count = count
  }
}

extension HDF5Group {
  /// A 1-D virtual dataset concatenating `sources` in order. Elements whose source file is missing
  /// read as `fill` (choose one no real value takes, e.g. NaN or UInt64.max, FORMATS.md §5.5).
  @discardableResult
  public func createVirtualDataset<T: HDF5ElementType>(
    _ child: String, of type: T.Type, sources: [VirtualSource], fill: T
  ) throws -> HDF5Dataset<T> {
    let path = childPath(child)
    let total = sources.reduce(0) { $0 + $1.count }
    var dims = [hsize_t(total)]
    let virtualSpace = try check(H5Screate_simple(1, &dims, nil), "create dataspace", object: path)
    defer { H5Sclose(virtualSpace) }
    let dcpl = try check(H5Pcreate(ch5_dataset_create()), "create property list", object: path)
    defer { H5Pclose(dcpl) }
    try check(H5Pset_layout(dcpl, H5D_VIRTUAL), "set virtual layout", object: path)
    var fillValue = fill
    try check(H5Pset_fill_value(dcpl, T.memoryType, &fillValue), "set fill value", object: path)
    var offset = 0
    for source in sources where source.count > 0 {
      var start = [hsize_t(offset)], n = [hsize_t(source.count)]
      try check(H5Sselect_hyperslab(virtualSpace, H5S_SELECT_SET, &start, nil, &n, nil), "select block", object: path)
      let sourceSpace = try check(H5Screate_simple(1, &n, nil), "create dataspace", object: path)
      defer { H5Sclose(sourceSpace) }
      try check(H5Pset_virtual(dcpl, virtualSpace, source.file, source.dataset, sourceSpace),
                "map \(source.file):\(source.dataset)", object: path)
      offset += source.count
    }
    try check(H5Sselect_all(virtualSpace), "select all", object: path)
    let did = try check(H5Dcreate2(id, child, T.fileType, virtualSpace, ch5_default(), dcpl, ch5_default()),
                        "create virtual dataset", object: path)
    return HDF5Dataset(id: did, filePath: filePath, name: path, count: total)
  }
}
