/// Philox4x32-10, the counter-based generator of Salmon et al. (2011), "Parallel random numbers:
/// as easy as 1, 2, 3" (SC'11); checked against Random123's known-answer vectors in the tests.
/// Output depends only on (key, counter), so any rank computes any stream's numbers.
public enum Philox4x32 {
  @inline(__always)
  public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
    var c = counter
    var k = key
    for round in 0..<10 {
      if round > 0 {
        k.x &+= 0x9E37_79B9
        k.y &+= 0xBB67_AE85
      }
      let p0 = UInt64(0xD251_1F53) &* UInt64(c.x)
      let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.z)
      c = SIMD4(
        UInt32(truncatingIfNeeded: p1 >> 32) ^ c.y ^ k.x, UInt32(truncatingIfNeeded: p1),
        UInt32(truncatingIfNeeded: p0 >> 32) ^ c.w ^ k.y, UInt32(truncatingIfNeeded: p0))
    }
    return c
  }

  /// Four consecutive blocks (counters c, c+1, c+2, c+3 in the first word) computed side by side
  /// in vector lanes; lane j of the result words is block j. Same values as four `block` calls.
  @inline(__always)
  static func fourBlocks(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> (SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>) {
    var c0 = SIMD4(repeating: counter.x) &+ SIMD4(0, 1, 2, 3)
    var c1 = SIMD4(repeating: counter.y), c2 = SIMD4(repeating: counter.z), c3 = SIMD4(repeating: counter.w)
    var k0 = key.x, k1 = key.y
    let m0 = SIMD4<UInt64>(repeating: 0xD251_1F53), m1 = SIMD4<UInt64>(repeating: 0xCD9E_8D57)
    for round in 0..<10 {
      if round > 0 {
        k0 &+= 0x9E37_79B9
        k1 &+= 0xBB67_AE85
      }
      let p0 = SIMD4<UInt64>(truncatingIfNeeded: c0) &* m0
      let p1 = SIMD4<UInt64>(truncatingIfNeeded: c2) &* m1
      let next0 = SIMD4<UInt32>(truncatingIfNeeded: p1 &>> 32) ^ c1 ^ SIMD4(repeating: k0)
      let next2 = SIMD4<UInt32>(truncatingIfNeeded: p0 &>> 32) ^ c3 ^ SIMD4(repeating: k1)
      c1 = SIMD4<UInt32>(truncatingIfNeeded: p1)
      c3 = SIMD4<UInt32>(truncatingIfNeeded: p0)
      c0 = next0
      c2 = next2
    }
    return (c0, c1, c2, c3)
  }
}

/// What a random stream belongs to; part of the counter, so streams of different purposes never overlap.
public enum StreamPurpose: UInt32, Sendable {
  /// Connections, weights and delays of one target (or one source, for fixed out-degree).
  case connections = 1
  /// Spikes of one Poisson source cell.
  case source = 2
  /// Initial state of one neuron.
  case initialState = 3
  /// Fixed-pattern noise of one analog circuit.
  case mismatch = 4
  /// Random placement of the slices of a network (group 0, member 0).
  case placement = 5
}

/// A counter-based random stream keyed by (seed, purpose, group, member): e.g. (seed, connections,
/// projection, target neuron). Block i of the stream is Philox(counter = [i, member, group, purpose]);
/// the stream computes blocks four at a time.
public struct RandomStream {
  let key: SIMD2<UInt32>
  var counter: SIMD4<UInt32>
  /// Four blocks in stream order: words 4j..<4j+4 are block j.
  var buffer = SIMD16<UInt32>()
  var used = 16

  public init(seed: UInt64, purpose: StreamPurpose, group: UInt32, member: UInt32) {
    key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    counter = SIMD4(0, member, group, purpose.rawValue)
  }

  @inline(__always)
  public mutating func nextUInt32() -> UInt32 {
    if used == 16 {
      let (w0, w1, w2, w3) = Philox4x32.fourBlocks(counter: counter, key: key)
      buffer = SIMD16(
        w0[0], w1[0], w2[0], w3[0], w0[1], w1[1], w2[1], w3[1],
        w0[2], w1[2], w2[2], w3[2], w0[3], w1[3], w2[3], w3[3])
      counter.x &+= 4
      used = 0
    }
    defer { used &+= 1 }
    return buffer[used]
  }

  /// Uniform in [0, 1) with 32 bits of resolution.
  @inline(__always)
  public mutating func nextUnit() -> Double {
    Double(nextUInt32()) * 0x1p-32
  }

  /// Uniform in (0, 1], safe for logarithms.
  @inline(__always)
  public mutating func nextOpenUnit() -> Double {
    (Double(nextUInt32()) + 1) * 0x1p-32
  }

  /// Uniform integer in 0..<bound, without bias (Lemire's multiply-shift with rejection).
  @inline(__always)
  public mutating func nextIndex(below bound: UInt32) -> UInt32 {
    var m = UInt64(nextUInt32()) &* UInt64(bound)
    if UInt32(truncatingIfNeeded: m) < bound {
      let threshold = (0 &- bound) % bound
      while UInt32(truncatingIfNeeded: m) < threshold {
        m = UInt64(nextUInt32()) &* UInt64(bound)
      }
    }
    return UInt32(truncatingIfNeeded: m >> 32)
  }
}
