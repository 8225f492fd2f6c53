#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a do-not-call index could not be opened or written; `description` is the one line users see.
public enum DNCIndexError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file cannot be opened or mapped (missing, unreadable, a directory, …).
  case cannotOpen(path: String, errno: Int32)
  /// The file does not start with the index magic; it may be a raw list instead.
  case notIndexFile(path: String)
  /// The file is an index of a format version this build does not read.
  case unsupportedVersion(path: String, version: UInt32)
  /// The file is shorter than its header says: a copy or download stopped early.
  case truncated(path: String, expectedBytes: UInt64, actualBytes: UInt64)
  /// The header, sources or area-code table fail their checksum or point outside the file.
  case damaged(path: String, detail: String)
  /// Writing the index (or its temporary file) failed; nothing was replaced.
  case cannotWrite(path: String, errno: Int32)

  /// The one-line message: the file, what went wrong and what to do.
  public var description: String {
    switch self {
    case .cannotOpen(let path, let code):
      return "\(path): cannot open DNC index (\(String(cString: strerror(code)))); check the path and its permissions"
    case .notIndexFile(let path):
      return "\(path): not a DNC index file (no DRDNCIX1 magic); build one from the list first"
    case .unsupportedVersion(let path, let version):
      return "\(path): DNC index format version \(version) is not supported by this build; rebuild the index"
    case .truncated(let path, let expected, let actual):
      return "\(path): DNC index is truncated (\(actual) of \(expected) bytes); copy or rebuild it"
    case .damaged(let path, let detail):
      return "\(path): DNC index is damaged (\(detail)); rebuild it from the lists"
    case .cannotWrite(let path, let code):
      return "\(path): cannot write DNC index (\(String(cString: strerror(code)))); check free space and permissions"
    }
  }
}
