import Crypto
import NANP
import Scoring
import TableIO

/// Where a job's chunks come from: a regular UTF-8 text file is split into ranges by every worker at
/// once; anything else (standard input, pipes, other encodings, spreadsheets, JSON) is read by one
/// streaming reader, one chunk at a time.
enum ChunkSource {
  case ranges(CSVFileRanges)
  case reader(SerialReader)
}

/// A streaming reader, used only by the pipeline's in-order read stage (so by one thread at a time).
final class SerialReader {
  let reader: any RecordReader
  var ended = false
  init(_ reader: any RecordReader) { self.reader = reader }
}

/// The stages of a classify run over its chunks, in order:
///
/// 1. **read** (any order for file ranges, in order for a streaming reader): split a range, or read
///    the next chunk;
/// 2. **parse** (any order): parse each row's number and look it up in the lists;
/// 3. **place** (in order): check that the chunk starts where the previous one ended (splitting it
///    again when its guessed start was wrong), raise its read errors, number its rows;
/// 4. **dedup** (any order): insert its numbers with their rows into the sharded dedup table;
/// 5. **render** (once every earlier chunk is in the table): decide duplicates, score, render the
///    three outputs' rows and count them;
/// 6. **offsets** (in order): place the chunk's bytes in each output, add up its counts, report progress;
/// 7. **write** (any order): write the chunk's bytes at their offsets;
/// 8. **hash** (in order, one stage per file): add the chunk's bytes to the SHA-256 of
///    `processed.csv`, `processed-filtered.csv`, `rejects.csv` and of the input (the bytes read for
///    the chunk, which are the file's own); four chains, each on whichever thread is free, beside
///    the other chunks' work.
///
/// The in-order stages other than hashing do a few operations per chunk; every stage that touches
/// every byte or row, hashing aside, runs on all threads at once. A hash is a chain by nature (each
/// block depends on the one before): it runs beside everything else and adds to the run only the
/// time to hash its last chunks.
final class ClassifyPipeline {
  /// What every stage of a run reads: fixed before the first chunk.
  struct Settings {
    let path: String
    let parser: PhoneNumberParser
    let phoneColumn: Int
    let headerFieldCount: Int
    let layout: OutputLayout
    let validateUTF8: Bool
    let filterCallable: Bool
    let recordDelivered: Bool
    let maxRows: Int?
    let maxBytes: Int?
    let totalBytes: Int?
  }

  let settings: Settings
  let source: ChunkSource
  let slots: [ChunkWork]
  let dedup: ShardedDedupIndex
  let processed: OutputFile
  let filtered: OutputFile
  let rejects: OutputFile
  // Hashes, each touched only by its own in-order stage.
  private var processedHash = SHA256()
  private var filteredHash = SHA256()
  private var rejectsHash = SHA256()
  /// `nil` when the streaming reader hashes the input as it reads it.
  private var inputHash: SHA256?
  private let parsers: [RowParser]
  private let renderers: [RowRenderer]
  private let progress: (@Sendable (ClassifyProgress) -> Void)?
  private let started: UInt64

  // State of the in-order stages.
  private var nextStart: Int
  private var nextRow = 1
  private var dataRows = 0
  private var processedBytes: Int
  private var filteredBytes: Int
  private var rejectsBytes: Int
  private var lastProgress: UInt64 = 0
  /// Counts of every chunk placed so far.
  private(set) var statistics = RunStatistics()
  /// Numbers written to the filtered file, for `--record`.
  private(set) var delivered: [UInt64] = []
  /// Where a quoted field that never closed opened (read leniently).
  private(set) var unclosedQuote: (row: Int, byteOffset: Int)?

  /// A pipeline whose first chunk is already in `slots[0]` (read to find the header).
  init(
    settings: Settings, source: ChunkSource, slots: [ChunkWork], workers: Int, dedup: ShardedDedupIndex,
    outputs: (processed: OutputFile, filtered: OutputFile, rejects: OutputFile), headers: (data: [UInt8], rejects: [UInt8]),
    inputPrefix: [UInt8]?,
    makeRenderer: () -> RowRenderer, makeParser: () -> RowParser, progress: (@Sendable (ClassifyProgress) -> Void)?,
    started: UInt64
  ) {
    self.settings = settings
    self.source = source
    self.slots = slots
    self.dedup = dedup
    processed = outputs.processed
    filtered = outputs.filtered
    rejects = outputs.rejects
    processedBytes = headers.data.count
    filteredBytes = headers.data.count
    rejectsBytes = headers.rejects.count
    parsers = (0..<workers).map { _ in makeParser() }
    renderers = (0..<workers).map { _ in makeRenderer() }
    self.progress = progress
    self.started = started
    if case .ranges(let ranges) = source { nextStart = ranges.dataStart } else { nextStart = 0 }
    func hash(_ bytes: [UInt8]) -> SHA256 {
      var hash = SHA256()
      bytes.withUnsafeBytes { hash.update(bufferPointer: $0) }
      return hash
    }
    processedHash = hash(headers.data)
    filteredHash = hash(headers.data)
    rejectsHash = hash(headers.rejects)
    inputHash = inputPrefix.map(hash)
  }

  /// The executor running ``stages`` (set before it runs): the dedup stage asks it whether every
  /// earlier chunk is in the table.
  weak var executor: OrderedParallelExecutor?
  /// The dedup stage's index in ``stages``.
  static let dedupStage = 3

  /// The stages, for an ``OrderedParallelExecutor``.
  var stages: [OrderedParallelExecutor.Stage] {
    let readOrder: OrderedParallelExecutor.Order
    if case .ranges = source { readOrder = .any } else { readOrder = .inOrder }
    return [
      .init(name: "read", order: readOrder) { slot, sequence, _ in self.read(self.slots[slot], sequence) },
      .init(name: "parse", order: .any) { slot, sequence, worker in
        self.parse(self.slots[slot], sequence, worker)
        return true
      },
      .init(name: "place", order: .inOrder) { (slot, sequence, worker) throws(DialReadyError) in
        try self.place(self.slots[slot], sequence, worker)
        return true
      },
      .init(name: "dedup", order: .any) { slot, sequence, _ in
        self.insertNumbers(self.slots[slot], sequence)
        return true
      },
      .init(name: "render", order: .afterEarlier) { slot, _, worker in
        self.render(self.slots[slot], worker)
        return true
      },
      .init(name: "offsets", order: .inOrder) { (slot, _, _) throws(DialReadyError) in
        try self.placeOutput(self.slots[slot])
        return true
      },
      .init(name: "write", order: .any) { (slot, _, _) throws(DialReadyError) in
        try self.write(self.slots[slot])
        return true
      },
      .init(name: "hash processed", order: .inOrder) { slot, _, _ in
        self.processedHash.update(bufferPointer: self.slots[slot].processed.bytes)
        return true
      },
      .init(name: "hash filtered", order: .inOrder) { slot, _, _ in
        for piece in self.slots[slot].filteredPieces { self.filteredHash.update(bufferPointer: piece) }
        return true
      },
      .init(name: "hash rejects", order: .inOrder) { slot, _, _ in
        self.rejectsHash.update(bufferPointer: self.slots[slot].rejects.bytes)
        return true
      },
      .init(name: "hash input", order: .inOrder) { slot, _, _ in
        if self.inputHash != nil {
          let chunk = self.slots[slot].chunk
          self.inputHash!.update(bufferPointer: chunk.slice(0..<chunk.byteCount))
        }
        return true
      },
    ]
  }

  /// The hashes, once every chunk went through the pipeline; the input's is `nil` when the streaming
  /// reader hashed it.
  func finishHashes() -> (processed: String, filtered: String, rejects: String, input: String?) {
    (processedHash.finalize().hexDigest, filteredHash.finalize().hexDigest, rejectsHash.finalize().hexDigest,
     inputHash?.finalize().hexDigest)
  }

  /// Output sizes once every chunk is placed.
  var outputBytes: (processed: Int, filtered: Int, rejects: Int) { (processedBytes, filteredBytes, rejectsBytes) }

  // MARK: - Stages

  private func read(_ work: ChunkWork, _ sequence: Int) -> Bool {
    switch source {
    case .ranges(let ranges):
      guard sequence < ranges.chunkCount else { return false }
      if sequence == 0 { return true }  // Read by the job, for the header.
      work.resetParsed()
      work.readError = nil
      work.loaded = ranges.load(sequence, from: ranges.guessedStarts[sequence], into: work.chunk, speculative: true)
      return true
    case .reader(let serial):
      if sequence == 0 { return true }
      guard !serial.ended else { return false }
      work.resetParsed()
      work.readError = nil
      do {
        guard try serial.reader.nextChunk(into: work.chunk) else {
          serial.ended = true
          return false
        }
      } catch {
        work.readError = error
        serial.ended = true
      }
      work.sourceOffset = serial.reader.bytesRead
      return true
    }
  }

  private func parse(_ work: ChunkWork, _ sequence: Int, _ worker: Int) {
    guard work.readError == nil, work.loaded.map({ $0.problem == nil && $0.complete }) ?? true else { return }
    parsers[worker].parse(work, skipFirstRecord: sequence == 0)
  }

  private func place(_ work: ChunkWork, _ sequence: Int, _ worker: Int) throws(DialReadyError) {
    let path = settings.path
    switch source {
    case .ranges(let ranges):
      if var loaded = work.loaded, loaded.start != nextStart || !loaded.complete {
        // The guessed start was inside a record: split the chunk again from where the last one ended.
        work.resetParsed()
        loaded = ranges.load(sequence, from: nextStart, into: work.chunk, speculative: false)
        work.loaded = loaded
      }
      guard let loaded = work.loaded else { throw .internalError("chunk \(sequence) was never read") }
      if let problem = loaded.problem { throw .input(ranges.error(problem, firstRow: nextRow)) }
      if let open = loaded.openQuote, unclosedQuote == nil { unclosedQuote = (nextRow + open.record, open.byteOffset) }
      work.chunk.firstRow = nextRow
      nextStart = loaded.end
      work.sourceOffset = loaded.end
    case .reader(let serial):
      if let error = work.readError { throw .input(error) }
      if let maxBytes = settings.maxBytes, work.sourceOffset > maxBytes {
        throw .tooManyBytes(path: path, limit: maxBytes, size: serial.reader.bytesRead)
      }
    }
    nextRow = work.chunk.firstRow + work.chunk.recordCount
    if !work.parsed { parsers[worker].parse(work, skipFirstRecord: sequence == 0) }
    dataRows += work.rows.count
    if let maxRows = settings.maxRows, dataRows > maxRows { throw .tooManyRows(path: path, limit: maxRows) }
  }

  private func insertNumbers(_ work: ChunkWork, _ sequence: Int) {
    work.dedup.removeAll()
    let firstRow = work.chunk.firstRow
    for row in work.rows where row.flags & ParsedRow.seenBefore == 0 {
      if case .valid(let number) = row.result { work.dedup.append(number.e164Value, row: UInt32(firstRow + Int(row.record))) }
    }
    // Usually every earlier chunk is in already (the stage before is in order): then the rows seen
    // while inserting are final, and the render stage needs no look-up.
    let final = executor?.everyItem(before: sequence, hasFinished: Self.dedupStage) ?? false
    dedup.insert(&work.dedup, everyEarlierInserted: final)
  }

  private func render(_ work: ChunkWork, _ worker: Int) {
    if !work.dedup.firstRowsFinal { dedup.lookUp(&work.dedup) }
    renderers[worker].render(work, settings: settings)
  }

  private func placeOutput(_ work: ChunkWork) throws(DialReadyError) {
    work.processedOffset = processedBytes
    work.filteredOffset = filteredBytes
    work.rejectsOffset = rejectsBytes
    processedBytes += work.processed.count
    filteredBytes += work.filteredCount
    rejectsBytes += work.rejects.count
    statistics.add(work.statistics)
    if settings.recordDelivered { delivered.append(contentsOf: work.delivered) }
    if let progress {
      let now = MonotonicClock.nanoseconds
      if now - lastProgress > 100_000_000 {
        lastProgress = now
        progress(ClassifyProgress(
          rows: statistics.rows, bytesRead: work.sourceOffset, totalBytes: settings.totalBytes,
          elapsed: Double(now - started) / 1e9))
      }
    }
  }

  private func write(_ work: ChunkWork) throws(DialReadyError) {
    try processed.write(work.processed.bytes, at: work.processedOffset)
    try filtered.write(pieces: work.filteredPieces, count: work.filteredCount, at: work.filteredOffset)
    try rejects.write(work.rejects.bytes, at: work.rejectsOffset)
  }
}

/// A worker's parse stage: every data row's number, and its do-not-call and earlier-run flags.
final class RowParser {
  let parser: PhoneNumberParser
  let phoneColumn: Int
  /// Whether records are the file's own bytes, whose UTF-8 is checked (a chunk at once here).
  let validateUTF8: Bool
  /// The lists, unretained: the job keeps them alive for the run, and a retain per row per list shows
  /// in profiles.
  private let dnc: [Unmanaged<DNCIndex>]
  private let exclude: Unmanaged<DNCIndex>?
  @exclusivity(unchecked) private var scratch: [UInt8] = []

  /// Rows parsed before their lists are looked up. In an index of hundreds of megabytes a lookup is
  /// a cache miss and a TLB miss whose page walk holds up the core. Prefetched one row at a time,
  /// a microsecond of parsing apart, every walk stalled on its own (the prefetch was the hottest
  /// instruction of a profile); prefetched back to back for a batch, then read, they overlap.
  /// 32 and 64 measured alike, 256 worse (CPU time of `Scripts/bench-dnc.sh` runs; profile samples).
  static let lookupBatch = 64

  init(parser: PhoneNumberParser, phoneColumn: Int, validateUTF8: Bool, dnc: [DNCIndex], exclude: DNCIndex?) {
    self.parser = parser
    self.phoneColumn = phoneColumn
    self.validateUTF8 = validateUTF8
    self.dnc = dnc.map { Unmanaged.passUnretained($0) }
    self.exclude = exclude.map { Unmanaged.passUnretained($0) }
    scratch.reserveCapacity(256)
  }

  /// Parses every data record of `work.chunk` into `work.rows`.
  func parse(_ work: ChunkWork, skipFirstRecord: Bool) {
    work.resetParsed()
    let chunk = work.chunk
    let column = phoneColumn
    for r in (skipFirstRecord ? 1 : 0)..<chunk.recordCount {
      if chunk.isBlank(r) {
        work.blankLines += 1
        continue
      }
      let result: PhoneParseResult
      if column < chunk.fieldCount(r) {
        result = CSVField.withValue(chunk.rawField(r, column), scratch: &scratch) { parser.parse($0) }
      } else {
        result = .invalid(.empty)
      }
      work.rows.append(ParsedRow(record: UInt32(r), flags: 0, result: result))
    }
    if !dnc.isEmpty || exclude != nil { lookUpLists(work) }
    work.allValidUTF8 = validateUTF8 && UTF8Validation.isValid(chunk.slice(0..<chunk.byteCount))
    work.parsed = true
  }

  /// Sets the list flags of every valid row, a batch at a time: prefetch the batch's slots, then read them.
  private func lookUpLists(_ work: ChunkWork) {
    var start = 0
    let count = work.rows.count
    work.rows.withUnsafeMutableBufferPointer { rows in
      while start < count {
        let end = min(start + Self.lookupBatch, count)
        for i in start..<end {
          guard case .valid(let number) = rows[i].result else { continue }
          for index in dnc { index._withUnsafeGuaranteedRef { $0.prefetch(number.national) } }
          exclude?._withUnsafeGuaranteedRef { $0.prefetch(number.national) }
        }
        for i in start..<end {
          guard case .valid(let number) = rows[i].result else { continue }
          var flags: UInt8 = 0
          for index in dnc where index._withUnsafeGuaranteedRef({ $0.contains(number.national) }) {
            flags = ParsedRow.listedOnDNC
            break
          }
          if let exclude, exclude._withUnsafeGuaranteedRef({ $0.contains(number.national) }) { flags |= ParsedRow.seenBefore }
          rows[i].flags = flags
        }
        start = end
      }
    }
  }
}

/// A worker's render stage: decides each row's duplicate status from the dedup table, scores it and
/// renders it into the chunk's processed, filtered and rejects buffers, counting as it goes.
final class RowRenderer {
  // One worker uses them at a time: no dynamic exclusivity checks per row.
  @exclusivity(unchecked) private var scorer: AnswerScorer
  @exclusivity(unchecked) private var calling: CallingColumns?
  @exclusivity(unchecked) private var scratch: [UInt8] = []

  init(scorer: AnswerScorer, calling: CallingColumns?) {
    self.scorer = scorer
    self.calling = calling
    scratch.reserveCapacity(256)
  }

  func render(_ work: ChunkWork, settings: ClassifyPipeline.Settings) {
    work.resetRendered()
    let chunk = work.chunk
    let layout = settings.layout
    let out = work.processed
    let rejects = work.rejects
    let recordDelivered = settings.recordDelivered
    let filterCallable = settings.filterCallable
    let validateUTF8 = settings.validateUTF8 && !work.allValidUTF8
    let headerFields = settings.headerFieldCount
    let phoneColumn = settings.phoneColumn
    out.reserve(chunk.byteCount + work.rows.count * 96)
    var stats = RunStatistics()
    stats.blankLines = work.blankLines
    let firstRows = work.dedup.firstRows
    var nextDedup = 0
    for parsed in work.rows {
      let r = Int(parsed.record)
      let row = chunk.firstRow + r
      let fields = chunk.fieldCount(r)
      stats.rows += 1
      if fields != headerFields {
        stats.raggedRows += 1
        RunStatistics.note(row, in: &stats.raggedFirstRows)
      }
      if validateUTF8 && !UTF8Validation.isValid(chunk.slice(chunk.recordRange(r))) {
        stats.invalidUTF8Rows += 1
        RunStatistics.note(row, in: &stats.invalidUTF8FirstRows)
      }
      let start = out.count
      stats.excelSafeCells += layout.appendInputFields(of: r, in: chunk, upTo: headerFields, to: out)
      let phone = phoneColumn < fields ? chunk.rawField(r, phoneColumn) : nil
      switch parsed.result {
      case .valid(let number):
        let status: OutputLayout.ValidStatus
        if parsed.flags & ParsedRow.seenBefore != 0 {
          status = .seenInPreviousRun
        } else {
          let first = Int(firstRows[nextDedup])
          nextDedup += 1
          status = first == row ? .first : .duplicateOf(first)
        }
        let (lineType, answerClass) = layout.appendValid(
          number, dnc: parsed.flags & ParsedRow.listedOnDNC != 0, scored: scorer.score(number), status: status, to: out)
        let callable = calling != nil ? calling!.appendValid(number, to: out) : true
        stats.excelSafeCells += appendEnd(r, fields: fields, headerFields: headerFields, chunk: chunk, layout: layout, to: out)
        stats.regions[Int(number.region.index)] += 1
        stats.lineTypes[lineType] += 1
        if case .first = status {
          stats.valid += 1
          stats.classes[answerClass] += 1
          if answerClass == OutputLayout.likelyAnswerIndex && (callable || !filterCallable) {
            if let last = work.filtered.last, last.upperBound == start {
              work.filtered[work.filtered.count - 1] = last.lowerBound..<out.count
            } else {
              work.filtered.append(start..<out.count)
            }
            work.filteredCount += out.count - start
            stats.filteredRows += 1
            if recordDelivered { work.delivered.append(number.e164Value) }
          }
        } else {
          stats.duplicate += 1
          if case .seenInPreviousRun = status { stats.seenInPreviousRun += 1 }
          stats.classes[OutputLayout.duplicateIndex] += 1
          RunStatistics.note(row, in: &stats.duplicateRows)
          layout.appendRejectLine(row: row, phone: phone, duplicate: status, scratch: &scratch, to: rejects)
          stats.rejectRows += 1
        }
      case .invalid(let reason):
        layout.appendInvalid(reason, to: out)
        calling?.appendInvalid(to: out)
        stats.excelSafeCells += appendEnd(r, fields: fields, headerFields: headerFields, chunk: chunk, layout: layout, to: out)
        let index = OutputLayout.caseIndex(reason)
        stats.invalid += 1
        stats.reasons[index] += 1
        stats.classes[OutputLayout.invalidIndex] += 1
        RunStatistics.note(row, in: &stats.reasonRows[index])
        layout.appendRejectLine(row: row, phone: phone, reason: reason, scratch: &scratch, to: rejects)
        stats.rejectRows += 1
      }
    }
    work.statistics = stats
  }

  /// Appends a long row's fields past the header's count (after the appended columns) and the line
  /// end; returns the cells `--excel-safe` changed.
  @inline(__always)
  private func appendEnd(
    _ r: Int, fields: Int, headerFields: Int, chunk: RecordChunk, layout: OutputLayout, to out: OutputBytes
  ) -> Int {
    var changed = 0
    if fields > headerFields { changed = layout.appendExtraFields(of: r, in: chunk, from: headerFields, to: out) }
    out.append(10)
    return changed
  }
}
