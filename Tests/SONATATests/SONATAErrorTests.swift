import Foundation
import Model
import SONATA
import TestSupport
import Testing

/// SONATA's type files and paths as the importer reads them. Malformed circuits, each named through the
/// importer and through `neurofabric validate`, are in CLITests' `SONATAErrorTests`.
@Suite struct SONATAErrorTests {
  @Test func typeFilesTakeQuotesAndPythonsLineEnds() throws {
    let table = try SONATATypeTable.parse("node_type_id model_type \"pop name\"\r\n1 point_neuron \"a b\"\r\n2 virtual NONE\r\n",
                                          file: "t.csv", idColumn: "node_type_id")
    #expect(table.columns == ["node_type_id", "model_type", "pop name"])
    #expect(table.rows[1]?.values["pop name"] == "a b" && table.rows[1]?.line == 2)
    #expect(table.rows[2]?.values["pop name"] == nil)
    let doubled = try SONATATypeTable.parse("edge_type_id source_query\n1 \"name=='a \"\"b\"\"'\"\n", file: "t.csv", idColumn: "edge_type_id")
    #expect(doubled.rows[1]?.values["source_query"] == "name=='a \"b\"'")
    #expect(throws: SONATAFileErrors.self) { try SONATATypeTable.parse("a b\n1 2\n", file: "t.csv", idColumn: "node_type_id") }
    #expect(throws: SONATAFileErrors.self) {
      try SONATATypeTable.parse("node_type_id x\n1 2\n1 3\n", file: "t.csv", idColumn: "node_type_id")
    }
  }

  @Test func aTypeFileProblemIsASONATAFileError() {
    let error = thrownError { _ = try SONATATypeTable.parse("a b\n1 2\n", file: "t.csv", idColumn: "node_type_id") }
    #expect(error is SONATAFileErrors && !(error is NetworkFileErrors))
    #expect(error.map { "\($0)" } == "t.csv:1: node_type_id: missing column: a type file keys its rows by node_type_id")
  }

  @Test func pathsResolveAgainstTheConfigsDirectory() {
    #expect(SONATAConfig.join(directory: "/a/b", "./network/./nodes.h5") == "/a/b/network/nodes.h5")
    #expect(SONATAConfig.join(directory: "", "./x.h5") == "x.h5")
    #expect(SONATAConfig.join(directory: "/a", "/abs/x.h5") == "/abs/x.h5")
  }
}
