import Model
import Traces

/// Reads the spikes of one node population from a SONATA spike file: `/spikes/<population>/node_ids`
/// and `timestamps` (ms), or the older layout `/spikes/gids` and `/spikes/timestamps` that PyNN's
/// SonataIO and BMTK still read, which names no population.
enum SONATASpikeFile {
  static func read(path: String, population: String) throws(SONATAFileErrors) -> [(id: Int, time: Double)] {
    var errors: [SONATAFileError] = []
    func fail(_ key: String, _ message: String) { errors.append(SONATAFileError(file: path, line: 0, key: key, message: message)) }
    let spikes: HDF5Group
    do {
      let root = try HDF5File.open(path).root()
      guard root.isGroup("spikes") else { throw SONATAConfig.error(path, "/spikes", "missing group: a SONATA spike file holds /spikes") }
      spikes = try root.openGroup("spikes")
    } catch let error as SONATAFileErrors {
      throw error
    } catch {
      throw SONATAConfig.error(path, "", "\(error)".replacingOccurrences(of: path + ": ", with: ""))
    }
    let group: HDF5Group, idName: String
    if spikes.isGroup(population), let named = try? spikes.openGroup(population) {
      (group, idName) = (named, "node_ids")
    } else if spikes.contains("gids") {
      (group, idName) = (spikes, "gids")
    } else {
      throw SONATAConfig.error(path, "/spikes/\(population)", "no spikes of node population '\(population)' (the file has \(spikes.memberNames.joined(separator: ", ")))")
    }
    guard let ids = SONATAData.integers(group, idName, file: path, fail: fail),
          let times = SONATAData.numbers(group, "timestamps", file: path, count: ids.count, fail: fail) else {
      throw SONATAFileErrors(errors)
    }
    if let bad = times.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
      throw SONATAConfig.error(path, group.name + "/timestamps", "spike \(bad) is at \(times[bad]) ms; spike times are finite and ≥ 0")
    }
    if group.hasAttribute("units") || (try? group.openDataset("timestamps", as: Double.self).hasAttribute("units")) == true,
       let units = try? group.openDataset("timestamps", as: Double.self).stringAttribute("units").first, units != "ms" {
      throw SONATAConfig.error(path, group.name + "/timestamps@units", "'\(units)': NeuroFabric reads spike times in ms")
    }
    return zip(ids, times).map { ($0, $1) }
  }
}
