import Foundation
import Model
import NIR
import SONATA

/// Loads what `--network` (or validate's argument) names: a TOML network file, a NIR graph
/// (.nir), a SONATA circuit (its circuit or simulation config, .json), or a built-in network with
/// parameters such as `brunel:N=10000,indegree=1000`.
enum NetworkArgument {
  static let help = "A network file (.toml), a NIR graph (.nir), a SONATA circuit (circuit_config.json or simulation_config.json), or a built-in network: brunel, microcircuit, synfire, single, chain, with parameters as name:key=value,…"

  static func isFile(_ argument: String) -> Bool {
    argument.hasSuffix(".toml") || argument.hasSuffix(".nir") || argument.hasSuffix(".json") || argument.contains("/") || FileManager.default.fileExists(atPath: argument)
  }

  static func load(_ argument: String, nir: NIRArguments? = nil) throws -> Network {
    try loadReporting(argument, nir: nir).network
  }

  /// The network, and for a NIR graph what its import assumed (printed with the mapping report).
  static func loadReporting(_ argument: String, nir: NIRArguments? = nil) throws -> (network: Network, notes: [String]) {
    if argument.hasSuffix(".json") {
      let imported = try SONATAImporter.read(path: argument)
      let tstop = imported.tstop.map { ["  the simulation config's run.tstop is \($0) ms (--duration sets the run's length)"] } ?? []
      return (imported.network, ["SONATA import of \(argument)"] + imported.notes.map { "  " + $0 } + tstop)
    }
    guard argument.hasSuffix(".nir") else {
      return (isFile(argument) ? try NetworkFileReader.read(path: argument) : try StandardNetworks.build(argument), [])
    }
    var imported = try NIRImporter.read(path: argument, options: nir?.options ?? NIRImportOptions())
    if let input = nir?.input {
      let (path, group) = NIRSampleSet.location(input)
      try imported.feed(NIRSampleSet.read(path: path, group: group), sample: nir?.sample ?? 0)
    }
    return (imported.network, ["NIR import of \(argument)"] + imported.notes.map { "  " + $0 })
  }
}
