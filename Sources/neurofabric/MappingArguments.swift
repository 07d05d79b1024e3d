import Engine
import Foundation
import Mapping

extension MappingIdentity {
  /// The identity of a mapping of the `--network` argument on the `--system` file: the network's
  /// digest is its file's bytes, or the built-in's name and parameters as written.
  static func of(network: String, system: String, family: String, ranks: Int, placer: PlacementStrategy, seed: UInt64) -> MappingIdentity {
    func bytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { Array($0) } ?? Array(path.utf8) }
    return MappingIdentity(family: family, network: network,
                           networkDigest: digest(NetworkArgument.isFile(network) ? bytes(network) : Array(network.utf8)),
                           system: system, systemDigest: digest(bytes(system)), ranks: ranks, placer: placer.rawValue, seed: seed)
  }
}
