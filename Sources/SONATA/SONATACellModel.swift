import Model

/// What a SONATA node type's `model_template` (`schema:model`) and its parameters make of a cell:
/// `pynn:` templates take PyNN's names, units and defaults (what PyNN's `export_to_sonata`
/// writes); `nest:` templates take NEST's (what BMTK's PointNet writes), converted to PyNN units
/// (pF → nF, pA → nA, nS → µS, τ_m = C_m/g_L for conductance models). A parameter the model does
/// not have is an error, never ignored.
struct SONATACellModel {
  /// The cell type, the initial membrane potential if the type gives one, and the factor that
  /// turns the edges' weights onto it into PyNN units (1 for `pynn:`, 1/1000 for `nest:`).
  var cellType: CellType
  var initialV: Double?
  var weightScale: Double

  static let pynnModels = ["IF_curr_exp", "IF_cond_exp", "IF_curr_alpha", "IF_cond_alpha", "EIF_cond_exp_isfa_ista",
                           "SpikeSourcePoisson", "SpikeSourceArray"]
  static let nestModels = ["iaf_psc_exp", "iaf_cond_exp", "iaf_psc_alpha", "iaf_cond_alpha", "aeif_cond_exp", "poisson_generator"]
  /// Models with no counterpart in NeuroFabric yet, refused by name.
  static let unsupported = ["EIF_cond_alpha_isfa_ista", "aeif_cond_alpha", "iaf_psc_delta", "Izhikevich", "izhikevich",
                            "HH_cond_exp", "hh_psc_alpha"]

  /// `parameters` are the type's and node's values by name. A spike source array starts silent; the
  /// import gives it the times of the inputs that drive it.
  static func make(template: String, parameters: [String: Double]) throws(SONATAModelError) -> SONATACellModel {
    let parts = template.split(separator: ":", maxSplits: 1).map(String.init)
    let (schema, model) = parts.count == 2 ? (parts[0], parts[1]) : ("pynn", template)
    if unsupported.contains(model) {
      throw .unsupported("model_template '\(template)' has no counterpart in NeuroFabric yet (supported: \(supportedList))")
    }
    switch (schema, model) {
    case ("pynn", "IF_curr_exp"), ("pynn", "IF_cond_exp"), ("pynn", "IF_curr_alpha"), ("pynn", "IF_cond_alpha"):
      var p = LIFParameters()
      let rest = fill(&p, LIFParameters.fields, from: parameters)
      try noOthers(rest, allowed: ["v"], model: template)
      let cell: CellType = switch model {
      case "IF_curr_exp": .ifCurrExp(p)
      case "IF_cond_exp": .ifCondExp(p)
      case "IF_curr_alpha": .ifCurrAlpha(p)
      default: .ifCondAlpha(p)
      }
      return SONATACellModel(cellType: cell, initialV: parameters["v"], weightScale: 1)
    case ("pynn", "EIF_cond_exp_isfa_ista"):
      var p = AdExParameters()
      let rest = fill(&p, AdExParameters.fields, from: parameters)
      try noOthers(rest, allowed: Set(["v"] + (parameters["w"] == 0 ? ["w"] : [])), model: template)
      return SONATACellModel(cellType: .adexCondExp(p), initialV: parameters["v"], weightScale: 1)
    case ("pynn", "SpikeSourcePoisson"):
      try noOthers(Set(parameters.keys), allowed: ["rate", "start", "duration"], model: template)
      let start = parameters["start"] ?? 0
      // PyNN's default duration is 1e10 ms: no end, for any run NeuroFabric makes.
      let stop = parameters["duration"].map { $0 >= Network.maximumTime ? .infinity : start + $0 } ?? .infinity
      return SONATACellModel(cellType: .poissonSource(rate: parameters["rate"] ?? 1, start: start, stop: stop), initialV: nil, weightScale: 1)
    case ("pynn", "SpikeSourceArray"):
      try noOthers(Set(parameters.keys), allowed: [], model: template)
      return SONATACellModel(cellType: .spikeSourceArray(times: [[]]), initialV: nil, weightScale: 1)
    case ("nest", "iaf_psc_exp"), ("nest", "iaf_psc_alpha"):
      return try nestLIF(parameters, template: template, conductance: false, alpha: model == "iaf_psc_alpha")
    case ("nest", "iaf_cond_exp"), ("nest", "iaf_cond_alpha"):
      return try nestLIF(parameters, template: template, conductance: true, alpha: model == "iaf_cond_alpha")
    case ("nest", "aeif_cond_exp"):
      return try nestAdEx(parameters, template: template)
    case ("nest", "poisson_generator"):
      try noOthers(Set(parameters.keys), allowed: ["rate", "start", "stop", "origin"], model: template)
      let origin = parameters["origin"] ?? 0
      let stop = parameters["stop"].map { origin + $0 }
      return SONATACellModel(cellType: .poissonSource(rate: parameters["rate"] ?? 0, start: origin + (parameters["start"] ?? 0),
                                                      stop: stop.map { $0 >= Network.maximumTime ? .infinity : $0 } ?? .infinity),
                             initialV: nil, weightScale: 1)
    default:
      throw .unsupported("unknown model_template '\(template)' (supported: \(supportedList))")
    }
  }

  /// Whether the model of `template` has a parameter `name` (false where the template is unknown).
  static func hasParameter(_ name: String, template: String) -> Bool {
    do {
      _ = try make(template: template, parameters: [name: 0])
      return true
    } catch {
      return false
    }
  }

  static var supportedList: String {
    (pynnModels.map { "pynn:" + $0 } + nestModels.map { "nest:" + $0 }).joined(separator: ", ")
  }

  /// NEST's `iaf_psc_exp` / `iaf_cond_exp` / `iaf_psc_alpha` / `iaf_cond_alpha` with NEST's
  /// defaults (NEST 3.10, `nest.GetDefaults`; the alpha models' equal the exp models').
  private static func nestLIF(_ given: [String: Double], template: String, conductance: Bool,
                              alpha: Bool) throws(SONATAModelError) -> SONATACellModel {
    var allowed: Set<String> = ["C_m", "t_ref", "tau_syn_ex", "tau_syn_in", "E_L", "V_reset", "V_th", "I_e", "V_m"]
    allowed.formUnion(conductance ? ["g_L", "E_ex", "E_in"] : ["tau_m"])
    try noOthers(Set(given.keys), allowed: allowed, model: template)
    func value(_ name: String, _ nestDefault: Double) -> Double { given[name] ?? nestDefault }
    var p = LIFParameters()
    let cm = value("C_m", 250)
    p.cm = cm / 1000
    p.tauM = conductance ? cm / value("g_L", 16.6667) : value("tau_m", 10)
    p.tauRefrac = value("t_ref", 2)
    p.tauSynE = value("tau_syn_ex", conductance ? 0.2 : 2)
    p.tauSynI = value("tau_syn_in", 2)
    p.vRest = value("E_L", -70)
    p.vReset = value("V_reset", conductance ? -60 : -70)
    p.vThresh = value("V_th", -55)
    p.iOffset = value("I_e", 0) / 1000
    p.eRevE = value("E_ex", 0)
    p.eRevI = value("E_in", -85)
    let cell: CellType = switch (conductance, alpha) {
    case (false, false): .ifCurrExp(p)
    case (true, false): .ifCondExp(p)
    case (false, true): .ifCurrAlpha(p)
    case (true, true): .ifCondAlpha(p)
    }
    return SONATACellModel(cellType: cell, initialV: value("V_m", -70), weightScale: 1e-3)
  }

  /// NEST's `aeif_cond_exp` with NEST's defaults (NEST 3.10, `nest.GetDefaults`).
  private static func nestAdEx(_ given: [String: Double], template: String) throws(SONATAModelError) -> SONATACellModel {
    let allowed: Set<String> = ["C_m", "g_L", "t_ref", "tau_syn_ex", "tau_syn_in", "E_L", "V_reset", "V_th", "V_peak",
                                "Delta_T", "a", "b", "tau_w", "E_ex", "E_in", "I_e", "V_m", "w"]
    try noOthers(Set(given.keys), allowed: allowed, model: template)
    func value(_ name: String, _ nestDefault: Double) -> Double { given[name] ?? nestDefault }
    var p = AdExParameters()
    let cm = value("C_m", 281)
    p.cm = cm / 1000
    p.tauM = cm / value("g_L", 30)
    p.tauRefrac = value("t_ref", 0)
    p.tauSynE = value("tau_syn_ex", 0.2)
    p.tauSynI = value("tau_syn_in", 2)
    p.vRest = value("E_L", -70.6)
    p.vReset = value("V_reset", -60)
    p.vThresh = value("V_th", -50.4)
    p.vSpike = value("V_peak", 0)
    p.deltaT = value("Delta_T", 2)
    p.a = value("a", 4)
    p.b = value("b", 80.5) / 1000
    p.tauW = value("tau_w", 144)
    p.iOffset = value("I_e", 0) / 1000
    p.eRevE = value("E_ex", 0)
    p.eRevI = value("E_in", -85)
    return SONATACellModel(cellType: .adexCondExp(p), initialV: value("V_m", p.vRest), weightScale: 1e-3)
  }

  /// Sets the fields `parameters` names; returns the names that are not fields.
  private static func fill<P>(_ p: inout P, _ fields: [(name: String, path: WritableKeyPath<P, Double>)],
                              from parameters: [String: Double]) -> Set<String> {
    var rest = Set(parameters.keys)
    for (name, path) in fields {
      guard let value = parameters[name] else { continue }
      p[keyPath: path] = value
      rest.remove(name)
    }
    return rest
  }

  private static func noOthers(_ names: Set<String>, allowed: Set<String>, model: String) throws(SONATAModelError) {
    if let unknown = names.subtracting(allowed).sorted().first {
      throw .unknownParameter(unknown, "'\(unknown)' is not a parameter of \(model)")
    }
  }
}

/// Why a node type's model or parameters cannot become a NeuroFabric cell.
enum SONATAModelError: Error {
  case unsupported(String)
  case unknownParameter(String, String)

  var message: String {
    switch self {
    case let .unsupported(message), let .unknownParameter(_, message): return message
    }
  }
}
