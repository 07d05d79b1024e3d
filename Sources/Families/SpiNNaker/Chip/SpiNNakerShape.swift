/// How the chips of a SpiNNaker machine are laid out (docs/hardware.md §3.6).
public enum SpiNNakerShape: Sendable, Equatable {
  /// One chip, no links.
  case chip
  /// One 48-chip board in its 8 × 8 bounding box, no wrap-around.
  case board
  /// w × h triads of three boards tiling 12w × 12h chips, with or without wrap-around.
  case triads(width: Int, height: Int, wrapAround: Bool)

  /// Link directions (dx, dy): 0 E, 1 NE, 2 N, 3 W, 4 SW, 5 S; the opposite of l is (l + 3) mod 6
  /// (SpiNNMachine `machine.py` LINK_ADD_TABLE; docs/hardware.md §3.6).
  public static let linkOffsets = [(1, 0), (1, 1), (0, 1), (-1, 0), (-1, -1), (0, -1)]
  public static let linkNames = ["E", "NE", "N", "W", "SW", "S"]
  /// "0 E, 1 NE, 2 N, 3 W, 4 SW, 5 S", for help and errors.
  public static var linkLegend: String { linkNames.enumerated().map { "\($0) \($1)" }.joined(separator: ", ") }

  /// Whether (x, y) lies on a 48-chip board with origin (0, 0): the hexagon of the 8 × 8 box with
  /// −3 ≤ x − y ≤ 4 (SpiNNMachine `version_48_chips.py`).
  public static func onBoard(x: Int, y: Int) -> Bool {
    (0..<8).contains(x) && (0..<8).contains(y) && (-3...4).contains(x - y)
  }

  /// Width and height of the coordinate space.
  public var size: (width: Int, height: Int) {
    switch self {
    case .chip: return (1, 1)
    case .board: return (8, 8)
    case let .triads(w, h, wrap): return wrap ? (12 * w, 12 * h) : (12 * w + 4, 12 * h + 4)
    }
  }

  public var wrapAround: Bool {
    if case let .triads(_, _, wrap) = self { return wrap }
    return false
  }

  /// Every chip's coordinates, board by board (boards of a triad at offsets (0, 0), (4, 8) and
  /// (8, 4)), and within a board column by column; this is the chips' index order.
  public var chips: [ChipCoordinate] {
    switch self {
    case .chip: return [ChipCoordinate(0, 0)]
    case .board: return Self.boardChips(at: ChipCoordinate(0, 0), width: 8, height: 8)
    case let .triads(w, h, wrap):
      let (width, height) = size
      var all: [ChipCoordinate] = []
      var seen = Set<ChipCoordinate>()
      for ty in 0..<h {
        for tx in 0..<w {
          for (ox, oy) in [(0, 0), (4, 8), (8, 4)] {
            let origin = ChipCoordinate(12 * tx + ox, 12 * ty + oy)
            for c in Self.boardChips(at: origin, width: wrap ? width : .max, height: wrap ? height : .max) where seen.insert(c).inserted {
              all.append(c)
            }
          }
        }
      }
      return all
    }
  }

  static func boardChips(at origin: ChipCoordinate, width: Int, height: Int) -> [ChipCoordinate] {
    var chips: [ChipCoordinate] = []
    for x in 0..<8 {
      for y in 0..<8 where onBoard(x: x, y: y) {
        chips.append(ChipCoordinate((origin.x + x) % width, (origin.y + y) % height))
      }
    }
    return chips
  }
}
