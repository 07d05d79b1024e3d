import Hardware
import Mapping
import Testing

/// The machine graph the mapper builds from a SpiNNaker system: links of the torus and of a board,
/// and dead chips, links and PEs (moved from HardwareTests, which no longer depends on Mapping).
@Suite struct SpiNNakerMachineGraphTests {
  @Test func linksWrapOnTheTorusAndEndAtBoardEdges() {
    var triad = SpiNNakerSystem()
    triad.shape = .triads(width: 1, height: 1, wrapAround: true)
    let torus = triad.machineGraph
    #expect(torus.neighbour.allSatisfy { $0 >= 0 }, "every chip of a wrapped triad has six neighbours")
    for chip in 0..<torus.chipCount {
      for link in 0..<6 {
        let next = torus.neighbour(of: chip, link: link)
        #expect(torus.neighbour(of: next, link: (link + 3) % 6) == chip)
      }
    }
    let board = SpiNNakerSystem().machineGraph
    let origin = SpiNNakerSystem().chips.firstIndex(of: ChipCoordinate(0, 0))!
    #expect((0..<6).map { board.neighbour(of: origin, link: $0) >= 0 } == [true, true, true, false, false, false])
  }

  @Test func deadChipsLinksAndPEsAreAbsent() {
    var s = SpiNNakerSystem()
    s.deadChips = [ChipCoordinate(3, 3)]
    s.deadLinks = [ChipLink(ChipCoordinate(1, 1), 0)]
    s.deadPEs = [ChipCoordinate(2, 2): [0, 151]]
    let g = s.machineGraph
    let index = Dictionary(uniqueKeysWithValues: s.chips.enumerated().map { ($1, $0) })
    #expect(g.workingPEs[index[ChipCoordinate(3, 3)]!].isEmpty)
    #expect(g.workingPEs[index[ChipCoordinate(2, 2)]!] == Array(1..<151))
    #expect(g.neighbour(of: index[ChipCoordinate(1, 1)]!, link: 0) == -1)
    #expect(g.neighbour(of: index[ChipCoordinate(2, 1)]!, link: 3) == -1, "a dead link is dead both ways")
    #expect(g.neighbour(of: index[ChipCoordinate(2, 3)]!, link: 0) == -1, "no link into a dead chip")
    #expect(g.liveChips.count == 47)
  }
}
