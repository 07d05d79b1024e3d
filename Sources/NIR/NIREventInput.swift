import Model
import Traces

/// Spike input in the layout of NIR's `EventData` (nir ≥ 1.0.7, `nir/data_ir`): datasets `idx`
/// (the input element of each event) and `time` (in the graph's time unit), 2-D (samples, events)
/// or 1-D for one sample; an `idx` below 0 pads a shorter sample.
public enum NIREventInput {
  /// Per input element, the spike times (ms) of sample `sample`: an event at time t lies in step
  /// ⌊t/dt⌋ of the graph, which a spike source emits at the end of that step.
  public static func read(path: String, group: String = "/", sample: Int, elements: Int,
                          msPerUnit: Double, modelDt: Double) throws(NetworkFileErrors) -> [[Double]] {
    func failure(_ key: String, _ message: String) -> NetworkFileErrors {
      NetworkFileErrors([NetworkFileError(file: path, line: 0, key: key, message: message)])
    }
    let idx: HDF5Array, time: HDF5Array
    do {
      let root = try HDF5File.open(path).root()
      guard group == "/" || root.isGroup(group) else { throw failure(group, "no such group") }
      let events = group == "/" ? root : try root.openGroup(group)
      for name in ["idx", "time"] where !events.contains(name) {
        throw failure((events.name == "/" ? "" : events.name) + "/" + name, "missing dataset: EventData holds idx and time")
      }
      idx = try events.readArray("idx")
      time = try events.readArray("time")
    } catch let error as NetworkFileErrors {
      throw error
    } catch {
      throw failure("", "\(error)".replacingPrefix(path + ": "))
    }
    guard case let .numbers(shape, indices) = idx, case let .numbers(timeShape, times) = time,
          shape == timeShape, shape.count == 1 || shape.count == 2 else {
      throw failure(group, "idx and time must be numbers of the same shape, (events) or (samples, events); got \(idx.summary) and \(time.summary)")
    }
    let prefix = group == "/" ? "" : group
    let samples = shape.count == 2 ? shape[0] : 1, perSample = shape.last!
    guard sample >= 0 && sample < samples else { throw failure(group, "no sample \(sample): the file holds \(samples)") }
    var trains = [[Double]](repeating: [], count: elements)
    let stepLength = modelDt / msPerUnit
    for e in (sample * perSample)..<((sample + 1) * perSample) where indices[e] >= 0 {
      guard let i = Int(exactly: indices[e]), i < elements else {
        throw failure(prefix + "/idx", "event \(e - sample * perSample) of sample \(sample): index \(indices[e].compact) is not an input element (0..<\(elements))")
      }
      guard times[e] >= 0 && times[e].isFinite else {
        throw failure(prefix + "/time", "event \(e - sample * perSample) of sample \(sample): time \(times[e]) is not finite and ≥ 0")
      }
      let step = (times[e] / stepLength * (1 + 1e-12)).rounded(.down)
      trains[i].append((step + 1) * modelDt)
    }
    return trains.map { $0.sorted() }
  }
}
