// swift-tools-version:6.0
import PackageDescription

/// The chip families, one folder each under Sources/Families.
let families = ["Ideal", "SpiNNaker", "BrainScaleS2", "BrainScaleS1"]
/// The family part each stage module compiles.
let parts = ["Hardware": "Chip", "Mapping": "Mapper", "Engine": "Run"]
/// The folders of Sources that are not the stage's (so the stage, rooted at Sources, leaves them alone).
func outside(_ stage: String) -> [String] {
  ["CHDF5", "CMETIS", "CMPI", "Distributed", "Traces", "Model", "Fabric", "NIR", "SONATA", "neurofabric", "Hardware", "Mapping", "Engine"]
    .filter { $0 != stage } + families.flatMap { family in parts.values.filter { $0 != parts[stage] }.map { "Families/\(family)/\($0)" } }
}

let package = Package(
  name: "NeuroFabric",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "neurofabric", targets: ["neurofabric"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // System libraries: flags come from the pkg-config files of Debian's -dev packages.
    .systemLibrary(name: "CMPI", pkgConfig: "mpich", providers: [.apt(["libmpich-dev", "mpich"])]),
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(name: "CMETIS", providers: [.apt(["libmetis-dev"])]),
    .target(name: "Distributed", dependencies: ["CMPI"]),
    .target(name: "Traces", dependencies: ["CHDF5"]),
    .target(name: "Model"),
    .target(name: "Fabric"),
    .target(name: "NIR", dependencies: ["Model", "Traces"]),
    .target(name: "SONATA", dependencies: ["Model", "Traces"]),
    // The stages are modules (chips → mappers → runs); each family keeps all three of its parts in one
    // folder, Sources/Families/<family>/{Chip,Mapper,Run}, compiled into the stage they belong to.
    .target(name: "Hardware", dependencies: ["Model", "Fabric"], path: "Sources",
            exclude: outside("Hardware"), sources: ["Hardware"] + families.map { "Families/\($0)/Chip" }),
    .target(name: "Mapping", dependencies: ["Model", "Hardware", "CMETIS"], path: "Sources",
            exclude: outside("Mapping"), sources: ["Mapping"] + families.map { "Families/\($0)/Mapper" }),
    .target(name: "Engine", dependencies: ["Distributed", "Traces", "Model", "Fabric", "Mapping", "Hardware"], path: "Sources",
            exclude: outside("Engine"), sources: ["Engine"] + families.map { "Families/\($0)/Run" }),
    .executableTarget(
      name: "neurofabric",
      dependencies: [
        "Distributed", "Traces", "Model", "NIR", "SONATA", "Fabric", "Mapping", "Hardware", "Engine", "CMPI", "CHDF5",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(name: "TestSupport", dependencies: ["Traces"], path: "Tests/TestSupport"),
    // One test target per module, calling its API in-process. CLITests drive the `neurofabric` binary
    // and its commands end to end: only it depends on the executable, which makes `swift test` build
    // it, so its tests can spawn `mpiexec -n K neurofabric`.
    .testTarget(name: "DistributedTests", dependencies: ["Distributed", "TestSupport"]),
    .testTarget(name: "TracesTests", dependencies: ["Traces", "TestSupport"]),
    .testTarget(name: "FabricTests", dependencies: ["Fabric"]),
    .testTarget(name: "ModelTests", dependencies: ["Model", "TestSupport"]),
    .testTarget(name: "NIRTests", dependencies: ["NIR", "Model", "Traces", "Mapping", "TestSupport"]),
    .testTarget(name: "SONATATests", dependencies: ["SONATA", "Model", "TestSupport"]),
    .testTarget(name: "HardwareTests", dependencies: ["Hardware", "Model", "Fabric", "TestSupport"]),
    .testTarget(name: "MappingTests", dependencies: ["Mapping", "Hardware", "Model", "TestSupport"]),
    .testTarget(name: "EngineTests", dependencies: ["Engine", "Hardware", "Mapping", "Model", "Traces", "Distributed", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: [
      "neurofabric", "Engine", "Hardware", "Mapping", "Model", "NIR", "SONATA", "Traces", "Distributed", "TestSupport",
    ]),
  ]
)
