#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// One writer per output: a run, a mapping or a recovery claims its output before it writes, by
/// creating a lock file with `O_EXCL` (atomic on local and network file systems alike, where HDF5's
/// own file locking is often off). The lock holds the claim's id, host, pid and command; a lock left
/// by a process of this host that no longer lives is stale and taken over. A directory's lock is
/// `DIR/.neurofabric.lock` (the PyNN backend claims its workdir the same way); a file's lock lies
/// beside it, `.NAME.neurofabric.lock`. A signal that ends the process at once releases the claims
/// it holds first (`releaseAll`).
public struct OutputClaim: Sendable {
  /// The lock file.
  public let lockPath: String
  /// What the claim guards, for messages: the directory or the file.
  public let output: String
  let id: String
  /// A directory made for this claim, removed again at release if nothing was written into it.
  var madeDirectory: String?

  /// The lock file of a directory.
  public static func lockPath(directory: String) -> String { directory + "/.neurofabric.lock" }

  /// The lock file of a file: a hidden sibling.
  public static func lockPath(file: String) -> String {
    let url = URL(fileURLWithPath: file)
    return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".neurofabric.lock"
  }

  /// Claims the directory `directory` (which must exist).
  public static func claim(directory: String, command: String) throws(OutputClaimError) -> OutputClaim {
    try claim(lockPath: lockPath(directory: directory), output: directory, command: command)
  }

  /// Claims the file `file` (which may not exist yet; its directory must).
  public static func claim(file: String, command: String) throws(OutputClaimError) -> OutputClaim {
    try claim(lockPath: lockPath(file: file), output: file, command: command)
  }

  static func claim(lockPath: String, output: String, command: String) throws(OutputClaimError) -> OutputClaim {
    var random = SystemRandomNumberGenerator()
    let id = String(random.next() as UInt64, radix: 16)
    let host = Self.hostName
    let text = "run=\(id)\nhost=\(host)\npid=\(getpid())\ncommand=\(command.replacingOccurrences(of: "\n", with: " "))\n"
    for attempt in 0..<2 {
      let fd = open(lockPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
      if fd >= 0 {
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        let failed = written != text.utf8.count ? errno : 0
        close(fd)
        if failed != 0 || written < 0 {
          unlink(lockPath)
          throw .unwritable(output: output, lock: lockPath, reason: String(cString: strerror(failed == 0 ? EIO : failed)))
        }
        let claim = OutputClaim(lockPath: lockPath, output: output, id: id)
        held.withLock { $0[lockPath] = claim }
        return claim
      }
      guard errno == EEXIST else {
        throw .unwritable(output: output, lock: lockPath, reason: String(cString: strerror(errno)))
      }
      let holder = Holder(lockPath: lockPath)
      // A lock of this host whose process is gone is stale: set it aside and claim again. Another
      // process taking over the same stale lock may have replaced it first: a lock set aside that
      // is not the stale one goes back.
      guard attempt == 0, let holder, holder.host == host, let pid = holder.pid, kill(pid, 0) != 0, errno == ESRCH else {
        throw .held(output: output, lock: lockPath, holder: holder)
      }
      let aside = lockPath + ".stale-" + id
      guard rename(lockPath, aside) == 0 else { continue }
      if Holder(lockPath: aside)?.id != holder.id {
        link(aside, lockPath)
        unlink(aside)
        throw .held(output: output, lock: lockPath, holder: Holder(lockPath: lockPath))
      }
      unlink(aside)
    }
    throw .held(output: output, lock: lockPath, holder: Holder(lockPath: lockPath))
  }

  /// Removes the lock if it is still this claim's.
  public func release() {
    Self.held.withLock { $0[lockPath] = nil }
    if Holder(lockPath: lockPath)?.id == id { unlink(lockPath) }
    if let madeDirectory { rmdir(madeDirectory) }
  }

  /// The claims this process holds, by lock file (with the directory each made, once known).
  static let held = Mutex<[String: OutputClaim]>([:])

  /// Notes the directory a held claim made, so `releaseAll` removes it too.
  mutating func made(directory: String) {
    madeDirectory = directory
    let claim = self
    Self.held.withLock { $0[lockPath] = claim }
  }

  /// Releases every claim this process holds: before a signal ends it at once.
  static func releaseAll() {
    for claim in held.withLock({ Array($0.values) }) { claim.release() }
  }

  static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Who holds a lock, as its file says.
  public struct Holder: Sendable, CustomStringConvertible {
    public var id = "", host = "", command = ""
    public var pid: Int32?

    init?(lockPath: String) {
      guard let data = FileManager.default.contents(atPath: lockPath), let text = String(data: data, encoding: .utf8) else { return nil }
      for line in text.split(separator: "\n") {
        guard let equals = line.firstIndex(of: "=") else { continue }
        let value = String(line[line.index(after: equals)...])
        switch line[..<equals] {
        case "run": id = value
        case "host": host = value
        case "pid": pid = Int32(value)
        case "command": command = value
        default: break
        }
      }
    }

    public var description: String {
      "process \(pid.map(String.init) ?? "?") on \(host.isEmpty ? "an unknown host" : host)" + (command.isEmpty ? "" : " (\(command))")
    }
  }
}

/// Why an output cannot be claimed.
public enum OutputClaimError: Error, CustomStringConvertible {
  case held(output: String, lock: String, holder: OutputClaim.Holder?)
  case unwritable(output: String, lock: String, reason: String)

  public var description: String {
    switch self {
    case let .held(output, lock, holder):
      return "'\(output)' is being written by \(holder?.description ?? "another process (its lock file is unreadable)"); "
        + "wait for it or choose another output (if that process is gone, remove \(lock))"
    case let .unwritable(output, lock, reason):
      return "cannot claim '\(output)': cannot create \(lock): \(reason)"
    }
  }
}
