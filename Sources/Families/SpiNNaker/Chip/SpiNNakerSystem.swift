import Fabric

/// A SpiNNaker machine: chips on a triangular torus, each with working processing elements, a
/// multicast router with a key/mask table and six links (docs/hardware.md §3). SpiNNaker2 by default;
/// `spinnaker1` gives the SpiNNaker1 defaults (18 cores, 1,023 entries, 200 MHz).
public struct SpiNNakerSystem: SystemDescription, Equatable {
  public enum Generation: Int, Sendable { case spinnaker1 = 1, spinnaker2 = 2 }

  public var name: String
  /// The effects it runs without (`HardwareEffect`, `SpiNNakerFamily.effects`).
  public var without: Set<String> = [] { didSet { effects = SpiNNakerEffects(without: without) } }
  /// Which of the family's effects are on, decided once from `without`.
  public private(set) var effects = SpiNNakerEffects()
  public var generation: Generation
  public var shape: SpiNNakerShape
  /// Application processing elements per chip (SpiNNaker2: 152 of 153 cores, one manages;
  /// SpiNNaker1: 17 of 18, one is the monitor; docs/hardware.md §3.1).
  public var pesPerChip: Int
  /// Multicast routing-table entries per chip (16,384; SpiNNaker1 1,023 usable; docs/hardware.md §3.1).
  public var routerEntries: Int
  /// PE clock (MHz): 150 or 300 on SpiNNaker2, 200 on SpiNNaker1 (docs/hardware.md §3.1).
  public var clockMHz: Double
  /// Timer tick (ms): neurons update once per tick (sPyNNaker default 1 ms; 0.1 ms for the
  /// real-time microcircuit; docs/hardware.md §3.3).
  public var timestep: Double
  /// Local memory of a PE (SpiNNaker2: 128 KB SRAM; SpiNNaker1: 64 KB DTCM; docs/hardware.md §3.1).
  public var localMemoryBytes: Int
  /// Chip memory for synaptic rows (SpiNNaker2: 1 GiB as SpiNNMachine models it; SpiNNaker1:
  /// 123,469,792 usable bytes of SDRAM; docs/hardware.md §3.1).
  public var chipMemoryBytes: Int
  /// Most neurons per PE (sPyNNaker default 256; docs/hardware.md §3.2).
  public var maxAtomsPerPE: Int
  public var costs: SpiNNakerCosts
  /// Packets a PE's input queue holds before the router's deliveries to it are dropped
  /// (sPyNNaker's incoming spike buffer, 256 in spynnaker.cfg [R]; SpiNNaker2 unconfirmed).
  public var inputQueuePackets: Int
  /// Longest synaptic delay a PE's ring buffers hold, in ticks. sPyNNaker holds 16 on the core and
  /// longer ones in delay-extension cores (docs/hardware.md §3.2); here one deeper ring (a parameter).
  public var maxDelayTicks: Int
  /// Poisson sources connected one-to-one run on their targets' PEs, so their spikes never become
  /// packets (`ExpectedTraffic.localSources`); false sends every one over the fabric.
  public var localPoissonInput: Bool
  /// The rates and headroom the ring-buffer shifts are sized for (sPyNNaker's defaults).
  public var ringBuffer = RingBufferPolicy()
  /// Ticks added to every synaptic delay. sPyNNaker applies a d-tick synapse in the target's update
  /// d ticks after the update in which the source crossed threshold, one tick sooner than NEST
  /// (docs/hardware.md §3.3); 1 gives NEST's latency, as a script that adds a tick to its delays would.
  public var delayOffsetTicks = 0
  /// What a PE computes in: sPyNNaker's s16.15 by default on both generations, or py-spinnaker2's
  /// single precision (docs/hardware.md §3.9).
  public var arithmetic = SpiNNakerArithmetic.s1615
  public var router: SpiNNakerRouterParameters
  public var energy: SpiNNakerEnergy
  /// Chip-to-chip links: latency per hop (SpiNNaker1 ~0.1–0.5 µs; SpiNNaker2 unconfirmed),
  /// bandwidth (SpiNNaker1 ~250 Mbit/s) and buffer; docs/hardware.md §3.5.
  public var link: LinkParameters
  /// 8-bit control byte + 32-bit key (docs/hardware.md §3.4).
  public var packetBits: Int64
  public var deadChips: Set<ChipCoordinate>
  public var deadPEs: [ChipCoordinate: Set<Int>]
  /// Dead links as (chip, link direction); a dead link is dead both ways.
  public var deadLinks: Set<ChipLink>

  public init(generation: Generation = .spinnaker2) {
    name = generation == .spinnaker2 ? "spinnaker2" : "spinnaker1"
    self.generation = generation
    shape = .board
    switch generation {
    case .spinnaker2:
      pesPerChip = 152
      routerEntries = 16_384
      clockMHz = 150
      localMemoryBytes = 128 * 1024
      chipMemoryBytes = 1 << 30
    case .spinnaker1:
      pesPerChip = 17
      routerEntries = 1023
      clockMHz = 200
      localMemoryBytes = 64 * 1024
      chipMemoryBytes = 123_469_792
    }
    timestep = 1
    maxAtomsPerPE = 256
    costs = SpiNNakerCosts()
    inputQueuePackets = 256
    maxDelayTicks = 64
    localPoissonInput = true
    router = SpiNNakerRouterParameters()
    energy = SpiNNakerEnergy()
    link = LinkParameters(latency: HardwareClock.hardwareTime(bioMilliseconds: 0.0002))
    link.picosecondsPerBit = 4000  // 250 Mbit/s
    link.bufferPackets = 8
    packetBits = 40
    deadChips = []
    deadPEs = [:]
    deadLinks = []
  }

  /// A delay in whole ticks, at least one (sPyNNaker rounds to the nearest tick), plus
  /// `delayOffsetTicks`: what a PE's ring buffers hold.
  @inline(__always)
  public func delayTicks(_ delay: Double) -> Int { max(1, Int((delay / timestep).rounded())) + latencyOffsetTicks }

  /// The ticks `delayTicks` adds: `delayOffsetTicks`, or NEST's 1 without `latency`.
  public var latencyOffsetTicks: Int { effects.latency ? delayOffsetTicks : 1 }

  /// The family's name in topology files and reports.
  public var family: String { generation == .spinnaker2 ? "spinnaker2" : "spinnaker1" }
}

/// The effects of `SpiNNakerFamily.effects` a system runs with (true) or without (false),
/// decided once from its `without` so that no run looks a name up per event.
public struct SpiNNakerEffects: Sendable, Equatable {
  public var latency = true
  public var arithmetic = true
  public var saturation = true
  public var overruns = true
  public var drops = true
  public var quantisation = true

  public init() {}

  public init(without: Set<String>) {
    latency = !without.contains("latency")
    arithmetic = !without.contains("arithmetic")
    saturation = !without.contains("saturation")
    overruns = !without.contains("overruns")
    drops = !without.contains("drops")
    quantisation = !without.contains("quantisation")
  }
}

/// The number formats of a PE's neuron program. `s1615`: sPyNNaker's `accum` state, u0.32 decays,
/// 16-bit ring-buffer weights under per-type shifts. `float32`: py-spinnaker2's single-precision
/// state and decays with `weightBits`-bit weights (4 in its 16-bit synapse word; docs/hardware.md
/// §3.9, derived from NESTML's SpiNNaker2 target, as py-spinnaker2's LIF sources are not public).
public enum SpiNNakerArithmetic: Sendable, Equatable, CustomStringConvertible {
  case s1615
  case float32(weightBits: Int)

  public var description: String {
    switch self {
    case .s1615: "s16.15"
    case let .float32(bits): "float32, \(bits)-bit weights"
    }
  }
}

/// Per-tick CPU costs and memory use of a PE running a LIF slice. Only the neuron cost is
/// published (sPyNNaker's `AbstractPopulationVertex`: 22 cycles per neuron + 10, docs/hardware.md
/// §3.2); the others are estimates to calibrate and can be set in the topology's `[costs]`.
public struct SpiNNakerCosts: Sendable, Equatable {
  public var fixedCycles = 10.0
  public var neuronCycles = 22.0
  /// Packet interrupt and master-population-table lookup (estimate).
  public var packetCycles = 60.0
  /// DMA of one synaptic row, set-up and completion (estimate).
  public var rowCycles = 40.0
  /// Adding one synaptic word into the ring buffer (estimate).
  public var synapseCycles = 12.0
  /// Drawing one neuron's on-PE Poisson input per tick (estimate).
  public var localSourceCycles = 20.0
  /// Share of the tick the mapper plans to fill in a tick whose packets come in a Poisson burst
  /// (expected + 3 sd); the rest absorbs a network's synchrony. An estimate: 0.3 keeps the
  /// microcircuit's (N_scaling 0.1, 0.1 ms) overruns under 1 % of PE ticks at 9 of seeds 1–10 (docs/families/spinnaker.md).
  public var usableFraction = 0.3
  /// Code, stacks and buffers of the neuron program in local memory (estimate).
  public var fixedBytes = 32 * 1024
  /// Neuron state, parameters and 16-slot ring buffers of two receptors (estimate).
  public var bytesPerNeuron = 160
  /// One 32-bit synaptic word: 16-bit weight, delay, type, 8-bit index (docs/hardware.md §3.2).
  public var bytesPerSynapse = 4

  public init() {}
}

/// How a router handles a blocked output (docs/hardware.md §3.5: SpiNNaker1's register semantics,
/// the documented default for SpiNNaker2): wait `wait1` router cycles, then take the emergency
/// route around the triangle, wait `wait2` more, then drop into the dump registers, from which
/// the monitor core may reinject.
public struct SpiNNakerRouterParameters: Sendable, Equatable {
  /// Router clock (SpiNNaker1 ~133–200 MHz [R]; SpiNNaker2 unconfirmed). A packet takes one cycle.
  public var clockMHz = 133.0
  /// 256 cycles after sark's rtr_init (wait1 = 0x40).
  public var wait1Cycles = 256.0
  /// 0 after rtr_init (wait2 = 0x00): an emergency route must be free at once.
  public var wait2Cycles = 0.0
  public var emergencyRouting = true
  /// The monitor reinjects dropped packets (sPyNNaker: enabled by default; queue of 4096 packets).
  public var reinjection = true
  public var reinjectionQueue = 4096
  /// From a drop to the reinjection of the packet (estimate). A reinjected packet that is dropped
  /// again is lost.
  public var reinjectionDelay: HardwareTime = 1_000_000

  public init() {}

  var cycle: HardwareTime { HardwareTime((1e6 / clockMHz).rounded()) }
  var wait1: HardwareTime { HardwareTime((wait1Cycles * 1e6 / clockMHz).rounded()) }
  var wait2: HardwareTime { HardwareTime((wait2Cycles * 1e6 / clockMHz).rounded()) }
}

/// Energy figures for the run's estimate (docs/hardware.md §3.8; SpiNNaker1's, the documented default
/// for SpiNNaker2, whose active energy is unconfirmed).
public struct SpiNNakerEnergy: Sendable, Equatable {
  /// Per packet per router traversal: 1 nJ for 40 bits (Painkras et al. 2013).
  public var routerNanojoules = 1.0
  /// Every live chip, all the time.
  public var idleChipWatts = 0.35
  /// An active core's overhead; CPU work costs it per cycle at the PE clock.
  public var activeCoreWatts = 0.034

  public init() {}
}

/// Chip coordinates on the torus.
public struct ChipCoordinate: Hashable, Sendable, Comparable {
  public var x: Int
  public var y: Int
  public init(_ x: Int, _ y: Int) {
    self.x = x
    self.y = y
  }
  public static func < (a: ChipCoordinate, b: ChipCoordinate) -> Bool { (a.x, a.y) < (b.x, b.y) }
}

/// One of a chip's six links: 0 E, 1 NE, 2 N, 3 W, 4 SW, 5 S (docs/hardware.md §3.6).
public struct ChipLink: Hashable, Sendable {
  public var chip: ChipCoordinate
  public var link: Int
  public init(_ chip: ChipCoordinate, _ link: Int) {
    self.chip = chip
    self.link = link
  }
}
