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
