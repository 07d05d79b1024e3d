import Hardware
import Model

/// Placement for systems without per-chip limits (the `ideal` family): every population is split
/// evenly over the live chips in index order, so neuron i of every population of the same size
/// lands on the same chip and one-to-one projections (e.g. Poisson drive) stay on chip. Chips are
/// then assigned to ranks in contiguous blocks (`DomainDecomposition.blocks`), so each rank holds a contiguous range of node ids
/// of every population and per-rank trace blocks concatenate in node-id order.
public struct StripedPlacement: Sendable {
  public let chips: Int
  public let liveChips: [Int]
  public let populationSizes: [Int]
  public let populationOffsets: [Int]
  /// Slices of each chip, in population order.
  public let slicesOfChip: [[Slice]]

  public init(network: Network, chips: Int, liveChips: [Int]) {
    self.chips = chips
    self.liveChips = liveChips
    populationSizes = network.populations.map(\.size)
    populationOffsets = network.populationOffsets
    var slices = Array(repeating: [Slice](), count: chips)
    let u = liveChips.count
    for (p, n) in populationSizes.enumerated() {
      for (stripe, chip) in liveChips.enumerated() {
        let first = stripe * n / u, end = (stripe + 1) * n / u
        guard end > first else { continue }
        let offset = slices[chip].last.map { $0.chipOffset + $0.count } ?? 0
        slices[chip].append(Slice(population: p, first: first, count: end - first, chip: chip, chipOffset: offset))
      }
    }
    slicesOfChip = slices
  }

  public func neuronCount(chip: Int) -> Int {
    slicesOfChip[chip].last.map { $0.chipOffset + $0.count } ?? 0
  }

  /// The chip hosting neuron `index` of population `population`.
  @inline(__always)
  public func chip(population: Int, index: Int) -> Int {
    let n = populationSizes[population]
    return liveChips[((index + 1) * liveChips.count - 1) / n]
  }

  /// Neuron `index` of `population` as (chip, index among the chip's neurons).
  public func location(population: Int, index: Int) -> (chip: Int, local: Int) {
    let chip = chip(population: population, index: index)
    let slice = slicesOfChip[chip].first { $0.population == population }!
    return (chip, slice.chipOffset + index - slice.first)
  }

  /// The population of global id `key`.
  @inline(__always)
  public func population(ofKey key: UInt32) -> Int {
    var lo = 0, hi = populationOffsets.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if populationOffsets[mid] <= Int(key) { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The chip hosting global id `key`.
  public func chip(ofKey key: UInt32) -> Int {
    let p = population(ofKey: key)
    return chip(population: p, index: Int(key) - populationOffsets[p])
  }
}
