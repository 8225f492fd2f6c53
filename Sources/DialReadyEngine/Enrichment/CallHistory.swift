import Foundation
import NANP
import Scoring

/// Past call outcomes (`--history FILE`: phone, timestamp, outcome), as the calls themselves (for
/// training) and summed per number (for scoring), keyed by the 10-digit number.
public final class CallHistory: @unchecked Sendable {
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
    var summaries: [NumberHistory] = []
    var invalidPhones = 0
    var badTimestamps = 0
    var firstBadTimestampRows: [Int] = []
    var unknownOutcomes = 0
    var firstUnknownOutcomeRows: [Int] = []
    let index = self.index
    let clock = LocalClock(table: parser.table)
    // Rows are aggregated in batches: their table slots are prefetched first, then updated, so the
    // random reads of a large history overlap instead of stalling one row at a time.
    var batch: [(national: UInt64, time: Int64, outcome: CallOutcome, hour: Int?)] = []
    batch.reserveCapacity(32)
    func flush() {
      for entry in batch { index.prefetch(entry.national) }
      for entry in batch {
        if let at = index.insertOrFirstRow(entry.national, row: UInt32(summaries.count)) {
          summaries[Int(at)].record(entry.outcome, at: entry.time, localHour: entry.hour)
        } else {
          var fresh = NumberHistory()
          fresh.record(entry.outcome, at: entry.time, localHour: entry.hour)
          summaries.append(fresh)
        }
      }
      batch.removeAll(keepingCapacity: true)
    }
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
      if batch.count == 32 { flush() }
    }
    flush()
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
