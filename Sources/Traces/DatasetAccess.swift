import CHDF5

extension HDF5Object {
  /// Grows a dataset to `newSize` and writes `count` elements of `memoryType` at `start` (any rank).
  func extendAndWrite(start: [hsize_t], count: [hsize_t], newSize: [hsize_t], memoryType: hid_t,
                      from buffer: UnsafeRawPointer?, _ what: String) throws {
    var start = start, count = count, newSize = newSize
    try check(H5Dset_extent(id, &newSize), "extend dataset to \(newSize.map(String.init).joined(separator: "×"))")
    let fileSpace = try check(H5Dget_space(id), "get dataspace")
    defer { H5Sclose(fileSpace) }
    try check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil), "select tail")
    let memorySpace = try check(H5Screate_simple(Int32(count.count), &count, nil), "create dataspace")
    defer { H5Sclose(memorySpace) }
    try check(H5Dwrite(id, memoryType, memorySpace, fileSpace, ch5_default(), buffer), "append \(what)")
  }
}

extension HDF5Group {
  /// Opens dataset `child`, which must have `dimensions` dimensions; returns its id and extent.
  func openDataset(_ child: String, dimensions: Int) throws -> (id: hid_t, dims: [hsize_t]) {
    let path = childPath(child)
    guard contains(child) else { throw HDF5Error.objectNotFound(path: filePath, object: path) }
    let did = try check(H5Dopen2(id, child, ch5_default()), "open dataset", object: path)
    let space = H5Dget_space(did)
    defer { H5Sclose(space) }
    guard H5Sget_simple_extent_ndims(space) == Int32(dimensions) else {
      H5Dclose(did)
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "a \(dimensions)-D dataset")
    }
    var dims = [hsize_t](repeating: 0, count: dimensions)
    H5Sget_simple_extent_dims(space, &dims, nil)
    return (did, dims)
  }

  /// Creates an empty chunked dataset of `T` growing along `maxDims`; `configure` adds filters.
  func createChunkedDataset<T: HDF5ElementType>(
    _ child: String, of type: T.Type, dims: [hsize_t], maxDims: [hsize_t], chunk: [hsize_t], fill: T?,
    configure: (hid_t) throws -> Void = { _ in }
  ) throws -> hid_t {
    let path = childPath(child)
    var dims = dims, maxDims = maxDims, chunk = chunk
    let space = try check(H5Screate_simple(Int32(dims.count), &dims, &maxDims), "create dataspace", object: path)
    defer { H5Sclose(space) }
    let dcpl = try check(H5Pcreate(ch5_dataset_create()), "create property list", object: path)
    defer { H5Pclose(dcpl) }
    try check(H5Pset_chunk(dcpl, Int32(chunk.count), &chunk), "set chunk size", object: path)
    if var fill {
      try check(H5Pset_fill_value(dcpl, T.memoryType, &fill), "set fill value", object: path)
    }
    try configure(dcpl)
    return try check(H5Dcreate2(id, child, T.fileType, space, ch5_default(), dcpl, ch5_default()), "create dataset", object: path)
  }

  /// Creates a virtual dataset of shape `dims` in which each block (`start`, `count`) maps the
  /// block of its source that starts at `sourceStart`; unmapped elements and missing source files
  /// read as `fill`.
  func createVirtualDataset<T: HDF5ElementType>(
    _ child: String, of type: T.Type, dims: [hsize_t],
    blocks: [(source: VirtualSource, start: [hsize_t], count: [hsize_t], sourceStart: [hsize_t])], fill: T
  ) throws -> hid_t {
    let path = childPath(child)
    var dims = dims
    let virtualSpace = try check(H5Screate_simple(Int32(dims.count), &dims, nil), "create dataspace", object: path)
    defer { H5Sclose(virtualSpace) }
    let dcpl = try check(H5Pcreate(ch5_dataset_create()), "create property list", object: path)
    defer { H5Pclose(dcpl) }
    try check(H5Pset_layout(dcpl, H5D_VIRTUAL), "set virtual layout", object: path)
    var fillValue = fill
    try check(H5Pset_fill_value(dcpl, T.memoryType, &fillValue), "set fill value", object: path)
    for block in blocks {
      var start = block.start, count = block.count
      try check(H5Sselect_hyperslab(virtualSpace, H5S_SELECT_SET, &start, nil, &count, nil), "select block", object: path)
      var sourceStart = block.sourceStart
      var extent = zip(sourceStart, count).map { $0 + $1 }
      let sourceSpace = try check(H5Screate_simple(Int32(count.count), &extent, nil), "create dataspace", object: path)
      defer { H5Sclose(sourceSpace) }
      try check(H5Sselect_hyperslab(sourceSpace, H5S_SELECT_SET, &sourceStart, nil, &count, nil), "select source block", object: path)
      try check(H5Pset_virtual(dcpl, virtualSpace, block.source.file, block.source.dataset, sourceSpace),
                "map \(block.source.file):\(block.source.dataset)", object: path)
    }
    try check(H5Sselect_all(virtualSpace), "select all", object: path)
    return try check(H5Dcreate2(id, child, T.fileType, virtualSpace, ch5_default(), dcpl, ch5_default()),
                     "create virtual dataset", object: path)
  }
}
