import NANP
import Scoring
import TableIO

/// The sequential stage: takes processed chunks in input order, removes duplicates (first occurrence
/// wins, by E.164), counts, and writes the four outputs.
final class OrderedStage {
  let processed: OutputFile
  let filtered: OutputFile
  let rejects: OutputFile
  let rendering: RowRendering
  let maxRows: Int?
  let path: String
  /// Leave rows outside the calling window out of the filtered file.
  var filterCallable = false
  private let dedup: DedupIndex
  @exclusivity(unchecked) private(set) var statistics = RunStatistics()
  private var scratch: [UInt8] = []
  private let likelyAnswer = UInt8(AnswerClass.allCases.firstIndex(of: .likelyAnswer)!)
  private let duplicateClass = AnswerClass.allCases.firstIndex(of: .duplicate)!

  /// `expectedRows` sizes the dedup table up front, so it does not have to grow (and briefly hold two
  /// copies) on a large input.
  init(
    processed: OutputFile, filtered: OutputFile, rejects: OutputFile, rendering: RowRendering, maxRows: Int?, path: String,
    expectedRows: Int
  ) {
    dedup = DedupIndex(capacity: min(expectedRows, 1 << 28) / 7 * 10 + 16)
    self.processed = processed
    self.filtered = filtered
    self.rejects = rejects
    self.rendering = rendering
    self.maxRows = maxRows
    self.path = path
  }

  /// Bytes held by the dedup table.
  var dedupMemoryBytes: Int { dedup.memoryBytes }

  /// Consumes the next chunk in input order.
  func consume(_ work: ChunkWork) throws(DialReadyError) {
    let rendered = work.processed
    statistics.blankLines += work.blankLines
    statistics.excelSafeCells += work.excelSafeCells
    var rowStart = 0
    var runStart = 0
    var rejectStart = 0
    for outcome in work.rows {
      let end = Int(outcome.end)
      statistics.rows += 1
      if let maxRows, statistics.rows > maxRows { throw .tooManyRows(path: path, limit: maxRows) }
      let row = Int(outcome.row)
      if outcome.ragged {
        statistics.raggedRows += 1
        RunStatistics.note(row, in: &statistics.raggedFirstRows)
      }
      if outcome.invalidUTF8 {
        statistics.invalidUTF8Rows += 1
        RunStatistics.note(row, in: &statistics.invalidUTF8FirstRows)
      }
      if outcome.key != 0 {
        if outcome.seen {
          try processed.write(rendered.slice(runStart..<rowStart))
          try writeDuplicate(outcome, rowStart: rowStart, reason: .seenInPreviousRun, work: work)
          runStart = end
          statistics.duplicate += 1
          statistics.seenInPreviousRun += 1
          statistics.classes[duplicateClass] += 1
          statistics.lineTypes[Int(outcome.lineType)] += 1
          statistics.regions[Int(outcome.region)] += 1
          RunStatistics.note(row, in: &statistics.duplicateRows)
        } else if let first = dedup.insertOrFirstRow(outcome.key, row: outcome.row) {
          try processed.write(rendered.slice(runStart..<rowStart))
          try writeDuplicate(outcome, rowStart: rowStart, reason: .duplicateOf(Int(first)), work: work)
          runStart = end
          statistics.duplicate += 1
          statistics.classes[duplicateClass] += 1
          statistics.lineTypes[Int(outcome.lineType)] += 1
          statistics.regions[Int(outcome.region)] += 1
          RunStatistics.note(row, in: &statistics.duplicateRows)
        } else {
          statistics.valid += 1
          statistics.regions[Int(outcome.region)] += 1
          statistics.lineTypes[Int(outcome.lineType)] += 1
          statistics.classes[Int(outcome.answerClass)] += 1
          if outcome.answerClass == likelyAnswer && (outcome.callable || !filterCallable) {
            try filtered.write(rendered.slice(rowStart..<end))
            filtered.rows += 1
            if recordDelivered { delivered.append(outcome.key) }
          }
        }
      } else {
        statistics.invalid += 1
        let reason = Int(outcome.reason) - 1
        statistics.reasons[reason] += 1
        statistics.classes[Int(outcome.answerClass)] += 1
        RunStatistics.note(row, in: &statistics.reasonRows[reason])
        try rejects.write(work.rejects.slice(rejectStart..<Int(outcome.rejectEnd)))
        rejects.rows += 1
        rejectStart = Int(outcome.rejectEnd)
      }
      processed.rows += 1
      rowStart = end
    }
    try processed.write(rendered.slice(runStart..<rowStart))
  }

  /// Why a valid row is reported as a duplicate.
  enum DuplicateReason {
    case duplicateOf(Int)
    case seenInPreviousRun

    func append(to out: OutputBytes) {
      switch self {
      case .duplicateOf(let row):
        out.append("duplicate_of_row_")
        out.appendDecimal(row)
      case .seenInPreviousRun:
        out.append("seen_in_previous_run")
      }
    }
  }

  /// Numbers written to the filtered file, kept for `--record`.
  var recordDelivered = false
  private(set) var delivered: [UInt64] = []

  private func writeDuplicate(_ outcome: RowOutcome, rowStart: Int, reason: DuplicateReason, work: ChunkWork) throws(DialReadyError) {
    let rendered = work.processed
    try processed.write(rendered.slice(rowStart..<Int(outcome.statusAt)))
    let tail = processed.pending
    tail.append("duplicate,")
    reason.append(to: tail)
    tail.append(UInt8(ascii: ","))
    try processed.flushIfFull()
    try processed.write(rendered.slice(Int(outcome.regionAt)..<Int(outcome.classAt)))
    try processed.write("Duplicate")
    // A long row's extra fields follow the classification column.
    let afterClass = Int(outcome.classAt) + Self.validClassLength(rendered, from: Int(outcome.classAt), to: Int(outcome.end))
    try processed.write(rendered.slice(afterClass..<Int(outcome.end)))

    let line = rejects.pending
    line.appendDecimal(Int(outcome.row))
    line.append(UInt8(ascii: ","))
    let chunk = work.chunk
    let record = Int(outcome.record)
    CSVField.withValue(chunk.rawField(record, phoneColumnIndex), scratch: &scratch) {
      rendering.appendSafeValue($0, to: line)
    }
    line.append(UInt8(ascii: ","))
    reason.append(to: line)
    line.append(10)
    rejects.rows += 1
    try rejects.flushIfFull()
  }

  /// Index of the phone column (set once the header is read).
  var phoneColumnIndex = 0

  /// Length of the class text starting at `from`: up to the next comma or the row's LF.
  private static func validClassLength(_ bytes: OutputBytes, from: Int, to: Int) -> Int {
    var i = from
    while i < to && bytes.base[i] != UInt8(ascii: ",") && bytes.base[i] != 10 { i += 1 }
    return i - from
  }
}
