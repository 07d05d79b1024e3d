#if canImport(Glibc)
import Glibc
#endif
import Model

/// A spike source the FPGA plays in (both BrainScaleS families): the times of a spike array, or a
/// Poisson train drawn from the stream (seed, source, population, cell), the same on every chip
/// and rank that plays it. `next` is the next spike (bio ms), infinite when there is none.
struct SpikePlayback {
  let cell: UInt32
  private(set) var next: Double
  private let stop: Double
  private let rate: Double
  private let times: [Double]
  private var cursor = 1
  private var stream: RandomStream?

  /// The playback of `cell` (global id, of population `p`, index `i`), or nil when it never fires.
  init?(network: Network, cell: Int, population p: Int, index i: Int, seed: UInt64) {
    self.cell = UInt32(cell)
    switch network.populations[p].cellType {
    case let .poissonSource(rate, start, stop) where rate > 0:
      var stream = RandomStream(seed: seed, purpose: .source, group: UInt32(p), member: UInt32(i))
      next = start - log(stream.nextOpenUnit()) / rate * 1000
      self.stream = stream
      self.rate = rate
      self.stop = stop
      times = []
      if next >= stop { next = .infinity }
    case let .spikeSourceArray(all):
      times = (all.count == 1 ? all[0] : all[i]).sorted()
      guard let first = times.first else { return nil }
      next = first
      rate = 0
      stop = .infinity
    default:
      return nil
    }
  }

  /// Moves to the following spike.
  mutating func advance() {
    if stream != nil {
      next -= log(stream!.nextOpenUnit()) / rate * 1000
      if next >= stop { next = .infinity }
    } else if cursor < times.count {
      next = times[cursor]
      cursor += 1
    } else {
      next = .infinity
    }
  }
}
