import Foundation

/// Where a `--system` topology file is when the path given does not name one: a file of that name
/// (`Topologies/` and `.toml` may be left out) in the directories of `NEUROFABRIC_TOPOLOGIES`
/// (separated by `:`), in `../share/neurofabric/Topologies` beside the binary (a prefix that
/// `Scripts/install` made), or in the `Topologies/` of the checkout the binary was built in. So a
/// binary run from any directory finds the topologies it came with (docs/getting-started.md).
public enum TopologySearch {
  /// The environment variable that names directories of topology files.
  public static let environmentVariable = "NEUROFABRIC_TOPOLOGIES"

  /// `argument` when it names a file; else the first file of its name in `directories`; else
  /// `argument` unchanged, so that the reader names it in its error.
  public static func resolve(_ argument: String, directories: [String] = directories()) -> String {
    if FileManager.default.fileExists(atPath: argument) { return argument }
    let name = argument.hasPrefix("Topologies/") ? String(argument.dropFirst("Topologies/".count)) : argument
    guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("..") else { return argument }
    for directory in directories {
      for candidate in [name, name + ".toml"] where FileManager.default.fileExists(atPath: directory + "/" + candidate) {
        return directory + "/" + candidate
      }
    }
    return argument
  }

  /// The directories searched, in order: `NEUROFABRIC_TOPOLOGIES`, an installed prefix's
  /// `share/neurofabric/Topologies`, and the nearest `Topologies/` above the binary (its checkout).
  public static func directories(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 executable: String? = executablePath()) -> [String] {
    var found = (environment[environmentVariable] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    guard let executable else { return found }
    let bin = URL(fileURLWithPath: executable).deletingLastPathComponent()
    found.append(bin.deletingLastPathComponent().appendingPathComponent("share/neurofabric/Topologies").path)
    var directory = bin
    for _ in 0..<6 {
      let candidate = directory.appendingPathComponent("Topologies")
      if ((try? FileManager.default.contentsOfDirectory(atPath: candidate.path)) ?? []).contains(where: { $0.hasSuffix(".toml") }) {
        found.append(candidate.path)
        break
      }
      directory = directory.deletingLastPathComponent()
    }
    return found
  }

  /// The running binary's own path, symbolic links resolved.
  public static func executablePath() -> String? {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
  }
}
