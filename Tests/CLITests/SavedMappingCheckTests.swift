import Foundation
import TestSupport
import Testing

/// Files edited with h5py: `run --mapping` on an edited state, `inspect` and `recover` on rank
/// counts no run writes, each exit 1 with the file and the offending value named.
@Suite struct SavedMappingCheckTests {
  let python = packageRoot.appendingPathComponent(".venv/bin/python").path

  @Test(.enabled(if: pythonChecksRun, "edits the files with h5py in the venv"))
  func anEditedMappingIsRefusedBeforeTheRun() throws {
    let dir = try TemporaryDirectory("mapping-edited")
    defer { dir.remove() }
    let common = ["--system", topology("spinnaker2-board.toml"), "--network", "synfire"]
    var (status, output) = try runProcess(neurofabric, ["map", "--out", dir.path("m.h5")] + common)
    #expect(status == 0, "\(output)")
    let edit = """
      import h5py, plistlib, numpy as np, sys
      with h5py.File(sys.argv[1], 'r+') as f:
          s = plistlib.loads(bytes(f['mapping_state/state'][()]))
          s['mapping']['placement']['pe'][0] = 400
          del f['mapping_state/state']
          f['mapping_state'].create_dataset('state', data=np.frombuffer(plistlib.dumps(s, fmt=plistlib.FMT_BINARY), dtype=np.uint8))
      """
    (status, output) = try runProcess(python, ["-c", edit, dir.path("m.h5")])
    #expect(status == 0, "\(output)")
    (status, output) = try runProcess(neurofabric, ["run", "--mapping", dir.path("m.h5"), "--duration", "5ms", "--out", dir.path("r")] + common, timeout: 120)
    #expect(status == 1 && output.contains("--mapping \(dir.path("m.h5")): /mapping_state/state does not fit")
              && output.contains("is on PE 400 of chip (0, 0), which has 152 PEs"), "\(output)")
    #expect(!FileManager.default.fileExists(atPath: dir.path("r/trace.h5")))
  }

  @Test(.enabled(if: pythonChecksRun, "edits the files with h5py in the venv"), arguments: ["-1", "1000000000", "1.5"])
  func aRankCountNoRunWritesIsNamed(ranks: String) throws {
    let dir = try TemporaryDirectory("rank-count")
    defer { dir.remove() }
    var (status, output) = try runProcess(neurofabric, ["run", "--system", topology("ideal-crossbar.toml"), "--network", "brunel:N=200",
                                                        "--duration", "5ms", "--no-progress", "--out", dir.path("r")])
    #expect(status == 0, "\(output)")
    let edit = "import h5py, sys\nfor n in sys.argv[2:]:\n    h5py.File(n, 'r+')['provenance'].attrs['ranks'] = \(ranks)"
    (status, output) = try runProcess(python, ["-c", edit, "", dir.path("r/trace.h5"), dir.path("r/rank-00000.h5")])
    #expect(status == 0, "\(output)")
    (status, output) = try runProcess(neurofabric, ["inspect", dir.path("r/trace.h5")], timeout: 60)
    #expect(status == 1 && output.contains("\(dir.path("r/trace.h5")): /provenance ranks is \(ranks), a run writes a whole number in 1…"), "\(output)")
    try FileManager.default.removeItem(atPath: dir.path("r/trace.h5"))
    (status, output) = try runProcess(neurofabric, ["recover", dir.path("r")], timeout: 60)
    #expect(status == 1 && output.contains("rank-00000.h5: /provenance ranks is \(ranks)"), "\(output)")
  }
}
