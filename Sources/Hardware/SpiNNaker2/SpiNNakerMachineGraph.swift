import Mapping

extension SpiNNakerSystem {
  /// The chips in index order (board by board, see `SpiNNakerShape.chips`).
  public var chips: [ChipCoordinate] { shape.chips }

  /// The machine as the mapper sees it: working PEs per chip, and the six links of every live chip
  /// to the live chip in each direction (wrapping on a torus); dead chips and links are absent.
  public var machineGraph: MachineGraph {
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
    let working = chips.map { c in
      deadChips.contains(c) ? [] : (0..<pesPerChip).filter { !(deadPEs[c]?.contains($0) ?? false) }
    }
    return MachineGraph(linksPerChip: 6, neighbour: neighbour, workingPEs: working, chipMemoryBytes: chipMemoryBytes,
                        tableCapacity: routerEntries, chipNames: chips.map { "(\($0.x), \($0.y))" })
  }
}
