extension Array where Element: Comparable {
  /// The first index whose element is not below `x`, in an ascending array (binary search).
  @inline(__always)
  func lowerBound(_ x: Element) -> Int {
    var low = 0, high = count
    while low < high {
      let mid = (low + high) / 2
      if self[mid] < x { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
