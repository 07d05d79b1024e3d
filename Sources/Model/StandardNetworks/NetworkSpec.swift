/// A built-in network named on the command line, e.g. `brunel:N=10000,indegree=1000,state=B`.
public struct NetworkSpec: Sendable, Equatable {
  public var name: String
  public var parameters: [String: String]

  /// Parses `name` or `name:key=value,key=value`.
  public init(parsing text: String) throws(NetworkSpecError) {
    let parts = text.split(separator: ":", maxSplits: 1)
    name = String(parts.first ?? "")
    parameters = [:]
    guard parts.count == 2 else { return }
    for item in parts[1].split(separator: ",") {
      let pair = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
      guard pair.count == 2, !pair[0].isEmpty else {
        throw NetworkSpecError(network: name, parameter: String(item), message: "expected key=value")
      }
      if let first = parameters[pair[0]] {
        throw NetworkSpecError(network: name, parameter: pair[0], message: "given twice ('\(first)' and '\(pair[1])')")
      }
      parameters[pair[0]] = pair[1]
    }
  }

  /// Reads the typed parameters of a built-in network, rejecting unknown names.
  struct Reader {
    let spec: NetworkSpec
    let known: [String]

    init(_ spec: NetworkSpec, known: [String]) throws(NetworkSpecError) {
      self.spec = spec
      self.known = known
      for key in spec.parameters.keys.sorted() where !known.contains(key) {
        throw NetworkSpecError(network: spec.name, parameter: key,
                               message: "unknown parameter (expected one of: \(known.joined(separator: ", ")))")
      }
    }

    func double(_ key: String, default value: Double, where valid: (Double) -> Bool = { _ in true },
                _ rule: String = "a number") throws(NetworkSpecError) -> Double {
      guard let text = spec.parameters[key] else { return value }
      guard let v = Double(text), v.isFinite, valid(v) else {
        throw NetworkSpecError(network: spec.name, parameter: key, message: "must be \(rule), got '\(text)'")
      }
      return v
    }

    /// An integer parameter in `minimum...maximum`; sizes are bounded before anything is built
    /// (10^9 by default: a network description of that many cells still fits in memory).
    func integer(_ key: String, default value: Int, minimum: Int, maximum: Int = 1_000_000_000) throws(NetworkSpecError) -> Int {
      guard let text = spec.parameters[key] else { return value }
      guard let v = Int(text.replacingUnderscores()), v >= minimum, v <= maximum else {
        throw NetworkSpecError(network: spec.name, parameter: key, message: "must be an integer in \(minimum)...\(maximum), got '\(text)'")
      }
      return v
    }

    func choice(_ key: String, default value: String, from options: [String]) throws(NetworkSpecError) -> String {
      guard let text = spec.parameters[key] else { return value }
      guard options.contains(text) else {
        throw NetworkSpecError(network: spec.name, parameter: key, message: "must be one of \(options.joined(separator: ", ")), got '\(text)'")
      }
      return text
    }
  }
}

/// A bad built-in network name or parameter.
public struct NetworkSpecError: Error, CustomStringConvertible, Equatable {
  public var network: String
  public var parameter: String
  public var message: String
  public var description: String {
    parameter.isEmpty ? "--network \(network): \(message)" : "--network \(network): \(parameter): \(message)"
  }
}

/// The networks built into NeuroFabric, selectable by name with parameters.
public enum StandardNetworks {
  public static let names = ["brunel", "microcircuit", "synfire", "single", "chain"]

  /// One line per network: name, parameters with defaults, and what it is.
  public static let help = """
    brunel        Brunel (2000) balanced random network. N=12500 (NE = 4 NI), indegree=0.1·N (total, 80 % excitatory), \
    g=5, eta=2, J=0.1 (mV PSP), delay=1.5 (ms), state=A|B|C|D (Brunel's Fig. 8, overrides g and eta)
    microcircuit  Potjans & Diesmann (2014) cortical microcircuit, 77,169 neurons at full scale. N_scaling=1, K_scaling=1, \
    background=poisson|dc, dt=0.1 (ms, lowest delay)
    synfire       Synfire chain with feed-forward inhibition (Kremkow et al. 2010). groups=10, exc=100, inh=25, k=60, loop=0|1, inh_psp=1.5 (mV)
    single        One IF_curr_exp neuron driven by spike arrays and a DC offset (NEST reference fixture lif_psc_exp)
    chain         A chain of n=10 IF_curr_exp neurons, each firing the next; the first is kicked at 10 ms
    """

  /// Builds `spec` (e.g. "brunel:N=1000") into a valid network.
  public static func build(_ text: String) throws(NetworkSpecError) -> Network {
    let spec = try NetworkSpec(parsing: text)
    let network: Network
    switch spec.name {
    case "brunel": network = try brunel(spec)
    case "microcircuit": network = try microcircuit(spec)
    case "synfire": network = try synfire(spec)
    case "single": network = try singleNeuron(spec)
    case "chain": network = try chain(spec)
    default:
      throw NetworkSpecError(network: spec.name, parameter: "", message: "no built-in network of that name (built in: \(names.joined(separator: ", ")))")
    }
    if let problem = network.validate().first {
      throw NetworkSpecError(network: spec.name, parameter: problem.keyPath, message: problem.message)
    }
    return network
  }

  /// Peak amplitude (nA per mV) of the current that gives a 1 mV PSP peak in a LIF neuron with
  /// exponential synaptic current: the PSP peaks where d/dt of the difference of exponentials is 0.
  static func currentPerPSP(cm: Double, tauM: Double, tauSyn: Double) -> Double {
    let peakTime = tauM * tauSyn / (tauM - tauSyn) * _log(tauM / tauSyn)
    let psp = tauSyn / cm / (tauM - tauSyn) * (_exp(-peakTime / tauM) - _exp(-peakTime / tauSyn)) * tauM
    return 1 / psp  // psp is in mV per nA (nA/nF = mV/ms)
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }

  func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
