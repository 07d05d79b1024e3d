/// A binary min-heap: the pending events of a chip in their deterministic order (no allocation
/// once it has grown). Inlinable, so that the chip models in other modules get it specialised for
/// their event types (unspecialised, every comparison went through witness tables: 4x slower runs).
public struct MinHeap<Element: Comparable> {
  @usableFromInline var heap: [Element] = []

  @inlinable public init() {}

  @inlinable public var count: Int { heap.count }
  @inlinable public var first: Element? { heap.first }

  @inlinable public mutating func push(_ e: Element) {
    heap.append(e)
    var i = heap.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard heap[i] < heap[parent] else { break }
      heap.swapAt(i, parent)
      i = parent
    }
  }

  @discardableResult
  @inlinable public mutating func pop() -> Element {
    let top = heap[0]
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var m = i
        if l < heap.count && heap[l] < heap[m] { m = l }
        if r < heap.count && heap[r] < heap[m] { m = r }
        if m == i { break }
        heap.swapAt(i, m)
        i = m
      }
    }
    return top
  }
}
