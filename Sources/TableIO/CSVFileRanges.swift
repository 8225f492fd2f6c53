import CByteScan

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A UTF-8 delimited-text file split into record-aligned ranges that any number of threads read and
/// split at once: the parallel counterpart of ``CSVChunkReader`` for regular files.
///
/// Chunk `i` holds the records that start in `[start(i), e)`, where `e` is the first record end at or
/// after the guessed start of chunk `i + 1`. The guesses (``guessedStarts``) are line starts found near
/// every `chunkSize` bytes. A guess can be wrong: a line break inside a quoted field is not a record
/// end. So a worker splits its chunk from the guess *speculatively*, and the caller checks, chunk by
/// chunk in file order, that each chunk starts exactly where the one before it ended; a chunk whose
/// guess was wrong is split again from the true start (``load(_:from:into:speculative:)`` with
/// `speculative: false`). Chunk 0 starts after the byte-order mark, so by induction every checked chunk
/// holds exactly the records a sequential reader would have produced.
///
/// Ranges are read with `pread(2)` into each chunk's own buffer rather than through a memory map: a
/// file truncated while it is read fails with a read error instead of a `SIGBUS`, and only the chunks
/// in flight are resident. Records are split by ``CSVRecordSplitter``, as ``CSVChunkReader`` splits
/// them.
public final class CSVFileRanges: @unchecked Sendable {  // Immutable after `init`; `pread` is thread-safe.
  /// The path as the user gave it.
  public let path: String
  /// The file's size when it was opened; bytes appended later are not read.
  public let size: Int
  /// Where the first record starts (after a UTF-8 byte-order mark).
  public let dataStart: Int
  /// The delimiter records are split with.
  public let dialect: CSVDialect
  /// `csv` or `tsv`.
  public let format: InputFormat
  /// Bounds on fields, columns and records.
  public let limits: ReaderLimits
  /// Whether a quote that never closes is read to the end of the file rather than refused.
  public let lenientQuotes: Bool
  /// Guessed start of each chunk (the first is ``dataStart``); their count is the number of chunks.
  public let guessedStarts: [Int]
  private let fd: Int32

  /// How far past its target a speculative split reads before it gives up (the chunk is then split
  /// again, sequentially, once its true start is known).
  private let speculationLimit: Int

  /// Opens `path` for parallel reading when it is a regular file of UTF-8 delimited text; `nil` when
  /// it is anything else (standard input, a pipe, a spreadsheet, JSON, another encoding, an empty
  /// file), which the streaming readers handle.
  public static func open(path: String, options: ReaderOptions) throws(TableIOError) -> CSVFileRanges? {
    guard path != "-" else { return nil }
    #if canImport(Glibc)
      let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    #else
      let fd = Darwin.open(path, O_RDONLY | O_CLOEXEC)
    #endif
    if fd < 0 {
      let code = errno
      throw code == ENOENT ? .inputMissing(path: path) : .inputUnreadable(path: path, errno: code)
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else {
      close(fd)
      return nil
    }
    let size = Int(info.st_size)
    let sniffLength = DecodedInput.sniffLength
    var head = [UInt8](repeating: 0, count: min(size, sniffLength + 3))
    let got = head.withUnsafeMutableBytes { Self.preadFully(fd, $0, at: 0) }
    guard got == head.count else {
      close(fd)
      throw .readFailed(path: path, byteOffset: max(got, 0), errno: got < 0 ? errno : EIO)
    }
    let prefix = Array(head.prefix(4096))
    let format = options.format ?? InputFormat.detect(prefix: prefix, path: path)
    guard format == .csv || format == .tsv,
      options.format != nil || !InputFormat.claimsSpreadsheet(path: path) || InputFormat.looksLikeDelimitedText(prefix)
    else {
      close(fd)
      return nil
    }
    let encoding = head.withUnsafeBytes { raw in
      options.encoding
        ?? InputEncoding.sniff(UnsafeRawBufferPointer(rebasing: raw.prefix(sniffLength)), isCompleteFile: size <= sniffLength)
    }
    guard encoding == .utf8 else {
      close(fd)
      return nil
    }
    let bom = head.withUnsafeBytes { encoding.byteOrderMarkLength(in: $0) }
    guard size > bom else {
      close(fd)
      return nil
    }
    var dialect = options.dialect
    if dialect == nil && format == .tsv && options.format == .tsv { dialect = CSVDialect(delimiter: 9) }
    let chosen = dialect ?? head.withUnsafeBytes { raw in
      CSVDialect.sniff(UnsafeRawBufferPointer(rebasing: raw[bom..<min(raw.count, bom + sniffLength)]))
    }
    return CSVFileRanges(
      path: path, fd: fd, size: size, dataStart: bom, dialect: chosen, chunkSize: options.chunkSize,
      limits: options.limits, lenientQuotes: options.lenientQuotes)
  }

  private init(
    path: String, fd: Int32, size: Int, dataStart: Int, dialect: CSVDialect, chunkSize: Int, limits: ReaderLimits,
    lenientQuotes: Bool
  ) {
    self.path = path
    self.fd = fd
    self.size = size
    self.dataStart = dataStart
    self.dialect = dialect
    self.format = dialect.delimiter == 9 ? .tsv : .csv
    self.limits = limits
    self.lenientQuotes = lenientQuotes
    let step = max(chunkSize, 64)
    speculationLimit = 4 * step
    var starts = [dataStart]
    var nominal = dataStart + step
    while nominal < size {
      guard let guess = Self.lineStart(fd: fd, size: size, atOrAfter: nominal, within: speculationLimit) else {
        nominal += speculationLimit
        continue
      }
      guard guess < size else { break }
      if guess > starts[starts.count - 1] { starts.append(guess) }
      nominal = guess + step
    }
    guessedStarts = starts
  }

  deinit { close(fd) }

  /// The number of chunks.
  public var chunkCount: Int { guessedStarts.count }

  /// Whether the record bytes are the file's own (always: only UTF-8 files are read this way).
  public var encodingName: String { InputEncoding.utf8.description }
  /// Whether the file starts with a UTF-8 byte-order mark.
  public var hadByteOrderMark: Bool { dataStart > 0 }

  /// Reads `buffer.count` bytes at `offset` (fewer at the end of the file); for hashing the input.
  public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(TableIOError) -> Int {
    let n = Self.preadFully(fd, buffer, at: offset)
    if n < 0 { throw .readFailed(path: path, byteOffset: offset, errno: errno) }
    return n
  }

  // MARK: - Loading a chunk

  /// Something wrong with a chunk's records, reported with a row number once the chunk's first row is
  /// known (it is not while chunks are split in parallel).
  public enum Problem: Sendable, Equatable {
    /// A record longer than `maxRecordBytes` starts at this record index.
    case recordTooLarge(record: Int)
    /// A record with more columns than allowed.
    case columns(record: Int)
    /// A field longer than allowed (column from 0).
    case fieldBytes(record: Int, column: Int)
    /// A quoted field that opens at this record (and file byte) never closes.
    case unclosedQuote(record: Int, byteOffset: Int)
    /// A read failed (`errno`), or the file became shorter while it was read (`errno` 0).
    case truncated(byteOffset: Int, errno: Int32)

    /// The error this stands for in a file read under `limits`, in a chunk whose first record is
    /// row `firstRow`.
    public func error(path: String, limits: ReaderLimits, firstRow: Int) -> TableIOError {
      switch self {
      case .recordTooLarge(let record):
        return .recordTooLarge(path: path, row: firstRow + record, limit: limits.maxRecordBytes)
      case .columns(let record):
        return .limitExceeded(path: path, LimitExceeded(.columns, limits, at: "row \(firstRow + record)"))
      case .fieldBytes(let record, let column):
        return .limitExceeded(
          path: path, LimitExceeded(.fieldBytes, limits, at: "row \(firstRow + record), column \(column + 1)"))
      case .unclosedQuote(let record, let byteOffset):
        return .unclosedQuote(path: path, row: firstRow + record, byteOffset: byteOffset)
      case .truncated(let byteOffset, let code):
        return code == 0
          ? .inputShrank(path: path, byteOffset: byteOffset) : .readFailed(path: path, byteOffset: byteOffset, errno: code)
      }
    }

    /// The record index it is at.
    var record: Int {
      switch self {
      case .recordTooLarge(let record), .columns(let record), .fieldBytes(let record, _),
        .unclosedQuote(let record, _):
        return record
      case .truncated: return Int.max
      }
    }
  }

  /// What loading a chunk found.
  public struct Loaded: Sendable {
    /// The file offset the chunk was split from.
    public var start: Int
    /// The file offset just past its last record (its terminator included).
    public var end: Int
    /// `false` when a speculative split gave up before it found its end; load it again from its true
    /// start.
    public var complete: Bool
    /// The first problem in the chunk, if any (chunk contents past it are not to be used).
    public var problem: Problem?
    /// Where a quoted field that never closes opened, read to the end under `lenientQuotes`.
    public var openQuote: (record: Int, byteOffset: Int)?
  }

  /// Splits chunk `index` from file offset `start` into `chunk`: the records that start in
  /// `[start, e)`, `e` being the first record end at or after the next chunk's guessed start. With
  /// `speculative`, gives up (``Loaded/complete`` `false`) when no record end turns up within a few
  /// chunk sizes of the target, since `start` may not be a record start at all.
  public func load(_ index: Int, from start: Int, into chunk: RecordChunk, speculative: Bool) -> Loaded {
    chunk.reset()
    chunk.delimiter = dialect.delimiter
    chunk.sequence = index
    let target = index + 1 < guessedStarts.count ? guessedStarts[index + 1] : size
    var result = Loaded(start: start, end: start, complete: true, problem: nil, openQuote: nil)
    guard start < target, start < size else { return result }
    var loaded = 0
    var resume = 0
    var want = min(size - start, target - start + 4096)
    while true {
      if want > loaded {
        chunk.ensureCapacity(want + 16)
        let n = Self.preadFully(
          fd, UnsafeMutableRawBufferPointer(rebasing: chunk.bytes[loaded..<want]), at: start + loaded)
        if n != want - loaded {
          let code = n < 0 ? errno : 0
          var info = stat()
          let now = fstat(fd, &info) == 0 ? Int(info.st_size) : Int.max
          result.problem = .truncated(byteOffset: min(start + loaded + max(n, 0), now), errno: code)
          return result
        }
        loaded = want
        chunk.byteCount = loaded
      }
      let atFileEnd = start + loaded == size
      switch CSVRecordSplitter.split(
        chunk, from: resume, count: loaded, atFileEnd: atFileEnd, target: target - start, delimiter: dialect.delimiter)
      {
      case .reachedTarget(let end):
        result.end = start + end
        chunk.byteCount = end
        result.problem = checkLimits(chunk)
        return result
      case .fileEnded(let openQuote):
        result.end = size
        // The first problem in file order; a record whose quote never closes is reported as that.
        let limit = checkLimits(chunk)
        if let openQuote {
          let byte = start + openQuote.byte
          if lenientQuotes {
            result.openQuote = (openQuote.record, byte)
          } else if limit.map({ $0.record >= openQuote.record }) ?? true {
            result.problem = .unclosedQuote(record: openQuote.record, byteOffset: byte)
            return result
          }
        }
        result.problem = limit
        return result
      case .needMore(let recordStart):
        resume = recordStart
        if speculative && start + loaded > target + speculationLimit {
          result.complete = false
          return result
        }
        if loaded - recordStart >= limits.maxRecordBytes {
          result.problem = checkLimits(chunk) ?? .recordTooLarge(record: chunk.recordCount)
          return result
        }
        want = min(size - start, loaded + max(loaded - recordStart, 1 << 16))
      }
    }
  }

  /// The error a problem of a chunk whose first record is row `firstRow` stands for.
  public func error(_ problem: Problem, firstRow: Int) -> TableIOError {
    problem.error(path: path, limits: limits, firstRow: firstRow)
  }

  private func checkLimits(_ chunk: RecordChunk) -> Problem? {
    CSVRecordSplitter.firstLimitProblem(in: chunk, limits: limits)
  }

  // MARK: - Guessing chunk starts

  /// The first line start at or after `offset` (after an LF, a CRLF or a lone CR), looking at most
  /// `within` bytes ahead; `size` when the file ends first.
  private static func lineStart(fd: Int32, size: Int, atOrAfter offset: Int, within: Int) -> Int? {
    // A line is usually short: read 4 KiB first, then windows twice as large, up to 64 KiB.
    var window = [UInt8](repeating: 0, count: 1 << 16)
    var windowSize = 1 << 12
    var at = offset
    while at < size && at < offset + within {
      let n = window.withUnsafeMutableBytes {
        preadFully(fd, UnsafeMutableRawBufferPointer(rebasing: $0[0..<min(windowSize, size - at)]), at: at)
      }
      windowSize = min(windowSize * 2, window.count)
      if n <= 0 { return nil }
      for i in 0..<n {
        let b = window[i]
        if b == 10 { return at + i + 1 }
        if b == 13 {
          if i + 1 < n { return at + i + 1 + (window[i + 1] == 10 ? 1 : 0) }
          if at + i + 1 == size { return size }
          var next: UInt8 = 0
          let got = withUnsafeMutableBytes(of: &next) { preadFully(fd, $0, at: at + i + 1) }
          return at + i + 1 + (got == 1 && next == 10 ? 1 : 0)
        }
      }
      at += n
    }
    return at >= size ? size : nil
  }

  /// `pread(2)` until `buffer` is full or the file ends, retrying `EINTR`; -1 on an error.
  static func preadFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    var filled = 0
    while filled < buffer.count {
      let n = pread(fd, base + filled, buffer.count - filled, off_t(offset + filled))
      if n < 0 {
        if errno == EINTR { continue }
        return -1
      }
      if n == 0 { break }
      filled += n
    }
    return filled
  }
}

/// The one CSV record-splitting state machine, for ``CSVFileRanges`` and ``CSVChunkReader``: it
/// splits a buffer that may stop before the end of the file (leaving a record it may end inside for
/// more bytes) and stops at the first record end at or after a target offset.
enum CSVRecordSplitter {
  enum Step {
    /// A record ended at or after the target; `end` is just past its terminator.
    case reachedTarget(end: Int)
    /// The buffer ends inside the record that starts at `recordStart` (not at the end of the file):
    /// read more and split again from there.
    case needMore(recordStart: Int)
    /// The file ended; the last record is complete. `openQuote` is where a quoted field that never
    /// closed opened (record index, buffer offset).
    case fileEnded(openQuote: (record: Int, byte: Int)?)
  }

  /// The first record of `chunk` with more columns or a longer field than `limits` allow. Only records
  /// longer than the field limit can hold a field that long, so the common case costs one comparison
  /// a record.
  static func firstLimitProblem(in chunk: RecordChunk, limits: ReaderLimits) -> CSVFileRanges.Problem? {
    for r in 0..<chunk.recordCount {
      let fields = chunk.fieldCount(r)
      if fields > limits.maxColumns { return .columns(record: r) }
      guard chunk.recordRange(r).count > limits.maxFieldBytes else { continue }
      for f in 0..<fields where chunk.fieldRange(r, f).count > limits.maxFieldBytes {
        return .fieldBytes(record: r, column: f)
      }
    }
    return nil
  }

  /// Appends the records of `chunk.bytes[from..<n]` to `chunk` (`from` is a record start).
  static func split(
    _ chunk: RecordChunk, from: Int, count n: Int, atFileEnd: Bool, target: Int, delimiter: UInt8
  ) -> Step {
    let p = chunk.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let quote = UInt8(ascii: "\"")
    var i = from
    var recordStart = from
    var fieldsInRecord = 0
    var openQuote: (record: Int, byte: Int)?
    func needMore() -> Step {
      chunk.fieldEnds.truncate(to: Int(chunk.recordFieldBase[chunk.recordStarts.count]))
      return .needMore(recordStart: recordStart)
    }
    func endRecord() {
      chunk.recordStarts.append(Int32(recordStart))
      chunk.recordFieldBase.append(Int32(chunk.fieldEnds.count))
    }
    while true {
      // At the start of a field.
      if i < n && p[i] == quote {
        let opened = i
        i &+= 1
        var closed = false
        while i < n {
          // The next quote: it closes the field unless doubled.
          guard let found = memchr(p + i, Int32(quote), n &- i) else {
            i = n
            break
          }
          i = UnsafeMutableRawPointer(found).assumingMemoryBound(to: UInt8.self) - p
          if p[i] == quote {
            if i &+ 1 < n && p[i &+ 1] == quote {
              i &+= 2
              continue
            }
            if i &+ 1 == n && !atFileEnd { return needMore() }  // `"` or `""`: the next byte decides.
            i &+= 1
            closed = true
            break
          }
          i &+= 1
        }
        if !closed {
          if !atFileEnd { return needMore() }
          openQuote = (chunk.recordStarts.count, opened)
        }
      }
      // Unquoted remainder of the field (or text after a closing quote).
      i &+= cbytescan_field_end(p + i, n &- i, delimiter)
      if i == n {
        guard atFileEnd else { return needMore() }
        if i > recordStart || fieldsInRecord > 0 {
          chunk.fieldEnds.append(Int32(i))
          endRecord()
        }
        return .fileEnded(openQuote: openQuote)
      }
      let b = p[i]
      chunk.fieldEnds.append(Int32(i))
      fieldsInRecord &+= 1
      if b == delimiter {
        i &+= 1
        if i == n && atFileEnd {
          // A trailing delimiter at end of file: the record ends with an empty field.
          chunk.fieldEnds.append(Int32(i))
          endRecord()
          return .fileEnded(openQuote: openQuote)
        }
        continue
      }
      // Line end.
      i &+= 1
      if b == 13 {
        if i < n {
          if p[i] == 10 { i &+= 1 }
        } else if !atFileEnd {
          return needMore()  // CR or CRLF: the next byte decides where the record ends.
        }
      }
      endRecord()
      fieldsInRecord = 0
      recordStart = i
      if i >= target { return .reachedTarget(end: i) }
    }
  }
}
