/// The figures a mapping is judged by (docs/peers.md §7.2), written to `/mapping/metrics` and printed
/// by `neurofabric map`. Rates are expected values from the populations' rates.
public struct MappingMetrics: Sendable, Codable {
  public var slices = 0
  public var workingPEs = 0
  public var usedChips = 0
  public var liveChips = 0
  /// Expected synapses, and those whose source and target slices are on different chips.
  public var synapses = 0.0
  public var edgeCut = 0.0
  /// Spikes per second of all slices: each one multicast packet.
  public var packetsPerSecond = 0.0
  /// Distinct remote chips a spike is delivered to, weighted by rate (connectivity λ − 1 for multicast).
  public var remoteChipsPerSpike = 0.0
  /// Link traversals per second, and per spike.
  public var hopsPerSecond = 0.0
  public var hopsPerSpike: Double { packetsPerSecond > 0 ? hopsPerSecond / packetsPerSecond : 0 }
  /// The busiest link (chip * linksPerChip + link) and its expected packets per second.
  public var busiestLink = -1
  public var busiestLinkLoad = 0.0
  /// Routing table entries per chip, before and after compression.
  public var entriesBefore: [Int] = []
  public var entriesAfter: [Int] = []
  /// Expected packets per second over links whose chips belong to different ranks.
  public var rankCrossingPerSecond = 0.0
  public var ranks = 1
  /// Wall seconds of each stage.
  public var stageSeconds: [StageTime] = []
}

/// Wall time one stage of the mapping took.
public struct StageTime: Sendable, Codable {
  public var stage: String
  public var seconds: Double
}
