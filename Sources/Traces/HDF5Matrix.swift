import CHDF5

/// A 2-D dataset of `T` (rows × columns) that grows by rows: SONATA report `data` (time × values)
/// and fabric time series (interval × link).
public final class HDF5Matrix<T: HDF5ElementType>: HDF5Object {
  public private(set) var rows: Int
  public let columns: Int

  init(id: hid_t, filePath: String, name: String, rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
    super.init(id: id, filePath: filePath, name: name)
  }

  deinit { H5Dclose(id) }

  /// Appends rows given row-major (`values.count` a multiple of `columns`).
  public func appendRows(_ values: [T]) throws {
    guard !values.isEmpty, columns > 0 else { return }
    precondition(values.count % columns == 0, "appendRows needs whole rows")
    let added = values.count / columns
    try values.withUnsafeBytes { buffer in
      try extendAndWrite(start: [hsize_t(rows), 0], count: [hsize_t(added), hsize_t(columns)],
                         newSize: [hsize_t(rows + added), hsize_t(columns)], memoryType: T.memoryType,
                         from: buffer.baseAddress, "\(added) rows")
    }
    rows += added
  }

  /// All values, row-major.
  public func read() throws -> [T] {
    let total = rows * columns
    guard total > 0 else { return [] }
    var values = [T](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
    try values.withUnsafeMutableBytes { buffer in
      try check(H5Dread(id, T.memoryType, H5S_ALL, H5S_ALL, ch5_default(), buffer.baseAddress), "read \(rows)×\(columns) values")
    }
    return values
  }
}

extension HDF5Group {
  /// An empty matrix of `columns` columns growing by rows, chunked by whole rows (≤ 1 MiB a chunk).
  public func createExtendibleMatrix<T: HDF5ElementType>(_ child: String, of type: T.Type, columns: Int,
                                                         fill: T? = nil) throws -> HDF5Matrix<T> {
    precondition(columns > 0, "a matrix needs at least one column")
    let chunkRows = Swift.max(1, Swift.min(1024, (1 << 20) / (columns * MemoryLayout<T>.stride)))
    let chunkColumns = Swift.min(columns, (1 << 20) / MemoryLayout<T>.stride)
    let did = try createChunkedDataset(child, of: T.self, dims: [0, hsize_t(columns)], maxDims: [ch5_unlimited(), hsize_t(columns)],
                                       chunk: [hsize_t(chunkRows), hsize_t(chunkColumns)], fill: fill)
    return HDF5Matrix(id: did, filePath: filePath, name: childPath(child), rows: 0, columns: columns)
  }

  /// Opens a 2-D dataset.
  public func openMatrix<T: HDF5ElementType>(_ child: String, as type: T.Type = T.self) throws -> HDF5Matrix<T> {
    let (did, dims) = try openDataset(child, dimensions: 2)
    return HDF5Matrix(id: did, filePath: filePath, name: childPath(child), rows: Int(dims[0]), columns: Int(dims[1]))
  }

  /// A `rows` × Σcolumns virtual matrix placing the sources side by side, in order (each source is
  /// all of a `rows` × `count` matrix). Missing source files read as `fill`.
  @discardableResult
  public func createVirtualMatrix<T: HDF5ElementType>(_ child: String, of type: T.Type, rows: Int,
                                                      sources: [VirtualSource], fill: T) throws -> HDF5Matrix<T> {
    var blocks: [(source: VirtualSource, start: [hsize_t], count: [hsize_t], sourceStart: [hsize_t])] = []
    var offset = 0
    for source in sources where source.count > 0 {
      if rows > 0 { blocks.append((source, [0, hsize_t(offset)], [hsize_t(rows), hsize_t(source.count)], [0, hsize_t(source.offset)])) }
      offset += source.count
    }
    let did = try createVirtualDataset(child, of: T.self, dims: [hsize_t(rows), hsize_t(offset)], blocks: blocks, fill: fill)
    return HDF5Matrix(id: did, filePath: filePath, name: childPath(child), rows: rows, columns: offset)
  }
}
