extension Population {
  /// The initial membrane potential (mV) of neuron `neuron` of this population, population `index`
  /// of its network: drawn from the stream (seed, initial state, population, neuron), so every
  /// family and rank count starts the same neuron at the same value; the neuron's own value where
  /// `initialVoltages` gives them; nil when the population starts at rest.
  public func drawInitialVoltage(neuron: Int, population index: Int, seed: UInt64) -> Double? {
    if let initialVoltages { return initialVoltages[neuron] }
    guard let initialVoltage else { return nil }
    var stream = RandomStream(seed: seed, purpose: .initialState, group: UInt32(index), member: UInt32(neuron))
    return ValueSampler(initialVoltage).draw(&stream)
  }
}
