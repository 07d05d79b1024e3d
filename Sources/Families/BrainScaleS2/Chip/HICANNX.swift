/// Resource counts and bit widths of one HICANN-X chip (docs/hardware.md §2.1, §2.4, §2.7, §2.8).
public enum HICANNX {
  /// Atomic neuron circuits: 2 hemispheres × 256 columns (halco neuron.h).
  public static let circuits = 512
  public static let hemispheres = 2
  public static let columns = 256
  /// Synapse rows per synram (one synram per hemisphere; halco synapse.h).
  public static let rows = 256
  /// PADI buses per hemisphere (8 in all; halco padi.h).
  public static let busesPerHemisphere = 4
  /// Synapse drivers per PADI bus, each driving 2 rows (halco synapse_driver.cpp).
  public static let driversPerBus = 32
  public static let rowsPerDriver = 2
  /// 6-bit synapse address labels (haldls synapse.h).
  public static let labelsPerDriver = 64
  /// 5-bit PADI row-select addresses (halco event.h).
  public static let rowSelects = 32
  /// 6-bit weights (haldls synapse.h Weight 63).
  public static let maxWeight = 63
  /// Neuron event outputs, each serving 32 columns of both hemispheres (halco neuron.cpp).
  public static let eventOutputs = 8
  public static let columnsPerEventOutput = 32
  /// Crossbar: inputs 0..7 neuron event outputs, 8..11 L2 inputs, 12..19 background sources; outputs
  /// 0..7 PADI buses (top 0..3, bottom 4..7), 8..11 L2 outputs (halco routing_crossbar.cpp).
  public static let crossbarInputs = 20
  public static let crossbarOutputs = 12
  public static let l2Channels = 4
  /// Configurable crossbar nodes (halco routing_crossbar.h).
  public static let crossbarNodes = 76
  /// FPGA routing tables: 2^16 output entries (on-chip label → inter-chip label), 2^15 input entries (halco routing_table_entry.h).
  public static let fpgaOutputEntries = 1 << 16
  public static let fpgaInputEntries = 1 << 15
  /// Refractory counter: 8 bit, clock 250 MHz / 2^(s+1), s = 0..15 (haldls neuron.h).
  public static let refractoryCounterMax = 255
  public static let neuronBackendClockMHz = 250.0

  /// The neuron event output of column `column`.
  @inline(__always)
  public static func eventOutput(column: Int) -> Int { column / columnsPerEventOutput }

  /// The PADI bus (0..3 within a hemisphere) a neuron event output reaches through the crossbar (§2.7:
  /// output k and k + 4 both feed bus k of either hemisphere).
  @inline(__always)
  public static func bus(eventOutput: Int) -> Int { eventOutput % busesPerHemisphere }
}
