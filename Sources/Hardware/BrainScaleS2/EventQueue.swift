import Fabric

/// An event on its way to a crossbar output of a chip: when it gets there, which crossbar input it
/// came in on, and which routing entry (source, hemisphere) it belongs to.
struct CrossbarEvent: Comparable {
  var time: HardwareTime
  var input: UInt8
  var entry: Int32

  /// The hardware-independent order that makes arbitration identical for any rank count.
  @inline(__always)
  static func < (a: CrossbarEvent, b: CrossbarEvent) -> Bool {
    if a.time != b.time { return a.time < b.time }
    if a.input != b.input { return a.input < b.input }
    return a.entry < b.entry
  }
}

/// A binary min-heap of pending events (no allocation once it has grown).
struct EventQueue {
  private var heap: [CrossbarEvent] = []

  var count: Int { heap.count }
  var first: CrossbarEvent? { heap.first }

  mutating func push(_ e: CrossbarEvent) {
    heap.append(e)
    var i = heap.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard heap[i] < heap[parent] else { break }
      heap.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> CrossbarEvent {
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
