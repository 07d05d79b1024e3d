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
      } else if let s = system as? BrainScaleS1System {
        _ = try BrainScaleS1Family().loadMapping(try bytes(plist), network: net, onto: s, options: options)
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
      (["mapping", "graph", "slices", 0, "count"], { _ in 100_000 }, "holds 100000 neurons from neuron 0, the population has 800"),
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

  @Test func anEditedBrainScaleS1StateIsRefusedByName() throws {
    let network = "synfire:groups=4"   // stimulus (played in by the FPGAs), then exc0 on HICANN 0
    let (plist, system) = try state(network, on: "bss1-wafer.toml")
    #expect(try loading(plist, network, system) == "")
    let root = plist as! [String: Any]
    let neurons = (root["neurons"] as! [[String: Any]])
    let local = (root["neuronsOfHICANN"] as! [[Any]])[0].map(int)
    // A neuron of HICANN 0 that the first entry's source (a stimulus cell) has no projection to.
    let stranger = (local[0]..<local[1]).first { int(neurons[$0]["population"]!) > 2 }! - local[0]
    let cases: [(path: [Any], edit: (Any) -> Any, says: String)] = [
      (["neurons", 0, "hicann"], { _ in 400 }, "neuron 0 of population 'exc0' is on HICANN 400, the system has 384"),
      (["neurons", 0, "hicann"], { _ in 200 }, "neuron 0 of population 'exc0' is on HICANN 200 of wafer 0, a defect"),
      (["neurons", 1, "column"], { _ in 1 }, "takes 2 columns from column 1 of HICANN 0 of wafer 0, not 2 columns of one 32-column neuron block"),
      (["neurons", 0, "index"], { _ in 5000 }, "neuron 0 is neuron 5000 of population 'exc0', which has 100"),
      (["neurons", 1, "index"], { _ in 0 }, "neuron 0 of population 'exc0' is placed twice"),
      (["neuronsOfHICANN", 0], { _ in [local[0], local[1] - 1] }, "the neurons listed on HICANN 0 of wafer 0"),
      (["buses", 0, "repeater"], { _ in 9 }, "bus 0 starts at repeater 9 of HICANN 0"),
      (["buses", 0, "addresses", 0], { _ in 1 }, "source 0 of bus 0 has L1 address 1, not a usable one"),
      (["buses", 0, "addresses", 1], { _ in 2 }, "source 1 of bus 0 has L1 address 2, not a usable one or taken"),
      (["busOfCell", 100], { _ in 1 }, "bus 0 carries neuron 0 of population 'exc0', whose own bus is another"),
      (["inputBus", "0"], { _ in 999 }, "bus 0 carries neuron 0 of population 'stimulus', whose FPGA input on wafer 0 is another"),
      (["inputBus"], { var d = $0 as! [String: Any]; d["99999"] = 0; return d }, "an FPGA input is keyed 99999, the network has 600 cells on 1 wafer(s)"),
      (["buses", 0, "route", "hLines", 0, "line"], { _ in 64 }, "bus 0 runs on HLine 64 of HICANN 0"),
      (["buses", 1, "route", "hLines", 1], { _ in ["hicann": 1, "line": 8] }, "bus 1 runs on HLine 8 of HICANN 1 of wafer 0, which bus 0 holds"),
      (["buses", 0, "route", "arrivals", 0, "firstDriver"], { _ in 110 }, "bus 0 feeds HICANN 0 of wafer 0 through drivers 110..<113"),
      (["buses", 0, "route", "arrivals", 1, "hops"], { _ in 3 }, "from bus 0, which reaches it after 3 segments, not 1"),
      (["buses", 0, "route", "arrivals", 1, "hops"], { _ in 50 }, "bus 0 feeds HICANN 1 of wafer 0 after 50 HICANN segments, the route has"),
      (["buses", 0, "route", "arrivals"], { _ in [Any]() }, "from bus 0, which does not reach it"),
      (["inputs", 0, "entryBus", 0], { _ in 1 }, "entry 0 of HICANN 0 of wafer 0 takes neuron 0 of population 'stimulus' from bus 1, which does not carry it"),
      (["inputs", 0, "targetNeuron", 0], { _ in 4000 }, "synapse 0 of HICANN 0 of wafer 0 is onto its neuron 4000, the HICANN holds \(local[1] - local[0])"),
      (["inputs", 0, "targetNeuron", 0], { _ in stranger }, "synapse 0 of HICANN 0 of wafer 0 runs from 'stimulus' to"),
      (["inputs", 0, "targetWeight", 0], { _ in 1000.0 }, "synapse 0 of HICANN 0 of wafer 0 has weight 1000.0"),
      (["loss", 0, "lost"], { _ in [String: Any]() }, "synapses, the loss records leave"),
      (["loss", 0, "synapses"], { _ in 6001 }, "projection 'stimulus->exc0' records 6001 synapses, the network's 60 onto each of 100 neurons make 6000"),
      (["weightScale", 0], { ($0 as! NSNumber).doubleValue * 10 }, "projection 'stimulus->exc0' realises weights up to"),
      (["system", "denmemsPerNeuron"], { _ in 8 }, "it embeds a system that is not the run's: denmems_per_neuron is 8, the run's 4"),
      (["system", "defectHICANNs"], { _ in [Any]() }, "defect HICANNs is [], the run's [[0, 200]]"),
      (["sampledCells"], { _ in [100] }, "it traces 1 membranes, the network records 0"),
    ]
    for c in cases {
      let message = try loading(edited(plist, c.path[...], c.edit), network, system)
      #expect(message.contains(c.says), "\(c.path): \(message)")
    }
    // The system's name is a label (a topology without one takes its file's name): ignored.
    #expect(try loading(edited(plist, ["system", "name"], { _ in "elsewhere" }), network, system) == "")
    // No owner ranks in the state: ranks own reticles by the run's rank count.
    let (two, _) = try state(network, on: "bss1-wafer.toml", ranks: 2)
    #expect(try loading(two, network, system, ranks: 1) == "")
    // Another network's state under this one's identity: other populations, or the same ones connected otherwise.
    let (other, _) = try state("synfire:groups=5", on: "bss1-wafer.toml")
    let otherMessage = try loading(other, network, system)
    #expect(otherMessage.contains("the population offsets has 11 element(s), the run needs 9"), "\(otherMessage)")
    let brunel = "brunel:N=400,indegree=20"
    let (denser, bss1) = try state("brunel:N=400,indegree=30", on: "bss1-wafer.toml")
    #expect(try loading(denser, brunel, bss1).contains("projection 'exc->exc' records 7680 synapses, the network's 16 onto each of 320 neurons make 5120"))
  }
}
