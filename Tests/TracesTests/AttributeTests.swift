import TestSupport
import Testing
import Traces

@Suite struct AttributeTests {
  @Test func attributesOfEachKindRoundTrip() throws {
    let dir = try TemporaryDirectory("attributes")
    defer { dir.remove() }
    let path = dir.path("attributes.h5")
    let sorting: [(name: String, value: UInt8)] = [("none", 0), ("by_id", 1), ("by_time", 2)]
    do {
      let root = try HDF5File.create(path).root()
      try root.setAttribute("magic", UInt32(0x0A7A))
      try root.setAttribute("version", [UInt32(0), 1])
      try root.setAttribute("seed", Int64(-42))
      try root.setAttribute("speedup", 1e4)
      try root.setAttribute("window_ms", [0.1, 0.25, 1.5])
      try root.setAttribute("command", "mpiexec -n 2 neurofabric run --seed 7 — µS")
      try root.setAttribute("populations", strings: ["exc", "inh"])
      let group = try root.createGroup("spikes/exc")
      try group.setEnumAttribute("sorting", members: sorting, value: 2)
      try group.setAttribute("seed", Int64(1))
      try group.setAttribute("seed", Int64(2))  // replacing is allowed
    }
    let root = try HDF5File.open(path).root()
    #expect(try root.attribute("magic", as: UInt32.self) == [2682])
    #expect(try root.attribute("version", as: UInt32.self) == [0, 1])
    #expect(try root.attribute("seed", as: Int64.self) == [-42])
    #expect(try root.attribute("speedup", as: Double.self) == [1e4])
    #expect(try root.attribute("window_ms", as: Double.self) == [0.1, 0.25, 1.5])
    #expect(try root.stringAttribute("command") == ["mpiexec -n 2 neurofabric run --seed 7 — µS"])
    #expect(try root.stringAttribute("populations") == ["exc", "inh"])
    #expect(Set(root.attributeNames) == ["magic", "version", "seed", "speedup", "window_ms", "command", "populations"])
    let group = try root.openGroup("spikes/exc")
    #expect(try group.enumAttribute("sorting") == "by_time")
    #expect(try group.attribute("sorting", as: UInt8.self) == [2])
    #expect(try group.attribute("seed", as: Int64.self) == [2])
  }

  @Test func readingTheWrongKindIsATypedError() throws {
    let dir = try TemporaryDirectory("attribute-kind")
    defer { dir.remove() }
    let root = try HDF5File.create(dir.path("a.h5")).root()
    try root.setAttribute("units", "ms")
    #expect(throws: HDF5Error.typeMismatch(path: dir.path("a.h5"), object: "/@units", expected: "numeric (float64)")) {
      try root.attribute("units", as: Double.self)
    }
    #expect(throws: HDF5Error.objectNotFound(path: dir.path("a.h5"), object: "/@missing")) {
      try root.stringAttribute("missing")
    }
  }
}
