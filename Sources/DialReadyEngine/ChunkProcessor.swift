import NANP
import Scoring
import TableIO

/// The parallel stage: normalizes, validates and scores every row of a chunk and renders its output,
/// without allocating per row. One processor per worker (it owns scratch buffers).
struct ChunkProcessor {
  let parser: PhoneNumberParser
  let phoneColumn: Int
  let headerFieldCount: Int
  let rendering: RowRendering
  private var calling: CallingColumns?
  private var scorer: AnswerScorer
  /// The lists, unretained: the job keeps them alive for the run, and a retain per row per list shows
  /// in profiles.
  private let dnc: [Unmanaged<DNCIndex>]
  private let exclude: Unmanaged<DNCIndex>?
  private var scratch: [UInt8] = []
  /// Rows parsed but not yet rendered while lists are looked up (see ``lookupBatch``), and their
  /// list flags (``listedOnDNC``, ``seenBefore``); both keep their capacity from chunk to chunk.
  private var batch: [(record: Int, result: PhoneParseResult)] = []
  private var batchFlags: [UInt8] = []
  private static let listedOnDNC: UInt8 = 1
  private static let seenBefore: UInt8 = 2

  init(
    parser: PhoneNumberParser, phoneColumn: Int, headerFieldCount: Int, rendering: RowRendering,
    scorer: AnswerScorer, callingCache: CallingWindowCache? = nil, dnc: [DNCIndex] = [], exclude: DNCIndex? = nil
  ) {
    self.scorer = scorer
    self.dnc = dnc.map { Unmanaged.passUnretained($0) }
    self.exclude = exclude.map { Unmanaged.passUnretained($0) }
    self.parser = parser
    self.phoneColumn = phoneColumn
    self.headerFieldCount = headerFieldCount
    self.rendering = rendering
    calling = callingCache.map { CallingColumns(cache: $0, table: parser.table) }
    scratch.reserveCapacity(256)
    if !dnc.isEmpty || exclude != nil {
      batch.reserveCapacity(Self.lookupBatch)
      batchFlags.reserveCapacity(Self.lookupBatch)
    }
  }

  /// Rows parsed before their lists are looked up. In an index of hundreds of megabytes a lookup is
  /// a cache miss and a TLB miss whose page walk holds up the core. Prefetched one row at a time,
  /// a microsecond of parsing apart, every walk stalled on its own (the prefetch was the hottest
  /// instruction of a profile); prefetched back to back for a batch, then read, they overlap.
  /// 32 and 64 measured alike, 256 worse (CPU time of `Scripts/bench-dnc.sh` runs; profile samples).
  static let lookupBatch = 64

  /// Processes every record of `work.chunk`, skipping the first when it is the header.
  mutating func process(_ work: ChunkWork, skipFirstRecord: Bool, validateUTF8: Bool) {
    let started = DispatchTime.nowNanoseconds
    work.reset()
    let chunk = work.chunk
    work.processed.reserve(chunk.byteCount + chunk.recordCount * 96)
    let batched = !dnc.isEmpty || exclude != nil
    for r in (skipFirstRecord ? 1 : 0)..<chunk.recordCount {
      if chunk.isBlank(r) {
        work.blankLines += 1
        continue
      }
      let result: PhoneParseResult
      if phoneColumn < chunk.fieldCount(r) {
        result = CSVField.withValue(chunk.rawField(r, phoneColumn), scratch: &scratch) { parser.parse($0) }
      } else {
        result = .invalid(.empty)
      }
      guard batched else {
        render(record: r, result: result, flags: 0, into: work, validateUTF8: validateUTF8)
        continue
      }
      batch.append((r, result))
      if batch.count == Self.lookupBatch { renderBatch(into: work, validateUTF8: validateUTF8) }
    }
    if !batch.isEmpty { renderBatch(into: work, validateUTF8: validateUTF8) }
    work.workNanoseconds = DispatchTime.nowNanoseconds - started
  }

  /// Looks up the lists for every valid number of ``batch`` (prefetching them all first), then
  /// renders its rows in order and empties it.
  private mutating func renderBatch(into work: ChunkWork, validateUTF8: Bool) {
    for row in batch {
      guard case .valid(let number) = row.result else { continue }
      for index in dnc { index._withUnsafeGuaranteedRef { $0.prefetch(number.national) } }
      exclude?._withUnsafeGuaranteedRef { $0.prefetch(number.national) }
    }
    batchFlags.removeAll(keepingCapacity: true)
    for row in batch {
      var flags: UInt8 = 0
      if case .valid(let number) = row.result {
        for index in dnc where index._withUnsafeGuaranteedRef({ $0.contains(number.national) }) {
          flags = Self.listedOnDNC
          break
        }
        if let exclude, exclude._withUnsafeGuaranteedRef({ $0.contains(number.national) }) { flags |= Self.seenBefore }
      }
      batchFlags.append(flags)
    }
    for i in 0..<batch.count {
      let row = batch[i]
      render(record: row.record, result: row.result, flags: batchFlags[i], into: work, validateUTF8: validateUTF8)
    }
    batch.removeAll(keepingCapacity: true)
  }

  /// Renders one data row of `work.chunk` with its list `flags` and records its outcome.
  private mutating func render(record r: Int, result: PhoneParseResult, flags: UInt8, into work: ChunkWork, validateUTF8: Bool) {
    let chunk = work.chunk
    let out = work.processed
    let row = UInt32(chunk.firstRow + r)
    let fields = chunk.fieldCount(r)
    let invalidUTF8 = validateUTF8 && !UTF8Validation.isValid(chunk.slice(chunk.recordRange(r)))
    work.excelSafeCells += rendering.appendInputFields(of: r, in: chunk, upTo: headerFieldCount, to: out)
    var outcome = RowOutcome(
      key: 0, row: row, record: UInt32(r), end: 0, statusAt: 0, regionAt: 0, classAt: 0,
      rejectEnd: UInt32(work.rejects.count), reason: 0, region: 0, lineType: 0, answerClass: 0,
      ragged: fields != headerFieldCount, invalidUTF8: invalidUTF8)
    switch result {
    case .valid(let number):
      let listed = flags & Self.listedOnDNC != 0
      rendering.appendValid(number, dnc: listed, scored: scorer.score(number), to: out, outcome: &outcome)
      if flags & Self.seenBefore != 0 { outcome.seen = true }
      if calling != nil { outcome.callable = calling!.appendValid(number, to: out) }
    case .invalid(let reason):
      rendering.appendInvalid(reason, to: out, outcome: &outcome)
      calling?.appendInvalid(to: out)
      rendering.appendRejectLine(
        row: row, phone: phoneColumn < fields ? chunk.rawField(r, phoneColumn) : nil,
        delimiterIsComma: chunk.delimiter == UInt8(ascii: ","), reason: reason, scratch: &scratch, to: work.rejects)
      outcome.rejectEnd = UInt32(work.rejects.count)
    }
    if fields > headerFieldCount {
      work.excelSafeCells += rendering.appendExtraFields(of: r, in: chunk, from: headerFieldCount, to: out)
    }
    out.append(10)
    outcome.end = UInt32(out.count)
    work.rows.append(outcome)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum DispatchTime {
  /// Monotonic clock in nanoseconds.
  static var nowNanoseconds: UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
  }
}
