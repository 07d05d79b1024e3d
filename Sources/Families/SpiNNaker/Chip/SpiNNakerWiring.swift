extension SpiNNakerSystem {
  /// The chips in index order (board by board, see `SpiNNakerShape.chips`).
  public var chips: [ChipCoordinate] { shape.chips }

  /// `neighbours[chip * 6 + link]`: the live chip at the other end of each working link (wrapping
  /// on a torus), or -1 where the chip, the link or the chip beyond is dead or off the machine.
  public var neighbours: [Int] {
    let chips = self.chips
    let (width, height) = shape.size
    var index: [ChipCoordinate: Int] = [:]
    for (i, c) in chips.enumerated() { index[c] = i }
    var neighbour = [Int](repeating: -1, count: chips.count * 6)
    for (i, c) in chips.enumerated() where !deadChips.contains(c) {
      for (l, (dx, dy)) in SpiNNakerShape.linkOffsets.enumerated() {
        var x = c.x + dx, y = c.y + dy
        if shape.wrapAround {
          x = (x + width) % width
          y = (y + height) % height
        }
        let n = ChipCoordinate(x, y)
        guard let j = index[n], !deadChips.contains(n), !deadLinks.contains(ChipLink(c, l)),
              !deadLinks.contains(ChipLink(n, (l + 3) % 6)) else { continue }
        neighbour[i * 6 + l] = j
      }
    }
    return neighbour
  }

  /// Physical numbers of the working PEs of each chip (empty for a dead chip).
  public var workingPEs: [[Int]] {
    chips.map { c in
      deadChips.contains(c) ? [] : (0..<pesPerChip).filter { !(deadPEs[c]?.contains($0) ?? false) }
    }
  }
}
