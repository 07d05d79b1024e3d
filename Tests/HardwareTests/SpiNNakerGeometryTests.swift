import Hardware
import Testing

@Suite struct SpiNNakerGeometryTests {
  @Test func boardHasFortyEightChipsInTheHexagon() {
    let chips = SpiNNakerShape.board.chips
    #expect(chips.count == 48)
    #expect(Set(chips).count == 48)
    #expect(chips.contains(ChipCoordinate(7, 7)) && chips.contains(ChipCoordinate(4, 0)) && !chips.contains(ChipCoordinate(5, 0)))
    #expect(!chips.contains(ChipCoordinate(0, 4)) && chips.contains(ChipCoordinate(0, 3)))
  }

  @Test func triadsTileTheTorusExactly() {
    for (w, h) in [(1, 1), (2, 1), (4, 2)] {
      let shape = SpiNNakerShape.triads(width: w, height: h, wrapAround: true)
      let chips = shape.chips
      #expect(chips.count == 144 * w * h)
      #expect(Set(chips).count == chips.count, "boards of \(w)x\(h) triads overlap")
      #expect(chips.allSatisfy { $0.x >= 0 && $0.x < 12 * w && $0.y >= 0 && $0.y < 12 * h })
    }
  }

  /// The neighbours the routers are wired with (`SpiNNakerSystem.neighbours`): a board's chip at
  /// (0, 0) has only E, NE and N; a wrapped triad's links pair up with their opposites; dead links
  /// are dead both ways and no link enters a dead chip.
  @Test func neighboursPairUpAndStopAtDeadLinksAndChips() {
    var triad = SpiNNakerSystem()
    triad.shape = .triads(width: 1, height: 1, wrapAround: true)
    let torus = triad.neighbours
    #expect(torus.allSatisfy { $0 >= 0 })
    for chip in 0..<(torus.count / 6) {
      for link in 0..<6 { #expect(torus[torus[chip * 6 + link] * 6 + (link + 3) % 6] == chip) }
    }
    var s = SpiNNakerSystem()
    let index = Dictionary(uniqueKeysWithValues: s.chips.enumerated().map { ($1, $0) })
    #expect((0..<6).map { s.neighbours[index[ChipCoordinate(0, 0)]! * 6 + $0] >= 0 } == [true, true, true, false, false, false])
    s.deadChips = [ChipCoordinate(3, 3)]
    s.deadLinks = [ChipLink(ChipCoordinate(1, 1), 0)]
    s.deadPEs = [ChipCoordinate(2, 2): [0, 151]]
    let n = s.neighbours
    #expect(n[index[ChipCoordinate(1, 1)]! * 6 + 0] == -1 && n[index[ChipCoordinate(2, 1)]! * 6 + 3] == -1)
    #expect(n[index[ChipCoordinate(2, 3)]! * 6 + 0] == -1 && (0..<6).allSatisfy { n[index[ChipCoordinate(3, 3)]! * 6 + $0] == -1 })
    #expect(s.workingPEs[index[ChipCoordinate(2, 2)]!] == Array(1..<151) && s.workingPEs[index[ChipCoordinate(3, 3)]!].isEmpty)
  }
}
