/// Which neurons one rank samples, and when (docs/architecture.md, "The family seam"): per
/// population, the steps between samples; per sampled node (a column of the population's sample
/// rows, in the rank file's order), the chip it lives on (the family's index of a chip, PE or
/// HICANN) and its neuron there. The engine makes it from the recording units; `TraceRecords`
/// asks the family to read the neurons at the steps it is due.
public struct SampleSchedule: Sendable {
  /// Per population: steps between samples, and columns (sampled nodes) on this rank.
  public let steps: [Int64]
  public let columns: [Int]
  let population: [Int]
  let column: [Int]
  let chip: [Int]
  let neuron: [Int]
  /// The sites on each chip that has any.
  let sitesOfChip: [Int: [Int]]

  /// `sites` in column order per population.
  public init(steps: [Int64], sites: [(population: Int, chip: Int, neuron: Int)]) {
    self.steps = steps
    var columns = [Int](repeating: 0, count: steps.count), column: [Int] = []
    var sitesOfChip: [Int: [Int]] = [:]
    for (i, site) in sites.enumerated() {
      column.append(columns[site.population])
      columns[site.population] += 1
      sitesOfChip[site.chip, default: []].append(i)
    }
    self.columns = columns
    self.column = column
    population = sites.map(\.population)
    chip = sites.map(\.chip)
    neuron = sites.map(\.neuron)
    self.sitesOfChip = sitesOfChip
  }

  /// A schedule that samples nothing.
  public init(populations: Int) { self.init(steps: Array(repeating: 1, count: populations), sites: []) }

  /// Whether population `p` has a sample row at step k (its value after the step).
  @inline(__always)
  func isDue(_ p: Int, step k: Int64) -> Bool { columns[p] > 0 && (k + 1) % steps[p] == 0 }

  /// The first sample row of population `p` at or after step k, counted from the run's start.
  func row(_ p: Int, from k: Int64) -> Int64 { (k + steps[p]) / steps[p] }
}
