/// Splits a UTF-8 byte stream into chunks of whole CSV records, recording every field boundary.
///
/// RFC 4180 with the leniency of spreadsheets: quoted fields with doubled quotes and embedded line
/// breaks; LF, CRLF and lone CR line ends; a quote inside an unquoted field is literal; text after a
/// closing quote stays in the field. This is the only sequential pass over the input; everything
/// after it works on chunks in parallel.
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
  private var skipLeadingLF = false
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
        if skipLeadingLF && chunk.byteCount > 0 {
          // The previous chunk ended on a CR; an LF here belongs to it.
          skipLeadingLF = false
          if chunk.bytes[0] == 10 {
            chunk.bytes.baseAddress!.copyMemory(from: chunk.bytes.baseAddress! + 1, byteCount: chunk.byteCount - 1)
            chunk.byteCount -= 1
            chunkStartOffset += 1
          }
        }
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

  /// Refuses records with more columns or longer fields than the limits allow. Only records longer
  /// than the field limit can hold a field that long, so the common case costs one comparison a record.
  private func checkLimits(_ chunk: RecordChunk) throws(TableIOError) {
    for r in 0..<chunk.recordCount {
      let fields = chunk.fieldCount(r)
      if fields > limits.maxColumns {
        throw .limitExceeded(path: input.source.path, LimitExceeded(.columns, limits, at: "row \(nextRow + r)"))
      }
      guard chunk.recordRange(r).count > limits.maxFieldBytes else { continue }
      for f in 0..<fields where chunk.fieldRange(r, f).count > limits.maxFieldBytes {
        throw .limitExceeded(
          path: input.source.path, LimitExceeded(.fieldBytes, limits, at: "row \(nextRow + r), column \(f + 1)"))
      }
    }
  }

  /// Records complete records of `chunk.bytes[0..<byteCount]`; returns how many bytes they span
  /// (terminators included).
  private func split(_ chunk: RecordChunk, atEOF: Bool) -> Int {
    let p = chunk.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let n = chunk.byteCount
    let delimiter = dialect.delimiter
    let quote = UInt8(ascii: "\"")
    var i = 0
    var recordStart = 0
    var consumed = 0
    chunk.resetRecords()
    var fieldsInRecord = 0
    openQuoteInChunk = nil
    while i < n {
      // At the start of a field.
      if p[i] == quote {
        // Quoted field: find the closing quote, skipping doubled ones.
        let opened = i
        i &+= 1
        var closed = false
        while i < n {
          if p[i] == quote {
            if i &+ 1 < n && p[i &+ 1] == quote {
              i &+= 2
              continue
            }
            if i &+ 1 == n && !atEOF { break }  // Cannot tell `"` from `""` yet.
            i &+= 1
            closed = true
            break
          }
          i &+= 1
        }
        if !closed {
          if !atEOF { break }
          openQuoteInChunk = (chunk.recordStarts.count, opened)
        }
      }
      // Unquoted remainder of the field (or text after a closing quote).
      while i < n {
        let b = p[i]
        if b == delimiter || b == 10 || b == 13 { break }
        i &+= 1
      }
      if i == n {
        if atEOF && (i > recordStart || fieldsInRecord > 0) {
          chunk.fieldEnds.append(Int32(i))
          chunk.recordStarts.append(Int32(recordStart))
          chunk.recordFieldBase.append(Int32(chunk.fieldEnds.count))
          consumed = n
        }
        break
      }
      let b = p[i]
      chunk.fieldEnds.append(Int32(i))
      fieldsInRecord &+= 1
      if b == delimiter {
        i &+= 1
        if i == n && atEOF {
          // A trailing delimiter at end of file: the record ends with an empty field.
          chunk.fieldEnds.append(Int32(i))
          chunk.recordStarts.append(Int32(recordStart))
          chunk.recordFieldBase.append(Int32(chunk.fieldEnds.count))
          consumed = n
        }
        continue
      }
      // Line end.
      chunk.recordStarts.append(Int32(recordStart))
      chunk.recordFieldBase.append(Int32(chunk.fieldEnds.count))
      fieldsInRecord = 0
      i &+= 1
      if b == 13 {
        if i < n {
          if p[i] == 10 { i &+= 1 }
        } else if !atEOF {
          skipLeadingLF = true
        }
      }
      recordStart = i
      consumed = i
    }
    // Drop field ends of an incomplete trailing record.
    let completeFields = Int(chunk.recordFieldBase[chunk.recordStarts.count])
    chunk.fieldEnds.truncate(to: completeFields)
    return consumed
  }
}
