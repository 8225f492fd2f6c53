/// Writes worksheet rows into chunks the same way for every spreadsheet format: empty cells between
/// cells become empty fields, rows shorter than the header are padded to it (spreadsheets omit
/// trailing empty cells), and rows a sheet skips, or whose cells hold no value, become blank records so
/// row numbers match the sheet.
struct SheetRowWriter {
  /// Records a chunk holds at most, blank ones included: blank rows take no bytes, so a byte budget
  /// alone would put a whole sheet of cleared rows into one chunk.
  static let maxRecordsPerChunk = 1 << 16
  /// Cells in the header row (the first row written).
  private(set) var headerWidth = 0
  /// Bounds on columns and cell sizes.
  let limits: ReaderLimits

  init(limits: ReaderLimits = ReaderLimits()) { self.limits = limits }

  /// Appends `count` blank records for rows the sheet skips.
  func appendSkippedRows(_ count: Int, to chunk: RecordChunk) {
    for _ in 0..<max(0, count) {
      chunk.beginRecord()
      chunk.endRecord()
    }
  }

  /// Appends one row whose cells, sorted by column, hold text at `start..<end` of `texts`.
  /// Refuses (before writing anything) a row with more columns or longer cells than the limits allow.
  mutating func appendRow(
    _ cells: ArraySlice<(column: Int, start: Int, end: Int)>, texts: OutputBytes, row: Int, to chunk: RecordChunk
  ) throws(SpreadsheetError) {
    if let last = cells.last, last.column >= limits.maxColumns {
      throw .limitExceeded(LimitExceeded(.columns, limits, at: "row \(row)"))
    }
    for cell in cells where cell.end - cell.start > limits.maxFieldBytes {
      throw .limitExceeded(LimitExceeded(.fieldBytes, limits, at: "row \(row), column \(cell.column + 1)"))
    }
    // A row whose cells hold no value (styled cells a user cleared) is a blank row, as a blank line
    // of a CSV is: skipped and counted, keeping the row numbering. The header row is written as is.
    if headerWidth > 0 && !cells.contains(where: { $0.end > $0.start }) {
      appendSkippedRows(1, to: chunk)
      return
    }
    chunk.beginRecord()
    var column = 0
    for cell in cells where cell.column >= column {
      chunk.appendEmptyFields(cell.column - column)
      chunk.appendField(texts.slice(cell.start..<cell.end))
      column = cell.column + 1
    }
    if headerWidth == 0 {
      headerWidth = column
    } else if column > 0 {
      chunk.appendEmptyFields(headerWidth - column)
    }
    chunk.endRecord()
  }

  /// The index of the worksheet `requested` (a name, matched exactly then ignoring case, or a 1-based
  /// number) among `names`; the first sheet when `requested` is `nil`.
  static func sheetIndex(_ requested: String?, in names: [String]) throws(SpreadsheetError) -> Int {
    guard !names.isEmpty else { throw .noWorksheet }
    guard let requested else { return 0 }
    if let at = names.firstIndex(of: requested) ?? names.firstIndex(where: { $0.lowercased() == requested.lowercased() }) {
      return at
    }
    if let number = Int(requested), number >= 1, number <= names.count { return number - 1 }
    throw .sheetNotFound(requested: requested, available: names)
  }
}
