import TableIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a run failed: one line for the user, naming the file, row or byte and what to do, and the
/// sysexits code the command line exits with.
public enum DialReadyError: Error, CustomStringConvertible {
  /// Reading the input failed (missing, unreadable, malformed encoding, …).
  case input(TableIOError)
  /// No column holds phone numbers.
  case phoneColumnNotFound(path: String, columns: [String])
  /// `--phone-column` names no column.
  case phoneColumnUnknown(path: String, name: String, columns: [String])
  /// Fewer valid numbers than `--min-valid` (the reference API's `min_contacts_required`).
  case minContactsRequired(path: String, minimum: Int, got: Int)
  /// More data rows than `--max-rows`.
  case tooManyRows(path: String, limit: Int)
  /// The input is larger than `--max-bytes`.
  case tooManyBytes(path: String, limit: Int, size: Int)
  /// The output directory exists and `--force` was not given.
  case outputExists(path: String)
  /// An output would be, contain or lie inside a path the run reads (exit 64).
  case outputOverlapsInput(output: String, outputRole: String, input: String, inputRole: String)
  /// `--force` was given, but the existing path is not an output directory DialReady wrote (exit 73).
  case outputNotReplaceable(path: String)
  /// Another running process holds the output's lock.
  case locked(path: String, pid: Int32)
  /// A file that is not a DialReady lock sits where the output's lock goes (exit 73).
  case notALock(path: String)
  /// The output directory or a file in it cannot be created.
  case cannotCreateOutput(path: String, errno: Int32)
  /// Writing an output failed midway (disk full, I/O error).
  case writeFailed(path: String, errno: Int32)
  /// A do-not-call index cannot be read or written.
  case dnc(DNCIndexError)
  /// The do-not-call lists behind an index are older than `--dnc-max-age`.
  case staleDNC(path: String, ageDays: Int, maxDays: Int)
  /// A side input (lookup or history file) lacks a column it needs.
  case lookupColumnMissing(path: String, column: String, columns: [String])
  /// A model file cannot be used.
  case model(String)
  /// An invariant broke; a bug.
  case internalError(String)

  /// The sysexits code: 65 data error, 66 input missing or unreadable, 73 cannot create output,
  /// 74 I/O error while running, 70 internal error.
  public var exitCode: Int32 {
    switch self {
    case .input(let error):
      switch error {
      case .inputMissing, .inputUnreadable: return 66
      case .readFailed, .inputShrank: return 74
      case .unknownEncoding: return 64
      case .malformedEncoding, .noHeader, .recordTooLarge, .spreadsheet, .limitExceeded, .unclosedQuote: return 65
      }
    case .phoneColumnNotFound, .phoneColumnUnknown, .minContactsRequired, .tooManyRows, .tooManyBytes: return 65
    case .outputOverlapsInput: return 64
    case .outputNotReplaceable: return 73
    case .cannotCreateOutput(_, let code) where Self.isIOError(code): return 74
    case .outputExists, .cannotCreateOutput, .locked, .notALock: return 73
    case .writeFailed: return 74
    case .dnc(let error):
      if case .cannotWrite = error { return 73 }
      return 65
    case .staleDNC: return 65
    case .lookupColumnMissing, .model: return 65
    case .internalError: return 70
    }
  }

  /// Whether `errno` is a device or space failure (exit 74) rather than a refusal to create (73). A
  /// read-only file system is a refusal to create: exit 73.
  public static func isIOError(_ code: Int32) -> Bool {
    code == EIO || code == ENOSPC || code == EDQUOT
  }

  /// A stable snake_case code for scripts (`--json` output).
  public var code: String {
    switch self {
    case .input(let error):
      switch error {
      case .inputMissing: return "input_missing"
      case .inputUnreadable: return "input_unreadable"
      case .readFailed: return "read_failed"
      case .inputShrank: return "input_changed"
      case .unknownEncoding: return "unknown_encoding"
      case .malformedEncoding: return "malformed_encoding"
      case .noHeader: return "no_header"
      case .recordTooLarge: return "record_too_large"
      case .limitExceeded: return "limit_exceeded"
      case .unclosedQuote: return "unclosed_quote"
      case .spreadsheet(_, let error):
        switch error {
        case .corrupt: return "corrupt_file"
        case .encrypted: return "encrypted_file"
        case .unsupported: return "unsupported_file"
        case .sheetNotFound: return "sheet_not_found"
        case .noWorksheet: return "no_worksheet"
        case .tooManyRows: return "too_many_rows"
        case .invalidBody: return "invalid_body"
        case .limitExceeded: return "limit_exceeded"
        }
      }
    case .phoneColumnNotFound: return "phone_column_not_found"
    case .phoneColumnUnknown: return "phone_column_unknown"
    case .minContactsRequired: return "min_contacts_required"
    case .tooManyRows: return "too_many_rows"
    case .tooManyBytes: return "file_too_large"
    case .outputExists: return "output_exists"
    case .outputOverlapsInput: return "output_overlaps_input"
    case .outputNotReplaceable: return "output_not_replaceable"
    case .locked: return "output_locked"
    case .notALock: return "lock_path_taken"
    case .cannotCreateOutput: return "cannot_create_output"
    case .writeFailed: return "write_failed"
    case .dnc: return "dnc_index_error"
    case .staleDNC: return "stale_dnc_index"
    case .lookupColumnMissing: return "column_not_found"
    case .model: return "invalid_model"
    case .internalError: return "internal_error"
    }
  }

  public var description: String {
    switch self {
    case .input(let error):
      return error.description
    case .phoneColumnNotFound(let path, let columns):
      return "\(path): no phone column found among \(Self.list(columns)); name it with --phone-column"
    case .phoneColumnUnknown(let path, let name, let columns):
      return "\(path): no column named '\(MessageText.sanitized(name))'; the columns are \(Self.list(columns))"
    case .minContactsRequired(let path, let minimum, let got):
      return "\(path): min_contacts_required: at least \(minimum) valid phone numbers are required, got \(got)"
    case .tooManyRows(let path, let limit):
      return "\(path): more than \(limit) data rows (--max-rows); split the file or raise the limit"
    case .tooManyBytes(let path, let limit, let size):
      return "\(path): \(size) bytes exceeds --max-bytes \(limit); split the file or raise the limit"
    case .outputExists(let path):
      return "\(path): output directory already exists; pass --force to replace it or choose --out"
    case .outputOverlapsInput(let output, let outputRole, let input, let inputRole):
      return "\(output): the \(outputRole) would replace or remove \(input) (\(inputRole)), which this run reads; choose an output path outside it"
    case .outputNotReplaceable(let path):
      return "\(path): exists and is not an output directory DialReady wrote (no manifest.json of a run, or other files in it); --force replaces only DialReady outputs; choose another --out or empty the folder yourself"
    case .locked(let path, let pid):
      return "\(path): another run (PID \(pid)) is writing these outputs; wait for it, or remove the lock if that process is not dialready"
    case .cannotCreateOutput(let path, let code) where Self.isIOError(code):
      return "\(path): cannot create output (\(String(cString: strerror(code)))); check the disk and free space, then run again (no output was kept)"
    case .notALock(let path):
      return "\(path): exists and is not a DialReady lock file, so it is left alone; move it, or choose another --out"
    case .cannotCreateOutput(let path, let code) where code == EROFS:
      return "\(path): cannot create output (the file system is read-only); choose --out on a writable disk"
    case .cannotCreateOutput(let path, let code):
      return "\(path): cannot create output (\(String(cString: strerror(code)))); check the directory and its permissions"
    case .writeFailed(let path, let code):
      return "\(path): write failed (\(String(cString: strerror(code)))); free disk space and run again (no output was kept)"
    case .dnc(let error):
      return error.description
    case .staleDNC(let path, let age, let maxDays):
      return "\(path): its do-not-call lists are \(age) days old, more than --dnc-max-age \(maxDays) (safe harbor wants 31 at most); download fresh lists and rebuild it, or pass --allow-stale-dnc"
    case .lookupColumnMissing(let path, let column, let columns):
      return "\(path): no \(column) column among \(Self.list(columns)); name it \(column)"
    case .model(let message):
      return message
    case .internalError(let message):
      return "internal error: \(message); please report it with the input that caused it"
    }
  }

  private static func list(_ columns: [String]) -> String {
    guard !columns.isEmpty else { return "(none)" }
    let shown = columns.prefix(40).map { "'\(MessageText.sanitized($0))'" }.joined(separator: ", ")
    return columns.count > 40 ? shown + " and \(columns.count - 40) more" : shown
  }
}
