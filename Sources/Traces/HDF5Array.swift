import CHDF5

/// A whole dataset of any rank read into memory: numbers (integers and floats converted to
/// Double by HDF5) or strings (variable or fixed length), with its shape ([] for a scalar).
/// What readers of self-describing files (NIR graphs, data sets) need when they do not know the
/// element type or rank in advance.
public enum HDF5Array: Sendable, Equatable {
  case numbers(shape: [Int], values: [Double])
  case strings(shape: [Int], values: [String])

  public var shape: [Int] {
    switch self {
    case let .numbers(shape, _), let .strings(shape, _): return shape
    }
  }

  /// What the dataset holds, in words, for error messages: "float (4, 3)", "string scalar".
  public var summary: String {
    let dims = shape.isEmpty ? "scalar" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    switch self {
    case .numbers: return "numbers \(dims)"
    case .strings: return "strings \(dims)"
    }
  }
}

extension HDF5Group {
  /// Whether `child` exists and is a group (not a dataset).
  public func isGroup(_ child: String) -> Bool {
    guard contains(child) else { return false }
    let oid = H5Oopen(id, child, ch5_default())
    guard oid >= 0 else { return false }
    defer { H5Oclose(oid) }
    return H5Iget_type(oid) == H5I_GROUP
  }

  /// Reads dataset `child` whole, whatever its rank and element class; at most `limit` elements.
  public func readArray(_ child: String, limit: Int = 1 << 28) throws -> HDF5Array {
    let path = childPath(child)
    guard contains(child), !isGroup(child) else {
      throw HDF5Error.objectNotFound(path: filePath, object: path)
    }
    let did = try check(H5Dopen2(id, child, ch5_default()), "open dataset", object: path)
    defer { H5Dclose(did) }
    let space = try check(H5Dget_space(did), "get dataspace", object: path)
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank >= 0 else { throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "a simple dataspace") }
    var dims = [hsize_t](repeating: 0, count: rank)
    if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
    guard dims.allSatisfy({ $0 <= hsize_t(limit) }) else {
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "at most \(limit) elements along each dimension")
    }
    let shape = dims.map { Int($0) }
    let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
    guard count <= limit else {
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "at most \(limit) elements (it has \(count))")
    }
    let fileType = try check(H5Dget_type(did), "get type", object: path)
    defer { H5Tclose(fileType) }
    switch H5Tget_class(fileType) {
    case H5T_INTEGER, H5T_FLOAT, H5T_ENUM:
      var values = [Double](repeating: 0, count: count)
      if count > 0 { try check(H5Dread(did, ch5_native_double(), H5S_ALL, H5S_ALL, ch5_default(), &values), "read", object: path) }
      return .numbers(shape: shape, values: values)
    case H5T_STRING:
      if H5Tis_variable_str(fileType) > 0 {
        let memType = try variableStringType(matching: fileType)
        defer { H5Tclose(memType) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        if count > 0 { try check(H5Dread(did, memType, H5S_ALL, H5S_ALL, ch5_default(), &pointers), "read", object: path) }
        defer { for p in pointers { H5free_memory(p) } }
        return .strings(shape: shape, values: pointers.map { $0.map { String(cString: $0) } ?? "" })
      }
      let size = H5Tget_size(fileType)
      guard size <= 1 << 16, size * count <= limit * 8 else {
        throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "strings of at most 65536 bytes and \(limit * 8) in all")
      }
      var buffer = [UInt8](repeating: 0, count: size * count)
      if count > 0 { try check(H5Dread(did, fileType, H5S_ALL, H5S_ALL, ch5_default(), &buffer), "read", object: path) }
      return .strings(shape: shape, values: (0..<count).map { i in
        String(decoding: buffer[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }, as: UTF8.self)
      })
    default:
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "numbers or strings")
    }
  }

  /// Reads a 1-D dataset of variable-length numeric arrays (h5py's `vlen_dtype`, as the Spiking
  /// Heidelberg Digits store their spike times per sample), each converted to Double.
  public func readRaggedNumbers(_ child: String, limit: Int = 1 << 28) throws -> [[Double]] {
    let path = childPath(child)
    guard contains(child), !isGroup(child) else { throw HDF5Error.objectNotFound(path: filePath, object: path) }
    let did = try check(H5Dopen2(id, child, ch5_default()), "open dataset", object: path)
    defer { H5Dclose(did) }
    let fileType = try check(H5Dget_type(did), "get type", object: path)
    defer { H5Tclose(fileType) }
    let base = H5Tget_super(fileType)
    defer { if base >= 0 { H5Tclose(base) } }
    guard H5Tget_class(fileType) == H5T_VLEN, base >= 0, H5Tget_class(base) == H5T_INTEGER || H5Tget_class(base) == H5T_FLOAT else {
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "variable-length arrays of numbers")
    }
    let space = try check(H5Dget_space(did), "get dataspace", object: path)
    defer { H5Sclose(space) }
    guard H5Sget_simple_extent_ndims(space) == 1 else {
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "a 1-D dataset of arrays")
    }
    var dims = [hsize_t](repeating: 0, count: 1)
    H5Sget_simple_extent_dims(space, &dims, nil)
    guard dims[0] <= hsize_t(limit) else {
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "at most \(limit) arrays")
    }
    let count = Int(dims[0])
    let memType = try check(H5Tvlen_create(ch5_native_double()), "create vlen type", object: path)
    defer { H5Tclose(memType) }
    var rows = [hvl_t](repeating: hvl_t(), count: count)
    guard count > 0 else { return [] }
    var bytes: hsize_t = 0
    try check(H5Dvlen_get_buf_size(did, memType, space, &bytes), "size variable-length data", object: path)
    guard bytes <= hsize_t(limit) * 8 else {
      throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "at most \(limit) numbers in all")
    }
    try check(H5Dread(did, memType, H5S_ALL, H5S_ALL, ch5_default(), &rows), "read", object: path)
    defer { H5Dvlen_reclaim(memType, space, ch5_default(), &rows) }
    var total = 0
    return try rows.map { row in
      total += row.len
      guard total <= limit else {
        throw HDF5Error.typeMismatch(path: filePath, object: path, expected: "at most \(limit) elements")
      }
      guard row.len > 0, let p = row.p else { return [] }
      return Array(UnsafeBufferPointer(start: p.assumingMemoryBound(to: Double.self), count: row.len))
    }
  }

  /// A fixed-size dataset of `shape` holding `values` in row-major order.
  @discardableResult
  public func createDataset<T: HDF5ElementType>(_ child: String, values: [T], shape: [Int]) throws -> HDF5Dataset<T> {
    precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
    let path = childPath(child)
    var dims = shape.map { hsize_t($0) }
    let space = try check(H5Screate_simple(Int32(dims.count), &dims, nil), "create dataspace", object: path)
    defer { H5Sclose(space) }
    let did = try check(H5Dcreate2(id, child, T.fileType, space, ch5_default(), ch5_default(), ch5_default()),
                        "create dataset", object: path)
    let dataset = HDF5Dataset<T>(id: did, filePath: filePath, name: path, count: values.count)
    if !values.isEmpty {
      try values.withUnsafeBytes { buffer in
        try check(H5Dwrite(did, T.memoryType, H5S_ALL, H5S_ALL, ch5_default(), buffer.baseAddress), "write dataset", object: path)
      }
    }
    return dataset
  }
}
