import TestSupport

/// A network file of `sources` spike arrays firing together every ms for `bursts` ms, all-to-all
/// onto `targets` LIF neurons whose spikes are recorded; with `relay`, the targets drive as many
/// neurons one-to-one. What a SpiNNaker PE's input queue, ring buffers and CPU budget are tested with.
func burstNetwork(_ dir: TemporaryDirectory, sources: Int, targets: Int, bursts: Int, weight: Double, relay: Bool = false) throws -> String {
  let path = dir.path("burst-\(sources)-\(targets)-\(relay).toml")
  try ("""
    [network]
    name = "burst"
    [[population]]
    label = "burst"
    size = \(sources)
    cell = "SpikeSourceArray"
    spike_times = [\((1...bursts).map { "\($0).0" }.joined(separator: ", "))]
    [[population]]
    label = "sink"
    size = \(targets)
    cell = "IF_curr_exp"
    [[projection]]
    label = "burst->sink"
    pre = "burst"
    post = "sink"
    receptor = "excitatory"
    connector = { type = "all_to_all" }
    weight = \(weight)
    delay = 1.0
    [[record]]
    population = "sink"
    variables = ["spikes"]
    """ + (relay ? """

    [[population]]
    label = "relay"
    size = \(targets)
    cell = "IF_curr_exp"
    [[projection]]
    label = "sink->relay"
    pre = "sink"
    post = "relay"
    receptor = "excitatory"
    connector = { type = "one_to_one" }
    weight = 0.1
    delay = 1.0
    """ : "")).write(toFile: path, atomically: true, encoding: .utf8)
  return path
}
