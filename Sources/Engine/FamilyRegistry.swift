import Distributed
import Foundation
import Hardware
import Mapping
import Model
import Traces

/// The families NeuroFabric knows: the one place that names them. `run`, `map`, `bench`,
/// `validate` and `info` reach a family only through a registry; a new family is one more entry
/// (or, in tests, a registry made with it).
public struct FamilyRegistry: Sendable {
  public let families: [any Family]

  public init(_ families: [any Family]) { self.families = families }

  /// The families of this release.
  public static let standard = FamilyRegistry([IdealFamily(), SpiNNakerFamily(), BrainScaleS2Family(), BrainScaleS1Family()])

  /// Every `family` value a topology may name.
  public var names: [String] { families.flatMap(\.names) }

  public func family(named name: String) -> (any Family)? { families.first { $0.names.contains(name) } }

  /// The family of `system`, or an error naming the families this registry holds.
  func family(of system: SystemDescription) throws(FamilyError) -> any Family {
    guard let family = family(named: system.family) else { throw .unknown(system.family, known: names) }
    return family
  }

  /// The family of `system` when its mapper follows `placer`, or an error naming the placers it has.
  func family(of system: SystemDescription, placer: PlacementStrategy) throws(FamilyError) -> any Family {
    let family = try family(of: system)
    guard family.placers.contains(placer) else { throw .placer(placer, family: system.family, accepted: family.placers) }
    return family
  }

  /// Reads a topology file with the readers of these families; a path that names no file is looked
  /// up by name where the topologies are installed (`TopologySearch`).
  public func readSystem(path: String) throws(TopologyFileErrors) -> SystemDescription {
    let directories = TopologySearch.directories()
    let found = TopologySearch.resolve(path, directories: directories)
    guard FileManager.default.fileExists(atPath: found) else {
      let searched = directories.isEmpty ? "" : "; not in \(directories.joined(separator: ", ")) either"
      throw TopologyFileErrors([TopologyFileError(file: path, line: 0, key: "",
                                                  message: "no such file\(searched) (\(TopologySearch.environmentVariable) names more directories)")])
    }
    return try SystemFileReader.read(path: found, families: readers)
  }

  /// Reads a topology file and switches off the effects `without` names (`--without a,b`).
  public func readSystem(path: String, without: String?) throws -> SystemDescription {
    var system = try readSystem(path: path)
    if let without { try switchOff(without.split(separator: ",").map { String($0) }, in: &system) }
    return system
  }

  public func parseSystem(_ text: String, file: String) throws(TopologyFileErrors) -> SystemDescription {
    try SystemFileReader.parse(text, file: file, families: readers)
  }

  private var readers: [(name: String, read: SystemFileReader.FamilyReader)] {
    families.flatMap { family in
      family.names.map { name in
        (name, { (doc: inout TopologyDocument, top: TopologyDocument.Section, header: TopologyDocument.Section) in
          var system = family.readSystem(&doc, top: top, header: header, name: name)
          if let names = doc.strings(header, "without") {
            do throws(FamilyError) {
              try Self.switchOff(names, of: family, in: &system)
            } catch {
              doc.fail(header, "without", error.description)
            }
          }
          return system
        })
      }
    }
  }

  /// Switches off the effects `names` of `system`'s family (`--without`), beside those its topology
  /// switched off; an effect the family does not model is an error that lists those it does.
  public func switchOff(_ names: [String], in system: inout SystemDescription) throws(FamilyError) {
    try Self.switchOff(names, of: family(of: system), in: &system)
  }

  private static func switchOff(_ names: [String], of family: any Family, in system: inout SystemDescription) throws(FamilyError) {
    let known = family.effects.map(\.name)
    if let unknown = names.first(where: { !known.contains($0) }) {
      throw .unknownEffect(unknown, family: system.family, effects: known)
    }
    system.without.formUnion(names)
    guard system.without.isSuperset(of: names) else { throw .effectsNotStored(family: system.family) }
  }

  /// Maps `network`, as the system's family realises it, onto `system` with the family's mapper,
  /// after its checks: what it cannot run is refused before any mapping work.
  public func map(_ network: Network, onto system: SystemDescription, options: MapOptions) throws -> any FamilyMapping {
    let realised = try runnable(network, on: system)
    return try Self.map(family(of: system, placer: options.placer), realised, onto: system, options: options)
  }

  /// What the system's family cannot run of `network`, before mapping it.
  public func check(_ network: Network, on system: SystemDescription) throws -> [String] {
    try realise(network, on: system).problems
  }

  /// `network` as the system's family realises it (`Family.realise`, the one call per map), and
  /// what stops the family running it: parameter changes it does not take, its checks of the
  /// realised network, then what it could not realise.
  func realise(_ network: Network, on system: SystemDescription) throws -> (network: Network, problems: [String]) {
    let family = try family(of: system)
    let able = families.filter(\.runsParameterChanges).flatMap(\.names).joined(separator: ", ")
    let changes = family.runsParameterChanges ? [] : network.parameterChanges.prefix(1).map {
      "parameter changes during a run (the first: '\($0.population)' at \($0.time.compact) ms) are not supported on \(system.family) systems, only on \(able) ones"
    }
    let (realised, unrealisable) = family.realise(network)
    return (realised, changes + (try Self.check(family, realised, on: system)) + unrealisable)
  }

  /// `network` as the system's family realises it, or every problem that stops the family running it.
  private func runnable(_ network: Network, on system: SystemDescription) throws -> Network {
    let (realised, problems) = try realise(network, on: system)
    guard problems.isEmpty else { throw UnsupportedNetworkError(problems: problems) }
    return realised
  }

  // The one place where a system meets its family's type: the family named by `system.family`
  // reads its systems as `F.System`, so a mismatch is a registry error, never a trap.
  private static func typed<F: Family>(_ family: F, _ system: SystemDescription) throws(FamilyError) -> F.System {
    guard let typed = system as? F.System else { throw .foreignSystem(system.family, expected: F.System.self) }
    return typed
  }

  private static func map<F: Family>(_ family: F, _ network: Network, onto system: SystemDescription, options: MapOptions) throws -> any FamilyMapping {
    try family.map(network, onto: typed(family, system), options: options)
  }

  private static func check<F: Family>(_ family: F, _ network: Network, on system: SystemDescription) throws(FamilyError) -> [String] {
    family.check(network, on: try typed(family, system))
  }

  private static func loadMapping<F: Family>(_ family: F, _ state: [UInt8], network: Network, onto system: SystemDescription,
                                             options: MapOptions) throws -> any FamilyMapping {
    try family.loadMapping(state, network: network, onto: typed(family, system), options: options)
  }

  /// A `bench --system` keyword, or nil.
  public func benchSystem(_ keyword: String) -> BenchSystem? {
    families.lazy.flatMap(\.benchSystems).first { $0.keyword == keyword }
  }
}

/// What a system's family cannot run of a network (`Family.check`), one line per problem.
public struct UnsupportedNetworkError: Error, CustomStringConvertible {
  public let problems: [String]

  public var description: String { problems.joined(separator: "\n") }
}

/// A system of a family this registry does not hold.
public enum FamilyError: Error, CustomStringConvertible {
  case unknown(String, known: [String])
  case placer(PlacementStrategy, family: String, accepted: [PlacementStrategy])
  case noSavedMapping(family: String)
  case foreignSystem(String, expected: any SystemDescription.Type)
  case unknownEffect(String, family: String, effects: [String])
  case effectsNotStored(family: String)

  public var description: String {
    switch self {
    case let .unknown(name, known): return "no family '\(name)' (known: \(known.joined(separator: ", ")))"
    case let .placer(placer, family, accepted):
      return "--placer \(placer.rawValue): \(family) systems are placed by \(accepted.map(\.rawValue).joined(separator: " or ")) only"
    case let .foreignSystem(family, expected): return "a '\(family)' system is not a \(expected) (a family reader made another family's system)"
    case let .unknownEffect(name, family, effects):
      return "no effect '\(name)' to switch off on \(family) systems (" + (effects.isEmpty ? "it models none)" : "its effects: \(effects.joined(separator: ", ")))")
    case let .effectsNotStored(family): return "\(family) systems do not store the effects they run without (a family with effects must)"
    case let .noSavedMapping(family): return "the \(family) family saves no mapping state, so it cannot load one (map again instead)"
    }
  }
}

extension FamilyRegistry {
  /// Maps `network` onto `system` and runs it on the ranks of `communicator`: what `run` does,
  /// without printing. Returns the family's run (for its state) and the summary.
  public func run(_ network: Network, on system: SystemDescription, options: RunOptions, placer: PlacementStrategy = .sequential,
                  communicator: Communicator, output: TraceOutput? = nil) throws -> (run: any FamilyRun, summary: RunSummary) {
    let mapping = try map(network, onto: system, options: MapOptions(
      placer: placer, seed: options.seed, ranks: communicator.size, systemPath: options.systemName, networkName: options.networkName))
    let run = try mapping.makeRun(options: options, rank: communicator.rank)
    return (run, try Simulation(run, options: options, communicator: communicator, output: output).run())
  }
}

extension FamilyRegistry {
  /// The mapping `map --out` wrote to `path`, checked against `identity` (the run's), for `network` on `system`.
  public func loadMapping(path: String, identity: MappingIdentity, network: Network, onto system: SystemDescription,
                          options: MapOptions) throws -> (mapping: any FamilyMapping, identity: MappingIdentity) {
    let (stored, state) = try MappingFile.read(path: path, for: identity)
    let realised = try runnable(network, on: system)
    let family = try family(of: system, placer: options.placer)
    var options = options
    options.seed = stored.seed  // the mapping's own seed, as `map` used it
    do {
      return (try Self.loadMapping(family, state, network: realised, onto: system, options: options), stored)
    } catch let error as MappingStateError {
      throw MappingFileError.invalid(path: path, problem: error.problem)
    } catch {
      throw MappingFileError.undecodable(path: path, reason: "\(error)")
    }
  }
}
