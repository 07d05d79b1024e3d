import CHDF5

/// A 1-D dataset of `T`: appended to in batches (when extendible) and read back whole or in part.
public final class HDF5Dataset<T: HDF5ElementType>: HDF5Object {
  /// Number of elements.
  public private(set) var count: Int

  init(id: hid_t, filePath: String, name: String, count: Int) {
    self.count = count
    super.init(id: id, filePath: filePath, name: name)
  }

  deinit { H5Dclose(id) }

  /// Whether the dataset is an HDF5 virtual dataset (a view over datasets of other files).
  public var isVirtual: Bool {
    let dcpl = H5Dget_create_plist(id)
    defer { H5Pclose(dcpl) }
    return H5Pget_layout(dcpl) == H5D_VIRTUAL
  }

  /// Appends `values` at the end, growing the dataset.
  public func append(_ values: [T]) throws {
    try values.withUnsafeBufferPointer { try append($0) }
  }

  public func append(_ values: UnsafeBufferPointer<T>) throws {
    guard !values.isEmpty else { return }
    try extendAndWrite(start: [hsize_t(count)], count: [hsize_t(values.count)], newSize: [hsize_t(count + values.count)],
                       memoryType: T.memoryType, from: values.baseAddress, "\(values.count) elements")
    count += values.count
  }

  /// All elements.
  public func read() throws -> [T] {
    try read(0..<count)
  }

  /// The elements in `range`.
  public func read(_ range: Range<Int>) throws -> [T] {
    guard !range.isEmpty else { return [] }
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "read range outside the dataset")
    var start = [hsize_t(range.lowerBound)], n = [hsize_t(range.count)]
    let fileSpace = try check(H5Dget_space(id), "get dataspace")
    defer { H5Sclose(fileSpace) }
    try check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &n, nil), "select range")
    let memorySpace = try check(H5Screate_simple(1, &n, nil), "create dataspace")
    defer { H5Sclose(memorySpace) }
    var values = [T](unsafeUninitializedCapacity: range.count) { _, initialized in initialized = range.count }
    try values.withUnsafeMutableBytes { buffer in
      try check(H5Dread(id, T.memoryType, memorySpace, fileSpace, ch5_default(), buffer.baseAddress),
                "read \(range.count) elements")
    }
    return values
  }
}
