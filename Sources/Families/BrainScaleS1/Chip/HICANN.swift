/// Resource counts and address rules of one BrainScaleS-1 HICANN (docs/hardware.md §1.1, §1.4, §1.5, §1.8).
public enum HICANN {
  /// Denmems: 2 rows × 256 columns, in 8 neuron blocks of 32 columns (halco neuron.h).
  public static let denmems = 512
  public static let columns = 256
  public static let blocks = 8
  public static let columnsPerBlock = 32
  /// Synapse rows: 224 per array, top and bottom (halco synapse.h).
  public static let rowsPerArray = 224
  /// Synapse drivers: 56 per quadrant (side × array), each driving 2 rows (halco synapse.h).
  public static let driversPerQuadrant = 56
  /// L1 lines (halco l1.h).
  public static let hLines = 64
  public static let vLines = 256
  /// Sending repeaters sit on HLines 6, 14, …, 62 (halco l1.cpp HRepeaterOnHICANN::spl1).
  public static func sendingHLine(_ repeater: Int) -> Int { 6 + 8 * repeater }
  /// Usable 6-bit L1 addresses per bus: 64 minus address 0 (repeater locking) and the four 0bXX0001
  /// (weight-0 convention) (marocco L1AddressPool).
  public static let addressesPerBus = 59
  public static let usableAddresses: [Int] = (1..<64).filter { $0 & 0xF != 1 }
  /// 4-bit synaptic weights (halbe SynapseWeight).
  public static let maxWeight = 15
  /// Floating-gate blocks, 2 × 2, each serving 128 columns of one denmem row; V_reset is one value
  /// per block (halbe FGBlock.h shared_parameter).
  public static let fgBlocks = 4
  /// Synapse-switch rows per side (left, right VLines); the first half reaches the top array.
  public static let switchRowsPerSide = 224
  /// Synapse drivers per side: 56 top + 56 bottom; driver d of a side is fed by switch row 2d or 2d + 1.
  public static let driversPerSide = 112

  /// Whether the crossbar switch joins VLine v and HLine h (halbe Crossbar::exists): each HLine
  /// reaches 4 VLines per side, each VLine 2 HLines.
  public static func crossbarSwitch(vLine v: Int, hLine h: Int) -> Bool {
    let pair = h / 2, vMod = v % 32
    return v < 128 ? 31 - pair == vMod : pair == vMod
  }

  /// Synapse-switch rows (0..<224 per side, top half first) a VLine reaches (halbe SynapseSwitch::exists):
  /// 14 in the top and 14 in the bottom half.
  public static func synapseSwitchRows(vLine v: Int) -> [Int] {
    let xMod = (v % 32) / 4
    return (0..<switchRowsPerSide).filter { y in
      let yMod = (y % 16) / 2
      if y < switchRowsPerSide / 2 { return v < 128 ? yMod == xMod : 7 - yMod == xMod }
      return v >= 128 ? yMod == xMod : 7 - yMod == xMod
    }
  }

  /// Whether switch row y on VLine v's side feeds a driver of this HICANN (left side: odd rows; right:
  /// even rows), rather than one of the horizontal neighbour's (halbe SynapseSwitch::local).
  public static func switchRowIsLocal(vLine v: Int, row y: Int) -> Bool { v < 128 ? y % 2 == 1 : y % 2 == 0 }

  /// The HLine index one HICANN east (+1) or west (−1): h ± 2 mod 64 (halco HLineOnHICANN::east/west).
  public static func hLine(_ h: Int, shiftedBy dx: Int) -> Int { ((h + 2 * dx) % 64 + 64) % 64 }

  /// The VLine index one HICANN north (dy = −1) or south (+1): in the left half north is v + 2 and
  /// south v − 2 (mod 128), the right half mirrored (halco VLineOnHICANN::north/south).
  public static func vLine(_ v: Int, shiftedBy dy: Int) -> Int {
    if v < 128 { return ((v - 2 * dy) % 128 + 128) % 128 }
    return 128 + ((v - 128 + 2 * dy) % 128 + 128) % 128
  }
}
