import Foundation
import Model

/// Loads what `--network` (or validate's argument) names: a TOML network file, or a built-in
/// network with parameters such as `brunel:N=10000,indegree=1000`.
enum NetworkArgument {
  static let help = "A network file (.toml) or a built-in network: brunel, microcircuit, synfire, single, chain, with parameters as name:key=value,…"

  static func isFile(_ argument: String) -> Bool {
    argument.hasSuffix(".toml") || argument.contains("/") || FileManager.default.fileExists(atPath: argument)
  }

  static func load(_ argument: String) throws -> Network {
    isFile(argument) ? try NetworkFileReader.read(path: argument) : try StandardNetworks.build(argument)
  }
}
