import TableIO

/// What the workers produce for one chunk, for the ordered stage: each row rendered as it would appear
/// in `processed.csv` if it is not a duplicate, plus what the ordered stage needs to decide and count.
final class ChunkWork: @unchecked Sendable {
  /// The records this work was made from (recycled together).
  let chunk = RecordChunk()
  /// Rendered `processed.csv` rows, LF-terminated.
  let processed = OutputBytes(capacity: 1 << 21)
  /// Rendered `rejects.csv` lines of invalid rows.
  let rejects = OutputBytes(capacity: 1 << 16)
  /// One entry per data row (blank lines are not rows of the output).
  @exclusivity(unchecked) var rows: [RowOutcome] = []
  /// Blank lines skipped in this chunk.
  @exclusivity(unchecked) var blankLines = 0
  /// Cells `--excel-safe` prefixed in this chunk.
  @exclusivity(unchecked) var excelSafeCells = 0
  /// Input bytes read once this chunk was filled (for progress).
  var sourceOffset = 0
  /// Time the worker spent, in nanoseconds.
  var workNanoseconds: UInt64 = 0

  init() { rows.reserveCapacity(16384) }

  func reset() {
    processed.removeAll()
    rejects.removeAll()
    rows.removeAll(keepingCapacity: true)
    blankLines = 0
    excelSafeCells = 0
    workNanoseconds = 0
  }
}

/// One data row's outcome, as the ordered stage needs it.
struct RowOutcome {
  /// E.164 as a number (`12125551234`), or 0 when the row is invalid.
  var key: UInt64
  /// Spreadsheet row number.
  var row: UInt32
  /// Record index in the chunk (to re-read the phone field for a duplicate's reject line).
  var record: UInt32
  /// End of the row in `processed`; it starts where the previous row ended.
  var end: UInt32
  /// Offsets in `processed` where the `status`, `region` and `classification` columns start.
  var statusAt: UInt32
  var regionAt: UInt32
  var classAt: UInt32
  /// End of this row's line in `rejects` (invalid rows only).
  var rejectEnd: UInt32
  /// `RejectReason` index + 1, or 0 when valid.
  var reason: UInt8
  var region: UInt8
  var lineType: UInt8
  var answerClass: UInt8
  /// Fewer or more fields than the header.
  var ragged: Bool
  /// Bytes that are not valid UTF-8 (kept as they are).
  var invalidUTF8: Bool
  /// Inside the calling window (always true without calling windows).
  var callable: Bool = true
  /// Delivered on an earlier run (`--exclude`): reported as a duplicate of that run.
  var seen: Bool = false
}
