import Model

/// What the BrainScaleS circuits' synapses cannot realise: their synaptic inputs decay
/// exponentially (docs/hardware.md §1.3 for the HICANN, §2.2 for HICANN-X: one time constant per
/// synaptic input), so alpha-shaped PSCs and conductances are refused
/// by population, before mapping.
public enum AnalogSynapses {
  public static func problems(_ network: Network, family: String) -> [String] {
    network.populations.compactMap { population in
      switch population.cellType {
      case .ifCurrAlpha, .ifCondAlpha:
        return "population '\(population.label)': \(population.cellType.name): \(family)'s synaptic inputs decay exponentially; alpha-shaped ones have no circuit (use IF_curr_exp or IF_cond_exp)"
      default:
        return nil
      }
    }
  }
}
