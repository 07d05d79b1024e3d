import CHDF5

extension HDF5Object {
  /// Bytes of one chunk of this dataset (what HDF5 allocates when a write reaches a new chunk),
  /// 0 for a contiguous one or a group.
  public var chunkBytes: Int {
    let dcpl = H5Dget_create_plist(id)
    guard dcpl >= 0 else { return 0 }
    defer { H5Pclose(dcpl) }
    var dims = [hsize_t](repeating: 0, count: 32)
    let rank = H5Pget_chunk(dcpl, Int32(dims.count), &dims)
    guard rank > 0 else { return 0 }
    let type = H5Dget_type(id)
    guard type >= 0 else { return 0 }
    defer { H5Tclose(type) }
    return dims.prefix(Int(rank)).reduce(H5Tget_size(type)) { $0 * Int($1) }
  }
}
