import Foundation
import TestSupport
import Testing
@testable import Engine

/// A signal that ends the process at once (before the command stops at safe points, or a second
/// signal) releases the outputs it claimed first: the claims it holds are known to the process.
@Suite struct HeldClaimsTests {
  @Test func releaseAllRemovesTheLocksOfEveryHeldClaimAndNoOther() throws {
    let dir = try TemporaryDirectory("held-claims")
    defer { dir.remove() }
    let run = try RunDirectory(dir.path("run")).claim(command: "neurofabric run")
    let file = try OutputClaim.claim(file: dir.path("map.h5"), command: "neurofabric map")
    let released = try OutputClaim.claim(file: dir.path("other.h5"), command: "neurofabric infer")
    released.release()
    let foreign = OutputClaim.lockPath(file: dir.path("foreign.h5"))
    try "run=1\nhost=elsewhere\npid=1\n".write(toFile: foreign, atomically: true, encoding: .utf8)
    #expect(FileManager.default.fileExists(atPath: run.lockPath) && FileManager.default.fileExists(atPath: file.lockPath))
    OutputClaim.releaseAll()
    #expect(!FileManager.default.fileExists(atPath: run.lockPath) && !FileManager.default.fileExists(atPath: file.lockPath))
    #expect(!FileManager.default.fileExists(atPath: dir.path("run")), "the directory the run's claim made, empty, goes too")
    #expect(FileManager.default.fileExists(atPath: foreign), "a lock this process does not hold stays")
    #expect(OutputClaim.held.withLock { $0[run.lockPath] == nil && $0[file.lockPath] == nil })
  }
}
