import ArgumentParser
import Foundation
import Model

/// `neurofabric bench`: measured speed of NeuroFabric's stages, one JSON line per case.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure the speed of a stage on a network (prints a table and a JSON line).",
    discussion: """
      Cases:
        construction  generate every synapse of the network on one core, as the ranks do when they \
      build the neurons they host (synapses per second)

      Example:
        neurofabric bench --case construction --network microcircuit
      """
  )

  @Option(help: "The case to run: construction.")
  var `case` = "construction"

  @Option(help: ArgumentHelp(NetworkArgument.help))
  var network = "microcircuit"

  @Option(help: "Seed of the random streams.")
  var seed: UInt64 = 1

  func validate() throws {
    guard ["construction"].contains(`case`) else { throw ValidationError("unknown case '\(`case`)' (known: construction)") }
  }

  func run() throws {
    let model = try NetworkArgument.load(network)
    let generator = SynapseGenerator(network: model, seed: seed)
    var list = SynapseList()
    var synapses = 0
    var checksum: Float = 0
    let clock = ContinuousClock()
    let start = clock.now
    for (p, projection) in model.projections.enumerated() {
      let post = model.populations[model.populationIndex(projection.post)!].size
      for target in 0..<post {
        list.removeAll()
        generator.appendIncoming(projection: p, target: target, to: &list)
        synapses += list.count
        if let w = list.weights.last { checksum += w }
      }
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let rate = Double(synapses) / seconds
    print(table(["case", "network", "synapses", "seconds", "synapses/s"],
                [[`case`, network, synapses.grouped, String(format: "%.2f", seconds), String(format: "%.1f M", rate / 1e6)]]))
    print("{\"case\":\"\(`case`)\",\"network\":\"\(network)\",\"synapses\":\(synapses),\"seconds\":\(String(format: "%.3f", seconds)),\"synapses_per_second\":\(Int(rate)),\"ranks\":1,\"checksum\":\(checksum)}")
  }
}
