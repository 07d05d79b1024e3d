/// sPyNNaker's arithmetic (docs/hardware.md §3.2): `accum`, s16.15 in 32 bits, for voltages, currents,
/// conductances and parameters (`REAL`); `unsigned long fract`, u0.32, for decay factors. Products
/// shift right (truncating toward −∞, as sPyNNaker's `decay_s1615` does) and wrap on overflow as
/// the ARM does; conversions from Double round to nearest and saturate.
enum S1615 {
  static let one: Int32 = 1 << 15

  @inline(__always)
  static func from(_ x: Double) -> Int32 {
    let scaled = (x * 32768).rounded()
    guard scaled.isFinite else { return scaled > 0 ? .max : scaled < 0 ? .min : 0 }
    return scaled >= 2_147_483_647 ? .max : scaled <= -2_147_483_648 ? .min : Int32(scaled)
  }

  @inline(__always)
  static func double(_ raw: Int32) -> Double { Double(raw) / 32768 }

  @inline(__always)
  static func multiply(_ a: Int32, _ b: Int32) -> Int32 { Int32(truncatingIfNeeded: (Int64(a) * Int64(b)) >> 15) }

  /// x · d for a u0.32 factor d.
  @inline(__always)
  static func decay(_ x: Int32, _ d: UInt32) -> Int32 { Int32(truncatingIfNeeded: (Int64(x) * Int64(d)) >> 32) }
}

enum U032 {
  /// A factor in [0, 1) as u0.32 (1 saturates to the largest fraction).
  static func from(_ x: Double) -> UInt32 {
    let scaled = (x * 4_294_967_296).rounded()
    return scaled >= 4_294_967_295 ? .max : scaled <= 0 ? 0 : UInt32(scaled)
  }
}

/// sPyNNaker's 32-bit synaptic word in a row (docs/hardware.md §3.2, `synapse_row.h`): weight [31:16],
/// delay in ticks [15:9] (7 bits here, sPyNNaker's field is 4 bits plus delay extensions),
/// synapse type [8] (0 excitatory, 1 inhibitory), neuron index [7:0].
enum SpiNNakerSynapticWord {
  static let maxAtoms = 256
  static let maxDelayTicks = 127

  @inline(__always)
  static func make(weight: UInt16, delay: Int, inhibitory: Bool, index: Int) -> UInt32 {
    UInt32(weight) << 16 | UInt32(delay) << 9 | (inhibitory ? 1 << 8 : 0) | UInt32(index)
  }
}
