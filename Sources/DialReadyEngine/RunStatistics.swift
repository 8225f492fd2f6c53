import NANP
import Scoring

/// Counts of a run (or of one chunk, added up in input order): by status, reason, region, line type and class, with the first
/// row numbers of each reject reason and of each input problem.
struct RunStatistics {
  /// How many row numbers are kept per reason.
  static let firstRowsLimit = 100

  var rows = 0
  var blankLines = 0
  var excelSafeCells = 0
  var valid = 0
  var invalid = 0
  var duplicate = 0
  /// Duplicates of numbers delivered on earlier runs (`--exclude`).
  var seenInPreviousRun = 0
  var reasons = [Int](repeating: 0, count: RejectReason.allCases.count)
  var reasonRows = [[Int]](repeating: [], count: RejectReason.allCases.count)
  var duplicateRows: [Int] = []
  var regions = [Int](repeating: 0, count: Region.allCodes.count)
  var lineTypes = [Int](repeating: 0, count: LineType.allCases.count)
  var classes = [Int](repeating: 0, count: AnswerClass.allCases.count)
  /// Rows of `processed-filtered.csv` and of `rejects.csv`.
  var filteredRows = 0
  var rejectRows = 0
  var raggedRows = 0
  var raggedFirstRows: [Int] = []
  var invalidUTF8Rows = 0
  var invalidUTF8FirstRows: [Int] = []

  /// Adds the counts of the chunk that follows; its first rows come after this run's.
  mutating func add(_ chunk: RunStatistics) {
    rows += chunk.rows
    blankLines += chunk.blankLines
    excelSafeCells += chunk.excelSafeCells
    valid += chunk.valid
    invalid += chunk.invalid
    duplicate += chunk.duplicate
    seenInPreviousRun += chunk.seenInPreviousRun
    for i in reasons.indices {
      reasons[i] += chunk.reasons[i]
      Self.note(chunk.reasonRows[i], in: &reasonRows[i])
    }
    Self.note(chunk.duplicateRows, in: &duplicateRows)
    for i in regions.indices { regions[i] += chunk.regions[i] }
    for i in lineTypes.indices { lineTypes[i] += chunk.lineTypes[i] }
    for i in classes.indices { classes[i] += chunk.classes[i] }
    filteredRows += chunk.filteredRows
    rejectRows += chunk.rejectRows
    raggedRows += chunk.raggedRows
    Self.note(chunk.raggedFirstRows, in: &raggedFirstRows)
    invalidUTF8Rows += chunk.invalidUTF8Rows
    Self.note(chunk.invalidUTF8FirstRows, in: &invalidUTF8FirstRows)
  }

  private static func note(_ rows: [Int], in list: inout [Int]) {
    if list.count < firstRowsLimit { list.append(contentsOf: rows.prefix(firstRowsLimit - list.count)) }
  }

  @inline(__always)
  static func note(_ row: Int, in list: inout [Int]) {
    if list.count < firstRowsLimit { list.append(row) }
  }
}
