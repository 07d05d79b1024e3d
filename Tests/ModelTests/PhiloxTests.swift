import Testing
@testable import Model

/// Known-answer vectors of Random123 (kat_vectors, philox4x32 with 10 rounds).
@Suite struct PhiloxTests {
  static let vectors: [(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, result: SIMD4<UInt32>)] = [
    (SIMD4(0, 0, 0, 0), SIMD2(0, 0), SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
    (SIMD4(0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff), SIMD2(0xffff_ffff, 0xffff_ffff),
     SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
    (SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2(0xa409_3822, 0x299f_31d0),
     SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
  ]

  @Test func matchesKnownAnswers() {
    for v in Self.vectors {
      #expect(Philox4x32.block(counter: v.counter, key: v.key) == v.result)
    }
  }

  @Test func fourBlocksAtOnceMatchFourSingleBlocks() {
    for v in Self.vectors {
      let (w0, w1, w2, w3) = Philox4x32.fourBlocks(counter: v.counter, key: v.key)
      for lane in 0..<4 {
        var counter = v.counter
        counter.x &+= UInt32(lane)
        #expect(SIMD4(w0[lane], w1[lane], w2[lane], w3[lane]) == Philox4x32.block(counter: counter, key: v.key))
      }
    }
  }

  @Test func streamReadsBlocksInOrder() {
    var stream = RandomStream(seed: 0x299f_31d0_a409_3822, purpose: .connections, group: 7, member: 42)
    let words = (0..<24).map { _ in stream.nextUInt32() }
    for block in 0..<6 {
      let expected = Philox4x32.block(counter: SIMD4(UInt32(block), 42, 7, StreamPurpose.connections.rawValue),
                                      key: SIMD2(0xa409_3822, 0x299f_31d0))
      #expect(Array(words[(4 * block)..<(4 * block + 4)]) == [expected.x, expected.y, expected.z, expected.w])
    }
  }

  @Test func normalDrawsHaveUnitMomentsAndTails() {
    var stream = RandomStream(seed: 3, purpose: .source, group: 0, member: 0)
    let n = 400_000
    var sum = 0.0, squares = 0.0, beyondThree = 0
    for _ in 0..<n {
      let x = stream.nextNormal()
      sum += x
      squares += x * x
      if abs(x) > 3 { beyondThree += 1 }
    }
    #expect(abs(sum / Double(n)) < 0.01)
    #expect(abs(squares / Double(n) - 1) < 0.01)
    // P(|x| > 3) = 0.0027: 1080 expected, sd ≈ 33.
    #expect((950...1210).contains(beyondThree))
  }

  @Test func indicesAreUniform() {
    var stream = RandomStream(seed: 9, purpose: .connections, group: 1, member: 2)
    var counts = [Int](repeating: 0, count: 10)
    for _ in 0..<100_000 { counts[Int(stream.nextIndex(below: 10))] += 1 }
    #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
  }
}
