#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of this process.
public func peakMemoryBytes() -> Int64 {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Int64(usage.ru_maxrss) * 1024
}

/// Resident memory of this process now (second field of `/proc/self/statm`, in pages), or the
/// peak where that cannot be read.
public func residentMemoryBytes() -> Int64 {
  let fd = open("/proc/self/statm", O_RDONLY)
  guard fd >= 0 else { return peakMemoryBytes() }
  defer { close(fd) }
  var buffer = [UInt8](repeating: 0, count: 128)
  let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
  guard count > 0 else { return peakMemoryBytes() }
  let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
  guard fields.count > 1, let pages = Int64(String(decoding: fields[1], as: UTF8.self)) else { return peakMemoryBytes() }
  return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
}
