/// A sparse matrix as rows of (column, value): the synapses a chain of NIR's linear nodes makes,
/// row = output element, column = input element.
struct SparseRows {
  var rows: [[(column: Int, value: Double)]]
  let columns: Int

  static func identity(_ n: Int) -> SparseRows { SparseRows(rows: (0..<n).map { [($0, 1.0)] }, columns: n) }

  /// An upper bound of the entries of self · other, without forming it.
  func entriesBound(after other: SparseRows) -> Int {
    rows.reduce(0) { total, row in
      total + Swift.min(other.columns, row.reduce(0) { $0 + other.rows[$1.column].count })
    }
  }

  /// self · other: rows of self, columns of other.
  func composed(after other: SparseRows) -> SparseRows {
    var accumulator = [Double](repeating: 0, count: other.columns)
    var touched: [Int] = []
    var marked = [Bool](repeating: false, count: other.columns)
    let result = rows.map { row -> [(column: Int, value: Double)] in
      for (middle, a) in row {
        for (column, b) in other.rows[middle] {
          if !marked[column] { marked[column] = true; touched.append(column) }
          accumulator[column] += a * b
        }
      }
      touched.sort()
      let entries = touched.compactMap { c -> (column: Int, value: Double)? in
        let v = accumulator[c]
        accumulator[c] = 0
        marked[c] = false
        return v == 0 ? nil : (c, v)
      }
      touched.removeAll(keepingCapacity: true)
      return entries
    }
    return SparseRows(rows: result, columns: other.columns)
  }

  /// self + other (same shape).
  func adding(_ other: SparseRows) -> SparseRows {
    SparseRows(rows: zip(rows, other.rows).map { a, b in
      var merged: [Int: Double] = [:]
      for (c, v) in a { merged[c, default: 0] += v }
      for (c, v) in b { merged[c, default: 0] += v }
      return merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }, columns: columns)
  }

  /// The matrix applied to a dense vector.
  func apply(_ x: [Double]) -> [Double] { rows.map { $0.reduce(0) { $0 + $1.value * x[$1.column] } } }
}
