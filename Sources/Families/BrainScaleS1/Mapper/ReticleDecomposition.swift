import Hardware

extension DomainDecomposition {
  /// BrainScaleS-1 ownership: whole reticles (the 8 HICANNs an FPGA serves) in contiguous blocks of
  /// reticles per rank, so a reticle's FPGA traffic stays on one rank.
  public static func reticles(of system: BrainScaleS1System, ranks: Int) -> DomainDecomposition {
    let reticles = blocks(system.wafers * Wafer.reticles, ranks: ranks)
    return DomainDecomposition(
      rankOfChip: (0..<system.hicanns).map { reticles.rankOfChip[$0 / Wafer.hicanns * Wafer.reticles + Wafer.reticleOf[$0 % Wafer.hicanns]] },
      ranks: ranks)
  }
}
