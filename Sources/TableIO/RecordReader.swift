/// Anything that turns an input file into chunks of comma-separated records for the pipeline.
///
/// Readers of formats other than CSV write each record's cells into the chunk as CSV fields (quoted
/// where needed), so the rest of the pipeline — and `processed.csv` — is the same whatever the format.
public protocol RecordReader: AnyObject {
  /// The format read.
  var format: InputFormat { get }
  /// The character encoding, as reported in manifests.
  var encodingName: String { get }
  /// Whether the file started with a byte-order mark.
  var hadByteOrderMark: Bool { get }
  /// The delimiter of the source (`,` for formats without one).
  var delimiterName: String { get }
  /// The worksheet read, for spreadsheets.
  var sheetName: String? { get }
  /// Every worksheet, for spreadsheets.
  var sheetNames: [String] { get }
  /// The phone column the document names (the JSON body's `phone_column`).
  var declaredPhoneColumn: String? { get }
  /// The file name the document names (the JSON body's `filename`).
  var declaredFilename: String? { get }
  /// Whether records are the file's own UTF-8 bytes (so invalid UTF-8 must be detected and reported).
  var passesBytesThrough: Bool { get }
  /// Whether the input ended inside a quoted field.
  var endedInsideQuotes: Bool { get }
  /// Input bytes consumed so far (for progress).
  var bytesRead: Int { get }
  /// A file to hash for the manifest when the reader does not pass raw bytes through `onRawBytes`.
  var fileToHash: String? { get }
  /// Fills `chunk` with the next records; `false` when the input is exhausted.
  func nextChunk(into chunk: RecordChunk) throws(TableIOError) -> Bool
}

/// How to open an input.
public struct ReaderOptions: Sendable {
  /// The format; `nil` to detect it from the content.
  public var format: InputFormat?
  /// The CSV delimiter; `nil` to sniff it.
  public var dialect: CSVDialect?
  /// The text encoding; `nil` to detect it.
  public var encoding: InputEncoding?
  /// The worksheet, by name or 1-based number; `nil` for the first.
  public var sheet: String?
  /// Approximate bytes per chunk.
  public var chunkSize: Int
  /// Bounds on fields, rows, nesting and inflated sizes.
  public var limits = ReaderLimits()
  /// Accept a CSV whose last quoted field never closes (the rest of the file becomes that field)
  /// instead of refusing it with ``TableIOError/unclosedQuote(path:row:byteOffset:)``.
  public var lenientQuotes = false

  /// Options that detect everything.
  public init(
    format: InputFormat? = nil, dialect: CSVDialect? = nil, encoding: InputEncoding? = nil, sheet: String? = nil,
    chunkSize: Int = 1 << 20, limits: ReaderLimits = ReaderLimits()
  ) {
    self.limits = limits
    self.format = format
    self.dialect = dialect
    self.encoding = encoding
    self.sheet = sheet
    self.chunkSize = chunkSize
  }
}

/// Opens the right reader for an input.
public enum RecordReaders {
  /// Opens `source` in its detected (or given) format. `onRawBytes` sees the raw bytes of text formats.
  public static func open(
    _ source: ByteSource, options: ReaderOptions, onRawBytes: @escaping (UnsafeRawBufferPointer) -> Void
  ) throws(TableIOError) -> any RecordReader {
    let prefix = try source.peek(4096)
    let format = options.format ?? InputFormat.detect(prefix: prefix, path: source.path)
    if options.format == nil && (format == .csv || format == .tsv) && InputFormat.claimsSpreadsheet(path: source.path)
      && !InputFormat.looksLikeDelimitedText(prefix)
    {
      // Named .xls/.xlsx but neither a workbook nor delimited text (CSV exports named .xls are read).
      throw .spreadsheet(path: source.path, .corrupt("named like a spreadsheet but holds no workbook"))
    }
    switch format {
    case .csv, .tsv:
      var dialect = options.dialect
      if dialect == nil && format == .tsv && options.format == .tsv { dialect = CSVDialect(delimiter: 9) }
      let input = try DecodedInput(source: source, encoding: options.encoding, onRawBytes: onRawBytes)
      return try CSVChunkReader(
        input: input, dialect: dialect, chunkSize: options.chunkSize, limits: options.limits, format: format,
        lenientQuotes: options.lenientQuotes)
    case .json, .ndjson:
      let file = try SpooledFile(source: source)
      return try JSONRecordReader(
        file: file, lines: format == .ndjson, chunkSize: options.chunkSize, limits: options.limits)
    case .xlsx:
      let file = try SpooledFile(source: source)
      return try XLSXRecordReader(
        file: file, sheet: options.sheet, chunkSize: options.chunkSize, limits: options.limits)
    case .xls:
      if InputFormat.isEarlyBIFF(prefix) {
        throw .spreadsheet(path: source.path, .unsupported("an Excel 2.x–4.0 (BIFF2–4) workbook; save it as .xlsx"))
      }
      let file = try SpooledFile(source: source)
      return try XLSRecordReader(
        file: file, sheet: options.sheet, chunkSize: options.chunkSize, limits: options.limits)
    }
  }
}
