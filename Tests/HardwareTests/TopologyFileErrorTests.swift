import Hardware
import Model
import TestSupport
import Testing

/// A topology file's problems are topology file errors, though its reader is the network files' TOML reader.
@Suite struct TopologyFileErrorTests {
  static func parse(_ text: String) -> (any Error)? {
    thrownError { _ = try SystemFileReader.parse(text, file: "bad.toml", families: [("ideal", { SystemFileReader.readIdeal(&$0, $1, $2) })]) }
  }

  @Test func anUnknownFamilyIsATopologyFileError() {
    let error = Self.parse("[system]\nfamily = \"loihi\"\n")
    #expect(error is TopologyFileErrors && !(error is NetworkFileErrors))
    #expect(error.map { "\($0)" } == "bad.toml:2: system.family: unknown family 'loihi' (expected one of: ideal)")
  }

  @Test func aSyntaxErrorIsATopologyFileError() {
    let error = Self.parse("[system\n")
    #expect(error is TopologyFileErrors && !(error is NetworkFileErrors))
    #expect(error.map { "\($0)" }?.hasPrefix("bad.toml:1: column ") == true, "\(String(describing: error))")
  }

  @Test func aMissingFileIsATopologyFileError() {
    let error = thrownError { _ = try SystemFileReader.read(path: "/nonexistent/system.toml", families: []) }
    #expect(error is TopologyFileErrors && !(error is NetworkFileErrors))
    #expect(error.map { "\($0)" } == "/nonexistent/system.toml: no such file")
  }
}
