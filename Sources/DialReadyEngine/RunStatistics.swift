import NANP
import Scoring

/// Counts kept by the ordered stage: by status, reason, region, line type and class, with the first
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
  var raggedRows = 0
  var raggedFirstRows: [Int] = []
  var invalidUTF8Rows = 0
  var invalidUTF8FirstRows: [Int] = []

  @inline(__always)
  static func note(_ row: Int, in list: inout [Int]) {
    if list.count < firstRowsLimit { list.append(row) }
  }
}
