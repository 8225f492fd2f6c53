import NANP
import TableIO

/// One slot of the pipeline: a chunk of records and everything the stages make of it, reused chunk
/// after chunk (arrays and buffers keep their capacity, so a run allocates only while the first
/// chunks grow them).
///
/// A slot belongs to one item at a time, and the executor runs one stage of an item at a time, so
/// a stage has the slot to itself.
final class ChunkWork {
  /// The records.
  let chunk = RecordChunk()
  /// Where a file range was split from and what splitting found (parallel reading only).
  @exclusivity(unchecked) var loaded: CSVFileRanges.Loaded?
  /// An error reading the chunk (streaming reading), raised when the chunk's turn comes.
  @exclusivity(unchecked) var readError: TableIOError?
  /// Input bytes read once this chunk was read (for progress).
  @exclusivity(unchecked) var sourceOffset = 0
  /// Whether the chunk was parsed (stage 2); a chunk split again must be parsed again.
  @exclusivity(unchecked) var parsed = false
  /// Whether every byte of the chunk is valid UTF-8 (checked once, so rows need no check of their own).
  @exclusivity(unchecked) var allValidUTF8 = false

  /// One entry per data row (blank lines are not rows of the output).
  @exclusivity(unchecked) var rows: [ParsedRow] = []
  /// Blank lines skipped in this chunk.
  @exclusivity(unchecked) var blankLines = 0
  /// The valid rows' numbers and row numbers, for the dedup table.
  @exclusivity(unchecked) var dedup = ShardedDedupIndex.Batch()

  /// Rendered rows of `processed.csv` and `rejects.csv`.
  let processed = OutputBytes(capacity: 1 << 21)
  let rejects = OutputBytes(capacity: 1 << 16)
  /// The rows of `processed-filtered.csv`: ranges of ``processed`` (adjacent rows merged), written
  /// from there rather than copied.
  @exclusivity(unchecked) var filtered: [Range<Int>] = []
  /// Bytes in ``filtered``.
  @exclusivity(unchecked) var filteredCount = 0
  /// Counts of this chunk's rows.
  @exclusivity(unchecked) var statistics = RunStatistics()
  /// Numbers written to the filtered file (`--record` only).
  @exclusivity(unchecked) var delivered: [UInt64] = []
  /// Where each buffer goes in its output.
  @exclusivity(unchecked) var processedOffset = 0
  @exclusivity(unchecked) var filteredOffset = 0
  @exclusivity(unchecked) var rejectsOffset = 0

  init() { rows.reserveCapacity(16384) }

  /// The filtered rows' bytes, in order.
  var filteredPieces: [UnsafeRawBufferPointer] {
    let processed = processed
    return filtered.map { processed.slice($0) }
  }

  /// Clears what the parse stage makes.
  func resetParsed() {
    rows.removeAll(keepingCapacity: true)
    blankLines = 0
    parsed = false
    allValidUTF8 = false
  }

  /// Clears what the render stage makes.
  func resetRendered() {
    processed.removeAll()
    filtered.removeAll(keepingCapacity: true)
    filteredCount = 0
    rejects.removeAll()
    statistics = RunStatistics()
    delivered.removeAll(keepingCapacity: true)
  }
}

/// A data row after parsing: its record, its number (or why it has none) and its list flags.
struct ParsedRow {
  /// Record index in the chunk.
  var record: UInt32
  /// ``ParsedRow/listedOnDNC`` and ``ParsedRow/seenBefore``.
  var flags: UInt8
  var result: PhoneParseResult

  static let listedOnDNC: UInt8 = 1
  static let seenBefore: UInt8 = 2
}
