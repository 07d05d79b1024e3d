import ArgumentParser
import Model
import NIR

/// How a NIR graph (`--network model.nir`) is imported: NIR files store no time step, no time
/// unit and no reset mode, so these options say what the exporter assumed.
struct NIRArguments: ParsableArguments {
  @Option(name: .customLong("nir-dt"), help: ArgumentHelp(
    "NIR graphs: the step the graph was trained for, in its time unit (default 1e-4 s, 0.1 ms or 1 step).", valueName: "step"))
  var dt: Double?

  @Option(name: .customLong("nir-time-unit"), help: ArgumentHelp(
    "NIR graphs: unit of the time constants, s, ms or step (default: detected; every τ ≤ 1 reads as seconds).", valueName: "unit"))
  var timeUnit: NIRImportOptions.TimeUnit?

  @Option(name: .customLong("nir-reset"), help: ArgumentHelp(
    "NIR graphs: after a spike, to-v-reset (NIR's definition) or subtract v_threshold (snnTorch's and py-spinnaker2's default).",
    valueName: "mode"))
  var reset: NIRNeuron.Reset = .toReset

  @Option(name: .customLong("nir-integrator"), help: ArgumentHelp(
    "NIR graphs: euler (a = 1 − dt/τ, NIR's reference and snnTorch's) or exponential (a = e^(−dt/τ)).", valueName: "method"))
  var integrator: NIRNeuron.Integrator = .forwardEuler

  enum BiasOnset: String, ExpressibleByArgument, CaseIterable {
    case firstInput = "first-input", start
  }

  @Option(name: .customLong("nir-bias-onset"), help: ArgumentHelp(
    "NIR graphs: a layer's bias acts from the step its first input can arrive (first-input: the graph runs as trained, "
      + "one step later per layer) or from step 0 (start, as a chip's constant current does).", valueName: "when"))
  var biasOnset: BiasOnset = .firstInput

  @Option(name: .customLong("nir-input"), help: ArgumentHelp(
    "NIR graphs: spikes for the graph's Input, an HDF5 file in NIR's EventData layout (idx, time) as file[:group].",
    valueName: "file"))
  var input: String?

  @Option(name: .customLong("nir-sample"), help: "NIR graphs: which sample of --nir-input to feed (0-based).")
  var sample = 0

  var options: NIRImportOptions {
    NIRImportOptions(dt: dt, timeUnit: timeUnit, reset: reset, integrator: integrator, biasFromFirstInput: biasOnset == .firstInput)
  }

  func validate() throws {
    if let dt, !(dt > 0 && dt.isFinite) { throw ValidationError("--nir-dt must be a positive number, got \(dt)") }
  }
}

extension NIRImportOptions.TimeUnit: ExpressibleByArgument {}
extension NIRNeuron.Reset: ExpressibleByArgument {}
extension NIRNeuron.Integrator: ExpressibleByArgument {}
