import CPrefetch
import Foundation
import NANP
import Scoring

/// Past call outcomes (`--history FILE`: phone, timestamp, outcome), as the calls themselves (for
/// training) and summed per number (for scoring), keyed by the 10-digit number.
public final class CallHistory: @unchecked Sendable {  // Written only while loading, in `init`; read-only after.
  /// One call.
  public struct Call: Sendable {
    public var national: UInt64
    public var time: Int64
    public var outcome: CallOutcome
  }

  /// Every readable call, in file order.
  public private(set) var calls: [Call] = []
  /// Rows whose outcome word is unknown, with the first rows.
  public private(set) var unknownOutcomes = 0
  public private(set) var firstUnknownOutcomeRows: [Int] = []
  /// Rows whose timestamp does not parse, with the first rows.
  public private(set) var badTimestamps = 0
  public private(set) var firstBadTimestampRows: [Int] = []
  /// Rows whose phone does not parse.
  public private(set) var invalidPhones = 0
  /// Number → index into `summaries`.
  private let index: DedupIndex
  private var summaries: [NumberHistory] = []

  /// Loads a history file; rows it cannot use are counted, never silently skipped. `keepCalls: false`
  /// keeps only the per-number summaries (all scoring needs), not every call (what training needs).
  public init(path: String, keepCalls: Bool = true) throws(DialReadyError) {
    // Sized from the file (about 40 bytes a call, a few calls a number) so the table rarely grows.
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    index = DedupIndex(capacity: max(1 << 16, size / 40 / 3))
    let scan = try TableScan(path: path)
    let parser = PhoneNumberParser(allowedRegions: .all)
    let phone = try scan.phoneColumn(parser: parser)
    guard let timeColumn = scan.column(["timestamp", "time", "calledat", "calltime", "datetime", "date", "startedat", "starttime"]) else {
      throw .lookupColumnMissing(path: path, column: "timestamp", columns: scan.header)
    }
    guard let outcomeColumn = scan.column(["outcome", "result", "disposition", "status", "callresult"]) else {
      throw .lookupColumnMissing(path: path, column: "outcome", columns: scan.header)
    }
    // Counted in locals: the closure runs once per row, and class properties cost an exclusivity check each.
    var calls: [Call] = []
    var invalidPhones = 0
    var badTimestamps = 0
    var firstBadTimestampRows: [Int] = []
    var unknownOutcomes = 0
    var firstUnknownOutcomeRows: [Int] = []
    let clock = LocalClock(table: parser.table)
    // Two stages on two threads: this one reads and parses rows into batches; an aggregator folds
    // them into the per-number table, prefetching 32 slots at a time so the random reads of a large
    // history overlap. A bounded queue of batches keeps memory flat.
    let aggregator = HistoryAggregator(index: index)
    var batch = HistoryAggregator.Batch()
    batch.reserveCapacity(HistoryAggregator.batchSize)
    // On a read error the aggregator is still closed and joined, so its thread never waits forever.
    var finished = false
    defer { if !finished { _ = aggregator.finish() } }
    try scan.forEachRow { row, field in
      guard case .valid(let number) = parser.parse(field(phone)) else {
        invalidPhones += 1
        return
      }
      guard let time = Timestamp.parse(field(timeColumn)) else {
        badTimestamps += 1
        if firstBadTimestampRows.count < 100 { firstBadTimestampRows.append(row) }
        return
      }
      guard let outcome = CallOutcome(bytes: field(outcomeColumn)) else {
        unknownOutcomes += 1
        if firstUnknownOutcomeRows.count < 100 { firstUnknownOutcomeRows.append(row) }
        return
      }
      if keepCalls { calls.append(Call(national: number.national, time: time, outcome: outcome)) }
      batch.append((number.national, time, outcome, clock.local(national: number.national, at: time)?.hour))
      if batch.count == HistoryAggregator.batchSize {
        aggregator.enqueue(batch)
        batch.removeAll(keepingCapacity: true)
      }
    }
    aggregator.enqueue(batch)
    let summaries = aggregator.finish()
    finished = true
    self.calls = calls
    self.summaries = summaries
    self.invalidPhones = invalidPhones
    self.badTimestamps = badTimestamps
    self.firstBadTimestampRows = firstBadTimestampRows
    self.unknownOutcomes = unknownOutcomes
    self.firstUnknownOutcomeRows = firstUnknownOutcomeRows
    if summaries.isEmpty {
      throw .input(.spreadsheet(path: path, .invalidBody("no usable call in the history file (\(badTimestamps) bad timestamps, \(unknownOutcomes) unknown outcomes)")))
    }
  }

  /// Everything known about a number's earlier calls.
  @inline(__always)
  public func history(_ national: UInt64) -> NumberHistory? {
    index.value(for: national).map { summaries[Int($0)] }
  }

  /// One line for the user about rows that could not be used, or `nil`.
  public var warning: String? {
    guard badTimestamps + unknownOutcomes + invalidPhones > 0 else { return nil }
    var parts: [String] = []
    if badTimestamps > 0 { parts.append("\(badTimestamps) rows with unreadable timestamps (first rows \(firstBadTimestampRows.prefix(5).map(String.init).joined(separator: ", ")))") }
    if unknownOutcomes > 0 { parts.append("\(unknownOutcomes) rows with unknown outcomes (first rows \(firstUnknownOutcomeRows.prefix(5).map(String.init).joined(separator: ", ")))") }
    if invalidPhones > 0 { parts.append("\(invalidPhones) rows with invalid phones") }
    return parts.joined(separator: "; ") + " were not used"
  }
}

/// The second stage of loading a history: folds batches of parsed calls into the per-number table on
/// its own thread, while the loading thread reads and parses the next rows.
private final class HistoryAggregator: @unchecked Sendable {  // `queue` and `closed` under `condition`; `index` is its thread's until `finish`.
  typealias Batch = [(national: UInt64, time: Int64, outcome: CallOutcome, hour: Int?)]
  static let batchSize = 1 << 14

  private let index: DedupIndex
  private let condition = NSCondition()
  private var queue: [Batch] = []
  private var closed = false
  private var done = false
  private var summaries: [NumberHistory] = []

  init(index: DedupIndex) {
    self.index = index
    // The thread holds the aggregator until `finish()` lets it end; the aggregator does not hold the
    // thread (that cycle would outlive both).
    let thread = Thread { self.run() }
    thread.stackSize = 1 << 20
    thread.start()
  }

  /// Hands a batch over; waits while a few are already queued.
  func enqueue(_ batch: Batch) {
    guard !batch.isEmpty else { return }
    condition.lock()
    while queue.count >= 4 { condition.wait() }
    queue.append(batch)
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for every batch to be folded in and returns the summaries (row order of `index`).
  func finish() -> [NumberHistory] {
    condition.lock()
    closed = true
    condition.broadcast()
    while !done { condition.wait() }
    condition.unlock()
    return summaries
  }

  private func run() {
    var summaries: [NumberHistory] = []
    while true {
      condition.lock()
      while queue.isEmpty && !closed { condition.wait() }
      if queue.isEmpty {
        self.summaries = summaries
        done = true
        condition.broadcast()
        condition.unlock()
        return
      }
      let batch = queue.removeFirst()
      condition.broadcast()
      condition.unlock()
      // 32 calls at a time, in three passes so each pass's random reads overlap: prefetch the table
      // slots; look the rows up (new numbers get a fresh summary) and prefetch their summaries; record.
      var rows = [Int](repeating: 0, count: 32)
      var start = 0
      while start < batch.count {
        let end = min(start + 32, batch.count)
        for i in start..<end { index.prefetchWithRow(batch[i].national) }
        for i in start..<end {
          if let at = index.insertOrFirstRow(batch[i].national, row: UInt32(summaries.count)) {
            rows[i - start] = Int(at)
          } else {
            rows[i - start] = summaries.count
            summaries.append(NumberHistory())
          }
        }
        summaries.withUnsafeBufferPointer { all in
          for i in 0..<(end - start) { cprefetch_read(all.baseAddress! + rows[i]) }
        }
        for i in start..<end {
          let entry = batch[i]
          summaries[rows[i - start]].record(entry.outcome, at: entry.time, localHour: entry.hour)
        }
        start = end
      }
    }
  }
}
