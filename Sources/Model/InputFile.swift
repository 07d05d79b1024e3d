#if canImport(Glibc)
import Glibc
#endif

/// What a path given as input is, before anything opens it: only regular files are read, so a
/// FIFO, a device or a directory is a named error instead of a read that blocks or never ends.
public enum InputFile {
  /// Why `path` cannot be read as an input file, or nil for a regular file (symbolic links followed).
  public static func refusal(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return errno == ENOENT ? "no such file" : String(cString: strerror(errno)) }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "a directory, not a file"
    case S_IFIFO: return "a FIFO (named pipe), not a regular file"
    case S_IFCHR, S_IFBLK: return "a device, not a regular file"
    case S_IFSOCK: return "a socket, not a regular file"
    default: return "not a regular file"
    }
  }
}
