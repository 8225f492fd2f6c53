#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why reading a table failed, with the file and position a user needs to fix it.
public enum TableIOError: Error, Equatable, CustomStringConvertible {
  /// The input does not exist.
  case inputMissing(path: String)
  /// The input exists but cannot be opened or read.
  case inputUnreadable(path: String, errno: Int32)
  /// A read failed midway.
  case readFailed(path: String, byteOffset: Int, errno: Int32)
  /// The file became shorter while it was read (it was truncated or replaced in place).
  case inputShrank(path: String, byteOffset: Int)
  /// The bytes are not valid in the file's encoding.
  case malformedEncoding(path: String, encoding: String, byteOffset: Int)
  /// The encoding named with `--encoding` is unknown to ICU.
  case unknownEncoding(name: String)
  /// The file is empty or holds no header row.
  case noHeader(path: String)
  /// A spreadsheet or JSON document could not be read.
  case spreadsheet(path: String, SpreadsheetError)
  /// A record is larger than the reader's limit (a runaway quote, usually).
  case recordTooLarge(path: String, row: Int, limit: Int)
  /// The input exceeds one of the reader limits.
  case limitExceeded(path: String, LimitExceeded)
  /// A quoted field opens at `row` (and `byteOffset`, when known) and never closes before the end of
  /// the file.
  case unclosedQuote(path: String, row: Int, byteOffset: Int?)

  public var description: String {
    switch self {
    case .inputMissing(let path):
      return "\(path): no such file; check the path"
    case .inputUnreadable(let path, let code):
      return "\(path): cannot open for reading (\(String(cString: strerror(code)))); check its permissions"
    case .readFailed(let path, let offset, let code):
      return "\(path): read failed at byte \(offset) (\(String(cString: strerror(code)))); copy the file locally and retry"
    case .inputShrank(let path, let offset):
      return "\(path): the file ended at byte \(offset) while it was being read (it was truncated or rewritten); let whatever writes it finish, then run again"
    case .malformedEncoding(let path, let encoding, let offset):
      return "\(path): byte \(offset) is not valid \(encoding); pass --encoding with the file's real encoding"
    case .unknownEncoding(let name):
      return "unknown encoding '\(name)'; use utf-8, utf-16le, utf-16be, windows-1252 or iso-8859-1"
    case .noHeader(let path):
      return "\(path): the file is empty; a header row naming the columns is required"
    case .spreadsheet(let path, let error):
      return "\(path): \(error.description)"
    case .recordTooLarge(let path, let row, let limit):
      return "\(path): row \(row) is longer than \(limit) bytes, usually a quote that is never closed; fix the quoting near that row (or raise --max-record-bytes)"
    case .limitExceeded(let path, let violation):
      return "\(path): \(violation.description)"
    case .unclosedQuote(let path, let row, let byteOffset):
      return "\(path): \(Self.position(row: row, byteOffset: byteOffset)) opens a quoted field that never closes, so the rest of the file would be read as one field; close the quote (or pass --lenient-quotes to read it that way)"
    }
  }

  /// `row N (byte B)`, or `row N` when the byte offset is not known.
  public static func position(row: Int, byteOffset: Int?) -> String {
    byteOffset.map { "row \(row) (byte \($0))" } ?? "row \(row)"
  }
}
