import Glibc

/// Writes a line to standard error unbuffered (safe from any thread, and before an abort).
public func writeToStandardError(_ line: String) {
  var text = line
  if !text.hasSuffix("\n") { text += "\n" }
  fflush(nil)
  text.withCString { pointer in _ = write(2, pointer, strlen(pointer)) }
}
