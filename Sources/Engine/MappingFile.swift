import Foundation
import Traces

/// What a mapping was made for: `run --mapping` refuses a mapping whose network, system, rank
/// count, family or release differ from the run's.
public struct MappingIdentity: Sendable, Equatable {
  public var family: String
  /// The network as named (`--network`) and a digest of what it names (the file's bytes, or the
  /// built-in's name and parameters).
  public var network: String
  public var networkDigest: String
  /// The topology file as named and a digest of its bytes.
  public var system: String
  public var systemDigest: String
  public var ranks: Int
  public var placer: String
  public var seed: UInt64
  public var version: String

  public init(family: String, network: String, networkDigest: String, system: String, systemDigest: String, ranks: Int,
              placer: String, seed: UInt64, version: String = neuroFabricVersion) {
    self.family = family
    self.network = network
    self.networkDigest = networkDigest
    self.system = system
    self.systemDigest = systemDigest
    self.ranks = ranks
    self.placer = placer
    self.seed = seed
    self.version = version
  }

  /// 64-bit FNV-1a of `bytes`, as 16 hex digits.
  public static func digest<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The first difference that makes a mapping made for `self` unusable for a run of `run`, or nil.
  func difference(from run: MappingIdentity) -> String? {
    if version != run.version { return "it was written by NeuroFabric \(version), this is \(run.version)" }
    if family != run.family { return "it maps onto the family \(family), the run's system is of the family \(run.family)" }
    if systemDigest != run.systemDigest { return "it was made for the system \(system) (digest \(systemDigest)), the run's \(run.system) differs (digest \(run.systemDigest))" }
    if networkDigest != run.networkDigest { return "it was made for the network \(network) (digest \(networkDigest)), the run's \(run.network) differs (digest \(run.networkDigest))" }
    if ranks != run.ranks { return "it was made for \(ranks) rank(s), the run has \(run.ranks)" }
    return nil
  }
}

/// The group `/mapping_state` that `map --out` writes beside `/mapping`: the identity as attributes and the
/// family's mapping, encoded, as one byte dataset. `run --mapping` reads it back.
public enum MappingFile {
  static let group = "mapping_state"

  public static func write(_ mapping: any FamilyMapping, identity: MappingIdentity, to root: HDF5Group) throws {
    let group = try root.createGroup(Self.group)
    try group.setAttribute("family", identity.family)
    try group.setAttribute("network", identity.network)
    try group.setAttribute("network_digest", identity.networkDigest)
    try group.setAttribute("system", identity.system)
    try group.setAttribute("system_digest", identity.systemDigest)
    try group.setAttribute("ranks", Int64(identity.ranks))
    try group.setAttribute("placer", identity.placer)
    try group.setAttribute("seed", identity.seed)
    try group.setAttribute("version", identity.version)
    try group.createDataset("state", values: try mapping.encodedState())
  }

  /// Reads the mapping of `path` and checks it was made for a run of `identity`.
  public static func read(path: String, for identity: MappingIdentity) throws(MappingFileError) -> (identity: MappingIdentity, state: [UInt8]) {
    do {
      let root = try HDF5File.open(path).root()
      guard root.contains(Self.group) else { throw MappingFileError.notAMapping(path: path) }
      let group = try root.openGroup(Self.group)
      func text(_ name: String) throws -> String { try group.stringAttribute(name).first ?? "" }
      let stored = MappingIdentity(
        family: try text("family"), network: try text("network"), networkDigest: try text("network_digest"),
        system: try text("system"), systemDigest: try text("system_digest"),
        ranks: Int(try group.attribute("ranks", as: Int64.self).first ?? 0), placer: try text("placer"),
        seed: try group.attribute("seed", as: UInt64.self).first ?? 0, version: try text("version"))
      if let difference = stored.difference(from: identity) { throw MappingFileError.mismatch(path: path, difference) }
      return (stored, try group.openDataset("state", as: UInt8.self).read())
    } catch let error as MappingFileError {
      throw error
    } catch {
      throw MappingFileError.unreadable(path: path, reason: "\(error)")
    }
  }
}

/// Why `run --mapping` cannot use a mapping file.
public enum MappingFileError: Error, CustomStringConvertible {
  case unreadable(path: String, reason: String)
  case notAMapping(path: String)
  case mismatch(path: String, String)
  case undecodable(path: String, reason: String)
  /// The state decodes but does not fit the run's network and system (`MappingStateError`).
  case invalid(path: String, problem: String)

  public var description: String {
    switch self {
    case let .unreadable(path, reason): return "--mapping \(path): cannot read it: \(reason)"
    case let .notAMapping(path): return "--mapping \(path): no /mapping_state group (write one with `neurofabric map … --out \(path)`)"
    case let .mismatch(path, difference): return "--mapping \(path): \(difference); map again with this network, system and rank count"
    case let .undecodable(path, reason): return "--mapping \(path): /mapping_state/state does not decode: \(reason)"
    case let .invalid(path, problem):
      return "--mapping \(path): /mapping_state/state does not fit this network and system: \(problem) (map again)"
    }
  }
}

/// The encoding of a family's mapping state.
enum MappingState {
  static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = PropertyListEncoder()
    encoder.outputFormat = .binary
    return Array(try encoder.encode(value))
  }

  static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
    try PropertyListDecoder().decode(type, from: Data(bytes))
  }
}
