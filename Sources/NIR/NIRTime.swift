import Model

extension NIRNetworkBuilder {
  /// The file's time unit (given or detected from its time constants) and the step.
  mutating func chooseTime() {
    var taus: [Double] = []
    for node in nodes {
      for field in ["tau", "tau_mem", "tau_syn"] {
        if case let .numbers(_, values)? = node.node.fields[field] { taus += values }
      }
    }
    let unit: NIRImportOptions.TimeUnit
    if let given = options.timeUnit {
      unit = given
      notes.append("time unit   \(unit.rawValue) (--nir-time-unit)")
    } else if taus.isEmpty {
      unit = .step
      notes.append("time unit   step (detected: no node has a time constant; integrate-and-fire graphs such as Sinabs' count in steps)")
    } else if taus.max()! > 1 {
      unit = .millisecond
      notes.append("time unit   ms (detected: a time constant of \(taus.max()!.compact) > 1; NIR's documented unit)")
    } else {
      unit = .second
      notes.append("time unit   s (detected: every time constant ≤ 1, as snnTorch, Norse and Rockpool export; --nir-time-unit ms if not)")
    }
    let dt = options.dt ?? unit.defaultDt
    msPerUnit = options.modelDt / dt
    notes.append("step        \(dt.compact) \(unit.rawValue)\(options.dt == nil ? " (default; --nir-dt)" : "") = one model step of \(options.modelDt.compact) ms")
    if let small = taus.min(), small < dt, options.integrator == .forwardEuler {
      notes.append("WARNING     a time constant of \(small.compact) \(unit.rawValue) is shorter than the step: forward Euler overshoots")
    }
    notes.append("neurons     \(options.integrator == .forwardEuler ? "forward Euler (a = 1 − dt/τ)" : "exponential Euler (a = e^(−dt/τ))"), spike when v > v_threshold, reset \(options.reset == .toReset ? "to v_reset" : "by subtracting v_threshold")")
  }
}
