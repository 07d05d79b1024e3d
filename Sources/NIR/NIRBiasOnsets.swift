import Model

extension NIRNetworkBuilder {
  /// Starts each neuron population's bias at its depth: the fewest steps in which a spike of an
  /// Input reaches it (one per hop, plus Delay nodes'); unreachable populations start at 0.
  mutating func delayBiases(_ populations: inout [Population], _ projections: [Projection]) {
    var depth = Dictionary(uniqueKeysWithValues: populations.filter(\.cellType.isSource).map { ($0.label, 0) })
    let edges = projections.map { projection -> (String, String, Int) in
      // delays are bounded above (Network.maximumDelay), so the step count fits
      (projection.pre, projection.post, max(1, Int((projection.delayBounds.shortest / options.modelDt).rounded())))
    }
    var changed = true
    while changed {
      changed = false
      for (pre, post, steps) in edges {
        guard let d = depth[pre], d + steps < depth[post] ?? .max else { continue }
        depth[post] = d + steps
        changed = true
      }
    }
    var onsets: [String] = []
    for p in populations.indices {
      guard case var .nir(neuron) = populations[p].cellType, let d = depth[populations[p].label], d > 0 else { continue }
      neuron.biasOnset = d
      populations[p].cellType = .nir(neuron)
      if neuron.bias != [0] { onsets.append("\(populations[p].label) from step \(d)") }
    }
    if !onsets.isEmpty {
      notes.append("biases      from the step the first input arrives: \(onsets.joined(separator: ", ")) (--nir-bias-onset start: from step 0)")
    }
  }
}
