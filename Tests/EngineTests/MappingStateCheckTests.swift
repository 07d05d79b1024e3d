import Engine
import Foundation
import Hardware
import Mapping
import Model
import TestSupport
import Testing

/// A saved mapping state, edited one field at a time, is refused by name when it is loaded (and a
/// state made for another network is refused even under this network's identity).
@Suite struct MappingStateCheckTests {
  /// The state `map` saves for `network` on `topology`, as a property list.
  func state(_ network: String, on topology: String, ranks: Int = 1) throws -> (state: Any, system: SystemDescription) {
    let system = try FamilyRegistry.standard.readSystem(path: TestSupport.topology(topology))
    let mapping = try FamilyRegistry.standard.map(try StandardNetworks.build(network), onto: system, options: MapOptions(ranks: ranks))
    return (try PropertyListSerialization.propertyList(from: Data(try mapping.encodedState()), format: nil), system)
  }

  /// `root` with the value at `path` (dictionary keys and array indices) replaced by `edit` of it.
  func edited(_ root: Any, _ path: ArraySlice<Any>, _ edit: (Any) -> Any) -> Any {
    guard let first = path.first else { return edit(root) }
    if let key = first as? String, var dictionary = root as? [String: Any] {
      dictionary[key] = edited(dictionary[key]!, path.dropFirst(), edit)
      return dictionary
    }
    var array = root as! [Any]
    let index = first as! Int
    array[index] = edited(array[index], path.dropFirst(), edit)
    return array
  }

  func bytes(_ plist: Any) throws -> [UInt8] {
    Array(try PropertyListSerialization.data(fromPropertyList: plist, format: .binary, options: 0))
  }

  /// What loading `plist` for `network` on `system` throws ("" when it loads).
  func loading(_ plist: Any, _ network: String, _ system: SystemDescription, ranks: Int = 1) throws -> String {
    let net = try StandardNetworks.build(network), options = MapOptions(ranks: ranks)
    do {
      if let s = system as? SpiNNakerSystem {
        _ = try SpiNNakerFamily().loadMapping(try bytes(plist), network: net, onto: s, options: options)
      } else {
        _ = try BrainScaleS2Family().loadMapping(try bytes(plist), network: net, onto: system as! BrainScaleS2System, options: options)
      }
      return ""
    } catch let error as MappingStateError {
      return error.description
    }
  }

  func int(_ value: Any) -> Int { (value as! NSNumber).intValue }

  @Test func anEditedSpiNNakerStateIsRefusedByName() throws {
    let network = "brunel:N=1000"
    let (plist, system) = try state(network, on: "spinnaker2-board.toml")
    #expect(try loading(plist, network, system) == "")
    let machine = (system as! SpiNNakerSystem).machineGraph
    let mapping = (plist as! [String: Any])["mapping"] as! [String: Any]
    let pe = ((mapping["placement"] as! [String: Any])["pe"] as! [Any]).map(int)
    let base = ((mapping["keys"] as! [String: Any])["base"] as! [Any]).map(int)
    let chip0 = int(((mapping["placement"] as! [String: Any])["chip"] as! [Any])[0])
    // A loop: chip0 sends slice 0's key to a neighbour, which sends it back.
    let link = (0..<machine.linksPerChip).first { machine.neighbour(of: chip0, link: $0) >= 0 }!
    let neighbour = machine.neighbour(of: chip0, link: link)
    let mask = Int(UInt32.max << UInt32(int((mapping["keys"] as! [String: Any])["atomBits"]!)))
    func entry(_ l: Int) -> [String: Any] { ["key": base[0], "mask": mask, "route": [1 << l, 0, 0, 0]] }
    let cases: [(path: [Any], edit: (Any) -> Any, says: String)] = [
      (["mapping", "placement", "pe", 1], { _ in 200 }, "slice 1 of population 'exc' is on PE 200 of chip (0, 0), which has 152 PEs"),
      (["mapping", "placement", "chip", 0], { _ in 99 }, "is on chip 99, the system has 48 chips"),
      (["mapping", "graph", "slices", 0, "count"], { _ in 100_000 }, "holds neurons 0..<100000, the population has 800"),
      (["mapping", "rankOfChip", 0], { _ in 3 }, "chip (0, 0) is owned by rank 3, the run has ranks 0..<1"),
      (["mapping", "tables", chip0, "entries"], { _ in [Any]() }, "has no entry for the key 0x0 of slice 0"),
      (["mapping", "placement", "pe", 1], { _ in pe[0] }, "are both on PE \(pe[0]) of chip (0, 0)"),
      (["mapping", "keys", "base", 1], { _ in base[0] }, "slice 1 of population 'exc' has key 0x0"),
      (["mapping", "graph", "targets", 0], { _ in 1_000_000 }, "targets slice 1000000"),
      (["mapping", "tables", chip0, "entries"], { [entry(link)] + ($0 as! [Any]) }, "reach chip \(machine.chipNames[chip0]) twice: the tables loop"),
    ]
    for c in cases {
      var loop = edited(plist, c.path[...], c.edit)
      if c.says.contains("loop") {
        loop = edited(loop, ["mapping", "tables", neighbour, "entries"], { [entry(machine.opposite(link))] + ($0 as! [Any]) })
      }
      let message = try loading(loop, network, system)
      #expect(message.contains(c.says), "\(c.path): \(message)")
    }
    // Another network's state, loaded under this one's identity.
    let (other, _) = try state("brunel:N=1500", on: "spinnaker2-board.toml")
    #expect(try loading(other, network, system).contains("population 0 is 'exc' of 1200 neurons, the network's is 'exc' of 800"))
    // A state for 2 ranks loaded for 1 (its identity would say so too).
    let (two, _) = try state(network, on: "spinnaker2-board.toml", ranks: 2)
    let message = try loading(two, network, system)
    #expect(message.contains("is owned by rank 1, the run has ranks 0..<1") || message.contains("the metrics are for 2 rank(s), the run has 1"), "\(message)")
  }

  @Test func anEditedBrainScaleS2StateIsRefusedByName() throws {
    let network = "brunel:N=600,indegree=30,J=2"
    let (plist, system) = try state(network, on: "bss2-4chips.toml")
    #expect(try loading(plist, network, system) == "")
    let cases: [(path: [Any], edit: (Any) -> Any, says: String)] = [
      (["neurons", 0, "chip"], { _ in 9 }, "neuron 0 of population 'exc' is on chip 9, the system has 4"),
      (["neurons", 1, "column"], { _ in 0 }, "shares circuit 0 of chip 0"),
      (["neurons", 0, "index"], { _ in 5000 }, "neuron 0 is neuron 5000 of population 'exc', which has 480"),
      (["chips", 0, "targetNeuron", 0], { _ in 4000 }, "synapse 0 of chip 0 is onto its neuron 4000"),
      (["chips", 0, "entryBus", 0], { _ in 9 }, "entry 0 of chip 0 uses bus 9"),
      (["remoteChips", 0], { _ in 7 }, "an FPGA route goes to chip 7, the system has 4"),
      (["chips", 0, "targetStart"], { _ in [0] }, "chip 0's routing has"),
    ]
    for c in cases {
      let message = try loading(edited(plist, c.path[...], c.edit), network, system)
      #expect(message.contains(c.says), "\(c.path): \(message)")
    }
    let (other, _) = try state("brunel:N=750,indegree=30,J=2", on: "bss2-4chips.toml")
    #expect(try loading(other, network, system).contains("the populations start at cells [0, 600, 750, 1350], the network's at [0, 480, 600, 1080]"))
  }
}
