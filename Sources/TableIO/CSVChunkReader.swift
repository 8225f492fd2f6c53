/// Splits a UTF-8 byte stream into chunks of whole CSV records, recording every field boundary.
///
/// RFC 4180 with the leniency of spreadsheets: quoted fields with doubled quotes and embedded line
/// breaks; LF, CRLF and lone CR line ends; a quote inside an unquoted field is literal; text after a
/// closing quote stays in the field. The rules are ``CSVRecordSplitter``'s, which ``CSVFileRanges``
/// also splits with: this reader serves what cannot be read in parallel ranges (standard input,
/// pipes, text converted from another encoding).
public final class CSVChunkReader: RecordReader {
  /// The decoded input.
  public let input: DecodedInput
  /// The dialect records are split with.
  public let dialect: CSVDialect
  /// Approximate bytes per chunk.
  public let chunkSize: Int
  /// The largest record accepted.
  public var maxRecordBytes: Int { limits.maxRecordBytes }
  /// Bounds on fields, columns and records.
  public let limits: ReaderLimits

  private var carry: [UInt8] = []
  private var finished = false
  private var nextRow = 1
  private var nextSequence = 0
  /// Whether the file ended inside a quoted field (read that way only with `lenientQuotes`).
  public private(set) var endedInsideQuotes = false
  /// Where the quote that never closed opened: its row and its byte offset in the file (`nil` for
  /// inputs converted from another encoding, whose offsets are not the file's).
  public private(set) var unclosedQuote: (row: Int, byteOffset: Int?)?
  /// What a run read under `lenientQuotes` tells the user, when a quote never closed.
  public var unclosedQuoteNotice: String? {
    unclosedQuote.map { Self.unclosedQuoteNotice(path: input.source.path, row: $0.row, byteOffset: $0.byteOffset) }
  }

  /// The notice for a quoted field opened at `row` that never closed, read leniently to the end.
  public static func unclosedQuoteNotice(path: String, row: Int, byteOffset: Int?) -> String {
    "\(path): \(TableIOError.position(row: row, byteOffset: byteOffset)) opens a quoted field that never closes; with --lenient-quotes the rest of the file was read as that one field"
  }
  /// Whether a quote that never closes is read to the end of the file rather than refused.
  public let lenientQuotes: Bool
  /// Offset, in the decoded stream, of the first byte of the chunk being split.
  private var chunkStartOffset = 0
  /// Position of an unclosed opening quote found by the last `split`: record index and byte in the chunk.
  private var openQuoteInChunk: (record: Int, byte: Int)?

  /// `csv` or `tsv`.
  public let format: InputFormat
  public var encodingName: String { input.encoding.description }
  public var hadByteOrderMark: Bool { input.hadByteOrderMark }
  public var delimiterName: String { dialect.description }
  public var sheetName: String? { nil }
  public var sheetNames: [String] { [] }
  public var declaredPhoneColumn: String? { nil }
  public var declaredFilename: String? { nil }
  public var passesBytesThrough: Bool { input.encoding == .utf8 }
  public var bytesRead: Int { input.source.offset }
  public var fileToHash: String? { nil }

  /// Creates a reader; without `dialect`, sniffs the delimiter from the first 64 KiB.
  public init(
    input: DecodedInput, dialect: CSVDialect?, chunkSize: Int = 1 << 20, limits: ReaderLimits = ReaderLimits(),
    format: InputFormat? = nil, lenientQuotes: Bool = false
  ) throws(TableIOError) {
    self.input = input
    self.lenientQuotes = lenientQuotes
    self.chunkSize = chunkSize
    self.limits = limits
    let head = UnsafeMutableRawBufferPointer.allocate(byteCount: DecodedInput.sniffLength, alignment: 16)
    defer { head.deallocate() }
    var filled = 0
    while filled < head.count {
      let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: head[filled...]))
      if n == 0 { break }
      filled += n
    }
    let sample = UnsafeRawBufferPointer(rebasing: head[0..<filled])
    carry = Array(sample)
    let chosen = dialect ?? CSVDialect.sniff(sample)
    self.dialect = chosen
    self.format = chosen.delimiter == 9 ? .tsv : .csv
  }
  /// Fills `chunk` with the next records; returns `false` when the input is exhausted.
  public func nextChunk(into chunk: RecordChunk) throws(TableIOError) -> Bool {
    chunk.reset()
    chunk.delimiter = dialect.delimiter
    chunk.firstRow = nextRow
    chunk.sequence = nextSequence
    if finished && carry.isEmpty { return false }
    chunk.ensureCapacity(max(chunkSize, carry.count) + 65536)
    carry.withUnsafeBytes { raw in
      if raw.count > 0 { chunk.bytes.baseAddress!.copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
    }
    chunk.byteCount = carry.count
    carry.removeAll(keepingCapacity: true)
    var target = chunkSize
    while true {
      while !finished && chunk.byteCount < target {
        let free = UnsafeMutableRawBufferPointer(rebasing: chunk.bytes[chunk.byteCount..<chunk.bytes.count])
        let n = try input.read(into: free)
        if n == 0 { finished = true } else { chunk.byteCount += n }
      }
      let consumed = split(chunk, atEOF: finished)
      if chunk.recordCount > 0 || finished {
        if consumed < chunk.byteCount {
          carry.append(contentsOf: chunk.slice(consumed..<chunk.byteCount))
        }
        chunk.byteCount = consumed
        break
      }
      // Not one whole record fits: read on into a larger buffer.
      if chunk.byteCount >= maxRecordBytes {
        throw .recordTooLarge(path: input.source.path, row: nextRow, limit: maxRecordBytes)
      }
      target = chunk.byteCount * 2
      chunk.ensureCapacity(target + 65536)
    }
    if let open = openQuoteInChunk {
      let byte = input.encoding == .utf8 ? chunkStartOffset + open.byte + (input.hadByteOrderMark ? 3 : 0) : nil
      unclosedQuote = (nextRow + open.record, byte)
      endedInsideQuotes = true
      if !lenientQuotes {
        throw .unclosedQuote(path: input.source.path, row: nextRow + open.record, byteOffset: byte)
      }
    }
    try checkLimits(chunk)
    chunkStartOffset += chunk.byteCount
    nextRow += chunk.recordCount
    nextSequence += 1
    return chunk.recordCount > 0
  }

  /// Refuses records with more columns or longer fields than the limits allow.
  private func checkLimits(_ chunk: RecordChunk) throws(TableIOError) {
    if let problem = CSVRecordSplitter.firstLimitProblem(in: chunk, limits: limits) {
      throw problem.error(path: input.source.path, limits: limits, firstRow: nextRow)
    }
  }

  /// Records complete records of `chunk.bytes[0..<byteCount]`; returns how many bytes they span
  /// (terminators included). A record the buffer may end inside (a quote or a CR at its last byte
  /// included) is left for the next chunk.
  private func split(_ chunk: RecordChunk, atEOF: Bool) -> Int {
    chunk.resetRecords()
    openQuoteInChunk = nil
    switch CSVRecordSplitter.split(
      chunk, from: 0, count: chunk.byteCount, atFileEnd: atEOF, target: Int.max, delimiter: dialect.delimiter)
    {
    case .needMore(let recordStart): return recordStart
    case .fileEnded(let openQuote):
      openQuoteInChunk = openQuote
      return chunk.byteCount
    case .reachedTarget(let end): return end  // Not with an unbounded target.
    }
  }
}
