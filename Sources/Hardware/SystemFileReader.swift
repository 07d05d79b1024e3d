import Fabric
import Foundation
import Model

/// A topology file's TOML document: its problems are `TopologyFileError`s.
public typealias TopologyDocument = TOMLDocumentReader<TopologyFileError>

/// Reads topology files (`Topologies/*.toml`, format in docs/formats/topology-files.md): a `[system]` table naming the
/// family, then the family's tables, read by that family's reader. Every problem names file, line and key.
public enum SystemFileReader {
  /// Reads a family's tables: the document, its top level and its `[system]` table.
  public typealias FamilyReader = (inout TopologyDocument, TopologyDocument.Section, TopologyDocument.Section) -> SystemDescription

  /// `families`: the readers of the known families by `family` value, in the order errors list them.
  public static func read(path: String, families: [(name: String, read: FamilyReader)]) throws(TopologyFileErrors) -> SystemDescription {
    try parse(TopologyDocument.text(ofFile: path), file: path, families: families)
  }

  public static func parse(_ text: String, file: String, families: [(name: String, read: FamilyReader)]) throws(TopologyFileErrors)
    -> SystemDescription
  {
    let root = try TopologyDocument.parse(text, file: file)
    var doc = TopologyDocument(file: file)
    let top = doc.root(root)
    let known = families.map(\.name).joined(separator: ", ")
    guard let header = doc.table(top, "system") else {
      if doc.errors.isEmpty { doc.fail(key: "system", line: 1, "missing [system] table with 'family' (one of: \(known))") }
      throw TopologyFileErrors(doc.errors)
    }
    let family = doc.string(header, "family", required: true) ?? ""
    var system: SystemDescription?
    if let reader = families.first(where: { $0.name == family }) {
      system = reader.read(&doc, top, header)
    } else if !family.isEmpty {
      doc.fail(header, "family", "unknown family '\(family)' (expected one of: \(known))")
    }
    guard doc.errors.isEmpty, let system else { throw TopologyFileErrors(doc.errors) }
    return system
  }
}
