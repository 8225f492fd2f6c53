import Foundation
import NANP
import Scoring
import TableIO

/// Everything one `classify` run needs to know.
public struct ClassifyOptions: Sendable {
  /// The input path, or `-` for standard input.
  public var inputPath: String
  /// The output directory; `nil` means `<input name>.dialready/` beside the input.
  public var outputDirectory: String?
  /// The phone column's name (or 1-based number); `nil` to detect it.
  public var phoneColumn: String?
  /// The input format; `nil` to detect it from the content.
  public var format: InputFormat?
  /// The worksheet of a spreadsheet, by name or 1-based number; `nil` for the first.
  public var sheet: String?
  /// Bounds on what the reader accepts.
  public var limits = ReaderLimits()
  /// The delimiter; `nil` to sniff it.
  public var dialect: CSVDialect?
  /// The encoding; `nil` to sniff it.
  public var encoding: InputEncoding?
  /// Allowed regions.
  public var regions: RegionSet = .default
  /// Worker threads.
  public var threads: Int = ClassifyOptions.availableCores
  /// Fail when fewer valid numbers remain.
  public var minValid: Int?
  /// Fail when the input has more data rows.
  public var maxRows: Int?
  /// Fail when the input is larger.
  public var maxBytes: Int?
  /// Replace an existing output directory, when it is empty or one DialReady wrote.
  public var force = false
  /// Read a CSV whose last quoted field never closes as today's spreadsheets do (the rest of the file
  /// becomes that field) instead of refusing it; the run then says so in its notices.
  public var lenientQuotes = false
  /// The `--model` file the model was loaded from, if any (a path the run reads).
  public var modelPath: String?
  /// Prefix input cells that start a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR) with `'`.
  public var excelSafe = false
  /// Do-not-call indexes or raw lists (`--dnc`, repeatable).
  public var dncPaths: [String] = []
  /// Refuse indexes built from lists older than this many days (safe harbor: 31).
  public var dncMaxAgeDays = 31
  /// Accept stale do-not-call indexes anyway.
  public var allowStaleDNC = false
  /// An index of numbers delivered on earlier runs, to leave out (`--exclude`).
  public var excludePath: String?
  /// An index to add this run's delivered numbers to (`--record`).
  public var recordPath: String?
  /// Calling-window columns and filtering; `nil` leaves them out.
  public var callingWindow: CallingWindowOptions?
  /// The answer model (`--model`); the built-in prior model by default.
  public var model: LogisticAnswerModel = .default
  /// Line-type lookups bought elsewhere (`--lookup`).
  public var lookupPath: String?
  /// Past call outcomes (`--history`).
  public var historyPath: String?
  /// Count how many rows share each number first (a second pass over the input; regular files only).
  public var countRepeats = false
  /// The planned call time the model judges rows at (`--at`); now by default.
  public var plannedCallTime: Date?
  /// Approximate bytes per chunk.
  public var chunkSize = 1 << 20

  /// Creates options for `inputPath` with defaults for everything else.
  public init(inputPath: String) { self.inputPath = inputPath }

  /// The output directory this run writes.
  public var resolvedOutputDirectory: String {
    if let outputDirectory { return outputDirectory }
    if inputPath == "-" { return "stdin.dialready" }
    let slash = inputPath.lastIndex(of: "/")
    let nameStart = slash.map { inputPath.index(after: $0) } ?? inputPath.startIndex
    if let dot = inputPath[nameStart...].lastIndex(of: "."), dot > nameStart {
      return String(inputPath[..<dot]) + ".dialready"
    }
    return inputPath + ".dialready"
  }

  /// Every path the run reads, with what it is: an output may be none of them, contain none and lie
  /// inside none.
  public var readPaths: [PathSafety.ReadPath] {
    var paths = [PathSafety.ReadPath(inputPath, role: "the input")]
    paths += dncPaths.map { PathSafety.ReadPath($0, role: "a --dnc index") }
    if let excludePath { paths.append(PathSafety.ReadPath(excludePath, role: "the --exclude store")) }
    if let lookupPath { paths.append(PathSafety.ReadPath(lookupPath, role: "the --lookup file")) }
    if let historyPath { paths.append(PathSafety.ReadPath(historyPath, role: "the --history file")) }
    if let modelPath { paths.append(PathSafety.ReadPath(modelPath, role: "the --model file")) }
    return paths
  }

  /// Refuses, before anything is touched, outputs that would replace or remove a path the run reads:
  /// the output directory (and its lock file) and the `--record` store (which may be the `--exclude`
  /// store it reads and merges into, but nothing else the run reads, and not inside the outputs).
  public func checkOutputPaths() throws(DialReadyError) {
    let output = resolvedOutputDirectory
    let reads = readPaths
    try PathSafety.check(output: output, role: "output directory", reads: reads)
    try PathSafety.check(output: OutputLock.path(for: output), role: "output lock file", reads: reads)
    if let recordPath {
      let record = PathSafety.realPath(recordPath)
      let others = reads.filter { $0.path != excludePath || PathSafety.realPath($0.path) != record }
        + [PathSafety.ReadPath(output, role: "the output directory")]
      try PathSafety.check(output: recordPath, role: "--record store", reads: others)
    }
  }

  /// The reader options these options imply.
  public var readerOptions: ReaderOptions {
    var reader = ReaderOptions(format: format, dialect: dialect, encoding: encoding, sheet: sheet, chunkSize: chunkSize)
    reader.limits = limits
    reader.lenientQuotes = lenientQuotes
    return reader
  }

  /// The current time, or the instant `DIALREADY_NOW` (ISO 8601) pins it to, for reproducible runs.
  public static func now() -> Date {
    if let pinned = ProcessInfo.processInfo.environment["DIALREADY_NOW"] {
      var text = pinned
      if let seconds = text.withUTF8({ Timestamp.parse(UnsafeRawBufferPointer($0)) }) {
        return Date(timeIntervalSince1970: TimeInterval(seconds))
      }
    }
    return Date()
  }

  /// Online processor count.
  public static var availableCores: Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
