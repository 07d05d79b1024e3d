/// All the problems found in one file of one kind (`NetworkFileErrors`, `NIRFileErrors`, …), one a line.
public struct FileErrors<Problem: LocatedFileError>: LocatedFileErrors, Equatable {
  public var errors: [Problem]
  public init(_ errors: [Problem]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The problems of one file, whatever kind of file it is: what a command that reads several kinds catches.
public protocol LocatedFileErrors<Problem>: Error, CustomStringConvertible {
  associatedtype Problem: LocatedFileError
  var errors: [Problem] { get }
}
