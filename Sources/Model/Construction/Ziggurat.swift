/// Tables of the 128-layer ziggurat for the standard normal (Marsaglia & Tsang 2000, "The
/// ziggurat method for generating random variables", J. Stat. Softw. 5(8)). The fast path takes
/// one 32-bit word and no transcendental function; about 1 % of draws take the slow path.
/// Allocated once and never freed, so the hot path reads them through plain pointers.
enum Ziggurat {
  static let tailStart = 3.442619855899
  nonisolated(unsafe) static let k: UnsafeMutablePointer<UInt32> = tables.k
  nonisolated(unsafe) static let w: UnsafeMutablePointer<Double> = tables.w
  nonisolated(unsafe) static let f: UnsafeMutablePointer<Double> = tables.f

  nonisolated(unsafe) private static let tables: (k: UnsafeMutablePointer<UInt32>, w: UnsafeMutablePointer<Double>, f: UnsafeMutablePointer<Double>) = {
    let k = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
    let w = UnsafeMutablePointer<Double>.allocate(capacity: 128)
    let f = UnsafeMutablePointer<Double>.allocate(capacity: 128)
    let m1 = 2147483648.0
    let vn = 9.91256303526217e-3
    var dn = tailStart, tn = dn
    let q = vn / _exp(-0.5 * dn * dn)
    k[0] = UInt32(dn / q * m1)
    k[1] = 0
    w[0] = q / m1
    w[127] = dn / m1
    f[0] = 1
    f[127] = _exp(-0.5 * dn * dn)
    for i in stride(from: 126, through: 1, by: -1) {
      dn = (-2 * _log(vn / dn + _exp(-0.5 * dn * dn))).squareRoot()
      k[i + 1] = UInt32(dn / tn * m1)
      tn = dn
      f[i] = _exp(-0.5 * dn * dn)
      w[i] = dn / m1
    }
    return (k, w, f)
  }()
}

extension RandomStream {
  /// Standard normal by the ziggurat method.
  @inline(__always)
  public mutating func nextNormal() -> Double {
    let bits = nextUInt32()
    let layer = Int(bits & 127)
    let signed = Int32(bitPattern: bits)
    if signed.magnitude < Ziggurat.k[layer] { return Double(signed) * Ziggurat.w[layer] }
    return normalSlowPath(signed: signed, layer: layer)
  }

  @inline(never)
  mutating func normalSlowPath(signed first: Int32, layer firstLayer: Int) -> Double {
    var signed = first, layer = firstLayer
    while true {
      let x = Double(signed) * Ziggurat.w[layer]
      if layer == 0 {
        var tail = 0.0, y = 0.0
        repeat {
          tail = -_log(nextOpenUnit()) / Ziggurat.tailStart
          y = -_log(nextOpenUnit())
        } while y + y < tail * tail
        return signed > 0 ? Ziggurat.tailStart + tail : -Ziggurat.tailStart - tail
      }
      if Ziggurat.f[layer] + nextUnit() * (Ziggurat.f[layer - 1] - Ziggurat.f[layer]) < _exp(-0.5 * x * x) { return x }
      let bits = nextUInt32()
      layer = Int(bits & 127)
      signed = Int32(bitPattern: bits)
      if signed.magnitude < Ziggurat.k[layer] { return Double(signed) * Ziggurat.w[layer] }
    }
  }
}
