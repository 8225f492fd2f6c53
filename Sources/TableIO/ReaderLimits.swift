/// Bounds on what a reader accepts, so that no input — damaged, hostile or merely huge — can exhaust
/// memory or run forever. Every limit has a command-line option to raise it (see `Kind.option`).
public struct ReaderLimits: Sendable, Equatable {
  /// The longest field (cell) in bytes.
  public var maxFieldBytes = 1 << 20
  /// The most columns (fields) a row may have: Excel's 16,384.
  public var maxColumns = 16_384
  /// The most rows a worksheet may have: Excel's 1,048,576 (XLS files hold at most 65,536 by format).
  public var maxRows = 1_048_576
  /// The longest CSV record in bytes (a quote that is never closed makes the rest of the file one record).
  public var maxRecordBytes = 64 << 20
  /// The most bytes the parts of an XLSX package may inflate to, together.
  public var maxInflatedBytes: Int64 = 4 << 30
  /// The highest ratio of inflated to compressed size of one XLSX part (zip bombs reach thousands).
  public var maxInflateRatio = 1_000
  /// The most bytes the shared-string table of a workbook may hold.
  public var maxSharedStringBytes = 512 << 20
  /// The deepest nesting of XML elements or JSON arrays and objects.
  public var maxNestingDepth = 256

  /// The defaults.
  public init() {}

  /// Which limit was hit.
  public enum Kind: String, Sendable, CaseIterable {
    case fieldBytes, columns, rows, recordBytes, inflatedBytes, inflateRatio, sharedStringBytes, nestingDepth

    /// The command-line option that raises the limit.
    public var option: String {
      switch self {
      case .fieldBytes: "--max-field-bytes"
      case .columns: "--max-columns"
      case .rows: "--max-sheet-rows"
      case .recordBytes: "--max-record-bytes"
      case .inflatedBytes: "--max-inflated-bytes"
      case .inflateRatio: "--max-inflate-ratio"
      case .sharedStringBytes: "--max-shared-string-bytes"
      case .nestingDepth: "--max-nesting-depth"
      }
    }

    /// What is limited, in words.
    var noun: String {
      switch self {
      case .fieldBytes: "a field longer than"
      case .columns: "more columns than"
      case .rows: "more rows than"
      case .recordBytes: "a record longer than"
      case .inflatedBytes: "parts that inflate to more bytes than"
      case .inflateRatio: "a part that inflates more times over than"
      case .sharedStringBytes: "a shared-string table larger than"
      case .nestingDepth: "nesting deeper than"
      }
    }
  }

  /// The value of one limit.
  public func value(_ kind: Kind) -> Int64 {
    switch kind {
    case .fieldBytes: Int64(maxFieldBytes)
    case .columns: Int64(maxColumns)
    case .rows: Int64(maxRows)
    case .recordBytes: Int64(maxRecordBytes)
    case .inflatedBytes: maxInflatedBytes
    case .inflateRatio: Int64(maxInflateRatio)
    case .sharedStringBytes: Int64(maxSharedStringBytes)
    case .nestingDepth: Int64(maxNestingDepth)
    }
  }
}

/// A reader limit that an input exceeded, with where.
public struct LimitExceeded: Error, Equatable, Sendable, CustomStringConvertible {
  /// The limit.
  public var kind: ReaderLimits.Kind
  /// Its value.
  public var limit: Int64
  /// Where in the file ("row 12, column 3", "part xl/worksheets/sheet1.xml", "byte 4096").
  public var place: String

  /// Creates a violation of `kind` under `limits` at `place`.
  public init(_ kind: ReaderLimits.Kind, _ limits: ReaderLimits, at place: String) {
    self.kind = kind
    limit = limits.value(kind)
    self.place = place
  }

  public var description: String {
    "\(place) has \(kind.noun) the limit of \(limit); if the file is trusted, raise it with \(kind.option)"
  }
}
