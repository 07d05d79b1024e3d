import Model
import Traces

/// A data set of spike samples for a graph's Input, with labels when the file has them. Two layouts:
/// NIR's `EventData` (nir ≥ 1.0.7): datasets `idx` (input element of each event) and `time`, 2-D
/// (samples, events) or 1-D for one sample, `idx` < 0 padding a shorter sample; and the Spiking
/// Heidelberg Digits' (Cramer et al. 2020; tonic's `SHD`): `spikes/times` and `spikes/units`, one
/// variable-length array per sample. Either may carry `labels` (samples,). Times are in the graph's
/// time unit (SHD's are seconds, as the graphs exporters write).
public struct NIRSampleSet: Sendable {
  public let path: String
  /// The group the events are in ("/" for the root), for messages.
  public let group: String
  /// Per sample: the input element and time of each event.
  public let units: [[Int]]
  public let times: [[Double]]
  public let labels: [Int]?
  public let layout: String

  public var count: Int { units.count }
  /// The latest time (ms) an event may ask for: what a run can last (`--duration`'s limit).
  public static let latestTime = 1e9

  /// A `file[:group]` argument as the file and the group ("/" when none is given).
  public static func location(_ argument: String) -> (path: String, group: String) {
    guard let colon = argument.firstIndex(of: ":") else { return (argument, "/") }
    let group = String(argument[argument.index(after: colon)...])
    return (String(argument[..<colon]), group.hasPrefix("/") ? group : "/" + group)
  }

  /// The step ⌊t/dt⌋ an event at time t of the graph drives.
  static func step(_ t: Double, msPerUnit: Double, modelDt: Double) -> Double {
    (t / (modelDt / msPerUnit) * (1 + 1e-12)).rounded(.down)
  }

  /// The spike time (ms) of an event at time t of the graph: the end of step ⌊t/dt⌋.
  static func spikeTime(_ t: Double, msPerUnit: Double, modelDt: Double) -> Double {
    (step(t, msPerUnit: msPerUnit, modelDt: modelDt) + 1) * modelDt
  }

  public static func read(path: String, group: String = "/") throws(DataSetFileErrors) -> NIRSampleSet {
    func failure(_ key: String, _ message: String) -> DataSetFileErrors {
      DataSetFileErrors([DataSetFileError(file: path, line: 0, key: key, message: message)])
    }
    let prefix = group == "/" ? "" : group
    do {
      let root = try HDF5File.open(path).root()
      guard group == "/" || root.isGroup(group) else { throw failure(group, "no such group") }
      let events = group == "/" ? root : try root.openGroup(group)
      var units: [[Int]] = [], times: [[Double]] = [], layout: String
      if events.contains("spikes/times") || events.contains("spikes/units") {
        layout = "SHD (spikes/times, spikes/units)"
        for name in ["spikes/times", "spikes/units"] where !events.contains(name) {
          throw failure(prefix + "/" + name, "missing dataset: the SHD layout holds spikes/times and spikes/units")
        }
        times = try events.readRaggedNumbers("spikes/times")
        let rawUnits = try events.readRaggedNumbers("spikes/units")
        guard rawUnits.count == times.count, zip(rawUnits, times).allSatisfy({ $0.count == $1.count }) else {
          throw failure(prefix + "/spikes/units", "\(rawUnits.count) samples of units for \(times.count) of times, or a sample whose lengths differ")
        }
        units = rawUnits.map { $0.map { Int(exactly: $0) ?? -2 } }
      } else {
        layout = "EventData (idx, time)"
        for name in ["idx", "time"] where !events.contains(name) {
          throw failure(prefix + "/" + name, "missing dataset: EventData holds idx and time (or the SHD layout spikes/times, spikes/units)")
        }
        let idx = try events.readArray("idx"), time = try events.readArray("time")
        guard case let .numbers(shape, indices) = idx, case let .numbers(timeShape, values) = time,
              shape == timeShape, shape.count == 1 || shape.count == 2 else {
          throw failure(prefix.isEmpty ? "/" : prefix,
                        "idx and time must be numbers of the same shape, (events) or (samples, events); got \(idx.summary) and \(time.summary)")
        }
        let samples = shape.count == 2 ? shape[0] : 1, width = shape.last!
        guard samples <= 10_000_000 else { throw failure(prefix + "/idx", "\(samples) samples; at most 10,000,000 are read") }
        for s in 0..<samples {
          let row = (s * width)..<((s + 1) * width)
          let kept = row.filter { indices[$0] >= 0 || indices[$0].isNaN }  // a negative index pads; NaN is an error below
          units.append(kept.map { Int(exactly: indices[$0]) ?? -2 })
          times.append(kept.map { values[$0] })
        }
      }
      var labels: [Int]?
      if events.contains("labels") {
        let array = try events.readArray("labels")
        guard case let .numbers(shape, values) = array, shape.count == 1, values.count == units.count else {
          throw failure(prefix + "/labels", "expected one integer label ≥ 0 per sample (\(units.count)), got \(array.summary)")
        }
        if let s = values.firstIndex(where: { !($0 >= 0 && $0 < 1e9 && $0 == $0.rounded()) }) {
          throw failure(prefix + "/labels", "sample \(s): label \(values[s]) is not a class: expected an integer from 0 to 999,999,999")
        }
        labels = values.map { Int($0) }
      }
      return NIRSampleSet(path: path, group: group, units: units, times: times, labels: labels, layout: layout)
    } catch let error as DataSetFileErrors {
      throw error
    } catch {
      throw failure("", "\(error)".replacingPrefix(path + ": "))
    }
  }

  /// Per input element, the spike times (ms) of sample `sample`: an event at time t lies in step
  /// ⌊t/dt⌋ of the graph, which a spike source emits at the end of that step.
  public func trains(_ sample: Int, elements: Int, msPerUnit: Double, modelDt: Double) throws(DataSetFileErrors) -> [[Double]] {
    func failure(_ key: String, _ message: String) -> DataSetFileErrors {
      DataSetFileErrors([DataSetFileError(file: path, line: 0, key: key, message: message)])
    }
    let prefix = group == "/" ? "" : group
    let unitKey = layout.hasPrefix("SHD") ? "/spikes/units" : "/idx", timeKey = layout.hasPrefix("SHD") ? "/spikes/times" : "/time"
    guard sample >= 0 && sample < count else { throw failure(prefix.isEmpty ? "/" : prefix, "no sample \(sample): the file holds \(count)") }
    var trains = [[Double]](repeating: [], count: elements)
    for (e, (unit, time)) in zip(units[sample], times[sample]).enumerated() {
      guard unit >= 0 && unit < elements else {
        throw failure(prefix + unitKey, "event \(e) of sample \(sample): index \(unit) is not an input element (0..<\(elements))")
      }
      let spike = Self.spikeTime(time, msPerUnit: msPerUnit, modelDt: modelDt)
      guard time >= 0 && spike <= Self.latestTime else {
        throw failure(prefix + timeKey, "event \(e) of sample \(sample): time \(time) is not in [0, \((Self.latestTime / msPerUnit).compact)] (the longest run)")
      }
      trains[unit].append(spike)
    }
    return trains.map { $0.sorted() }
  }

  /// Spike trains for a mapper to plan with: every element that spikes in some sample gets its mean
  /// count per sample (at least one), at the earliest of its event times. Mappers that route only
  /// what they are shown (BrainScaleS-1's L1 routes) then route every input the data set uses.
  public func typicalTrains(elements: Int, msPerUnit: Double, modelDt: Double) -> [[Double]] {
    var times = [[Double]](repeating: [], count: elements)
    for (sampleUnits, sampleTimes) in zip(units, self.times) {
      // events `trains` refuses are left to it: this only plans
      for (unit, time) in zip(sampleUnits, sampleTimes) where unit >= 0 && unit < elements {
        let spike = Self.spikeTime(time, msPerUnit: msPerUnit, modelDt: modelDt)
        if time >= 0 && spike <= Self.latestTime { times[unit].append(spike) }
      }
    }
    return times.map { all in
      guard !all.isEmpty else { return [] }
      let distinct = Array(Set(all)).sorted()
      let k = max(1, (all.count + count - 1) / max(count, 1))
      return Array(distinct.prefix(k))
    }
  }

  /// The latest event time of any sample, in the file's unit.
  public var lastEventTime: Double { times.compactMap { $0.max() }.max() ?? 0 }
}
