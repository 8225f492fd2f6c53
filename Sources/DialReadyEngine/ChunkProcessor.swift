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
  /// Rows parsed but not yet rendered (see ``lookahead``): a ring of `lookahead + 1` slots.
  private var pending = [(Int, PhoneParseResult)](repeating: (0, .invalid(.empty)), count: ChunkProcessor.lookahead + 1)

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
  }

  /// Rows parsed ahead of the one being rendered when lists are looked up, so each row's
  /// do-not-call read is prefetched while the next rows parse (an index is mostly cache misses).
  static let lookahead = 8

  /// Processes every record of `work.chunk`, skipping the first when it is the header.
  mutating func process(_ work: ChunkWork, skipFirstRecord: Bool, validateUTF8: Bool) {
    let started = DispatchTime.nowNanoseconds
    work.reset()
    let chunk = work.chunk
    work.processed.reserve(chunk.byteCount + chunk.recordCount * 96)
    let pipelined = !dnc.isEmpty || exclude != nil
    var head = 0
    var queued = 0
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
      guard pipelined else {
        render(record: r, result: result, into: work, validateUTF8: validateUTF8)
        continue
      }
      if case .valid(let number) = result {
        for index in dnc { index._withUnsafeGuaranteedRef { $0.prefetch(number.national) } }
        exclude?._withUnsafeGuaranteedRef { $0.prefetch(number.national) }
      }
      // Render the row parsed `lookahead` rows ago, then keep this one in its slot.
      if queued == pending.count {
        let (record, parsed) = pending[head]
        render(record: record, result: parsed, into: work, validateUTF8: validateUTF8)
        pending[head] = (r, result)
        head = head == pending.count - 1 ? 0 : head + 1
      } else {
        pending[(head + queued) % pending.count] = (r, result)
        queued += 1
      }
    }
    while queued > 0 {
      let (record, parsed) = pending[head]
      render(record: record, result: parsed, into: work, validateUTF8: validateUTF8)
      head = head == pending.count - 1 ? 0 : head + 1
      queued -= 1
    }
    work.workNanoseconds = DispatchTime.nowNanoseconds - started
  }

  /// Renders one data row of `work.chunk` and records its outcome.
  private mutating func render(record r: Int, result: PhoneParseResult, into work: ChunkWork, validateUTF8: Bool) {
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
      var listed = false
      for index in dnc where index._withUnsafeGuaranteedRef({ $0.contains(number.national) }) {
        listed = true
        break
      }
      rendering.appendValid(number, dnc: listed, scored: scorer.score(number), to: out, outcome: &outcome)
      if let exclude, exclude._withUnsafeGuaranteedRef({ $0.contains(number.national) }) { outcome.seen = true }
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
