import CHDF5

/// An HDF5 group: creates and opens subgroups and datasets.
public final class HDF5Group: HDF5Object {
  deinit { H5Gclose(id) }

  public func createGroup(_ child: String) throws -> HDF5Group {
    let path = childPath(child)
    let lcpl = H5Pcreate(ch5_link_create())
    defer { H5Pclose(lcpl) }
    H5Pset_create_intermediate_group(lcpl, 1)
    let gid = try check(H5Gcreate2(id, child, lcpl, ch5_default(), ch5_default()), "create group", object: path)
    return HDF5Group(id: gid, filePath: filePath, name: path)
  }

  public func openGroup(_ child: String) throws -> HDF5Group {
    let path = childPath(child)
    guard contains(child) else { throw HDF5Error.objectNotFound(path: filePath, object: path) }
    let gid = try check(H5Gopen2(id, child, ch5_default()), "open group", object: path)
    return HDF5Group(id: gid, filePath: filePath, name: path)
  }

  /// The subgroup `child`, created if missing.
  public func group(_ child: String) throws -> HDF5Group {
    try contains(child) ? openGroup(child) : createGroup(child)
  }

  /// Whether a link of this (possibly nested) name exists.
  public func contains(_ child: String) -> Bool {
    var prefix = ""
    for component in child.split(separator: "/") {
      prefix += prefix.isEmpty && !child.hasPrefix("/") ? String(component) : "/" + component
      if H5Lexists(id, prefix, ch5_default()) <= 0 { return false }
    }
    return true
  }

  /// Names of the direct members, in name order.
  public var memberNames: [String] {
    var info = H5G_info_t()
    guard H5Gget_info(id, &info) >= 0 else { return [] }
    return (0..<info.nlinks).compactMap { index in
      let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, ch5_default())
      guard length >= 0 else { return nil }
      var buffer = [CChar](repeating: 0, count: length + 1)
      H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, length + 1, ch5_default())
      return String(cString: buffer)
    }
  }

  /// An empty 1-D dataset that grows with `append`: chunked, unlimited, uncompressed unless asked
  /// (libsonata's wheel cannot read deflate, docs/formats.md §5.4); chunks stay ≤ 1 MiB.
  public func createExtendibleDataset<T: HDF5ElementType>(
    _ child: String, of type: T.Type, chunkElements: Int = 16_384, fill: T? = nil, deflate: Int? = nil
  ) throws -> HDF5Dataset<T> {
    let chunk = Swift.max(1, Swift.min(chunkElements, (1 << 20) / MemoryLayout<T>.stride))
    let did = try createChunkedDataset(child, of: T.self, dims: [0], maxDims: [ch5_unlimited()], chunk: [hsize_t(chunk)],
                                       fill: fill) { dcpl in
      if let deflate {
        try check(H5Pset_shuffle(dcpl), "set shuffle filter", object: childPath(child))
        try check(H5Pset_deflate(dcpl, UInt32(deflate)), "set deflate filter", object: childPath(child))
      }
    }
    return HDF5Dataset(id: did, filePath: filePath, name: childPath(child), count: 0)
  }

  /// A fixed-size 1-D dataset holding `values`.
  @discardableResult
  public func createDataset<T: HDF5ElementType>(_ child: String, values: [T]) throws -> HDF5Dataset<T> {
    try createDataset(child, values: values, shape: [values.count])
  }

  /// Opens a 1-D dataset; its values are converted to `T` when read.
  public func openDataset<T: HDF5ElementType>(_ child: String, as type: T.Type = T.self) throws -> HDF5Dataset<T> {
    let (did, dims) = try openDataset(child, dimensions: 1)
    return HDF5Dataset(id: did, filePath: filePath, name: childPath(child), count: Int(dims[0]))
  }

  /// A hard link `child` to the object at `target` (an absolute path in the same file).
  public func createHardLink(_ child: String, to target: String) throws {
    try check(H5Lcreate_hard(id, target, id, child, ch5_default(), ch5_default()),
              "link to \(target)", object: childPath(child))
  }
}
