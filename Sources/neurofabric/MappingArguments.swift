import Engine
import Foundation
import Mapping
import Model

extension MappingIdentity {
  /// The identity of a mapping of the `--network` argument on the `--system` file: the network's
  /// digest is its file's bytes, or the built-in's name and parameters as written; for a SONATA
  /// circuit or a NIR graph (whose network also comes from the files the config names, or from the
  /// import's options) the imported network itself, `model`; the system's digest is its file's bytes
  /// and the effects it runs `without`.
  static func of(network: String, model: Network, system: String, without: Set<String>, family: String, ranks: Int,
                 placer: PlacementStrategy, seed: UInt64) -> MappingIdentity {
    func bytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { Array($0) } ?? Array(path.utf8) }
    let imported = network.hasSuffix(".json") || network.hasSuffix(".nir")
    return MappingIdentity(family: family, network: network,
                           networkDigest: imported ? digest(String(reflecting: model).utf8)
                             : digest(NetworkArgument.isFile(network) ? bytes(network) : Array(network.utf8)),
                           system: system, systemDigest: digest(bytes(system) + (without.isEmpty ? [] : Array(" without \(without.sorted())".utf8))), ranks: ranks, placer: placer.rawValue, seed: seed)
  }
}
