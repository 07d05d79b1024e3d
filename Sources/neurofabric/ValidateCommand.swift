import ArgumentParser
import Engine
import Foundation
import Hardware
import Model

/// `neurofabric validate`: checks a network and prints what it holds, or every problem found.
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a network file (or built-in network) and summarise it.",
    discussion: """
      Prints the populations (size, cell type) and projections (connector, expected synapse count \
      and mean in-degree), or every problem found, each with its file, line and key. Exits with 1 \
      if there is a problem.

      Built-in networks:
      \(StandardNetworks.help)

      Examples:
        neurofabric validate Examples/two_populations.toml
        neurofabric validate microcircuit:N_scaling=0.1,K_scaling=0.1
        neurofabric validate brunel --system Topologies/bss2-4chips.toml
      """
  )

  @Argument(help: ArgumentHelp(NetworkArgument.help))
  var network: String

  @Option(help: "A topology file to check as well (Topologies/*.toml), read by its family's reader.")
  var system: String?

  @OptionGroup(title: "NIR graphs")
  var nir: NIRArguments

  func run() throws {
    var description: SystemDescription?
    if let system {
      do {
        description = try FamilyRegistry.standard.readSystem(path: system)
        print("system '\(description!.name)': family \(description!.family) (\(system))")
      } catch {
        for problem in error.errors { printError(problem.description) }
        printError("\(error.errors.count) problem\(error.errors.count == 1 ? "" : "s") in \(system)")
        throw ExitCode(1)
      }
    }
    let model: Network
    do {
      let importNotes: [String]
      (model, importNotes) = try NetworkArgument.loadReporting(network, nir: nir)
      for note in importNotes { print(note) }
    } catch let errors as any LocatedFileErrors {
      for error in errors.errors { printError(error.description) }
      printError("\(errors.errors.count) problem\(errors.errors.count == 1 ? "" : "s") in \(network)")
      throw ExitCode(1)
    } catch {
      printError("\(error)")
      throw ExitCode(1)
    }
    print(summary(model))
    if let description, let system {
      try checkFits(model, on: description, path: system)
    }
  }

  /// What the system's family refuses of the network (its chips' models and limits, then its
  /// mapper's capacity checks), before any run: each problem printed, exit status 1.
  func checkFits(_ model: Network, on description: SystemDescription, path: String) throws {
    // `map` runs the family's checks first and refuses with all of their problems.
    var problems: [String] = []
    var report = ""
    do {
      report = try FamilyRegistry.standard.map(model, onto: description, options: MapOptions(systemPath: path, networkName: network)).report
    } catch let error as UnsupportedNetworkError {
      problems = error.problems
    } catch {
      problems.append("\(error)")
    }
    guard problems.isEmpty else {
      for problem in problems { printError("\(network) on \(path): \(problem)") }
      printError("\(problems.count) problem\(problems.count == 1 ? "" : "s"): '\(model.name)' does not run on \(description.name)")
      throw ExitCode(1)
    }
    print("\n" + report)
  }

  func summary(_ model: Network) -> String {
    let statistics = model.projectionStatistics()
    let neurons = model.populations.filter { !$0.cellType.isSource }.reduce(0) { $0 + $1.size }
    var text = "network '\(model.name)': \(model.populations.count) populations, \(neurons.grouped) neurons, "
    text += "\((model.neuronCount - neurons).grouped) source cells, \(model.projections.count) projections, "
    text += "\(Int(model.expectedSynapseCount.rounded()).grouped) synapses expected\n\n"
    text += table(["population", "size", "cell type"], model.populations.map { [$0.label, $0.size.grouped, $0.cellType.name] })
    text += "\n\n"
    text += table(["projection", "receptor", "connector", "weight", "delay (ms)", "synapses", "in-degree"],
                  zip(model.projections, statistics).map { projection, stats in
                    [projection.label, projection.receptor.rawValue, projection.connector.summary, projection.weight.summary,
                     projection.delay.summary, Int(stats.expectedSynapses.rounded()).grouped, String(format: "%.1f", stats.meanInDegree)]
                  })
    if !model.stimuli.isEmpty {
      text += "\n\n" + table(["stimulus", "target", "neurons"], model.stimuli.map { [$0.label, $0.target, $0.neurons.map { "\($0.count)" } ?? "all"] })
    }
    if !model.recordings.isEmpty {
      text += "\n\n" + table(["recording", "variables", "neurons"], model.recordings.map {
        [$0.population, $0.variables.map(\.rawValue).joined(separator: ", "), $0.neurons.map { "\($0.count)" } ?? "all"]
      })
    }
    return text
  }
}

func printError(_ line: String) {
  FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
}
