/// Reads one worksheet of a legacy `.xls` workbook (OLE2 compound file, BIFF8 records) as records.
///
/// BIFF8 sheets hold at most 65,536 rows, so the sheet's cell texts are decoded once into one buffer
/// and handed out chunk by chunk. Skipped rows become blank lines so row numbers match the sheet.
public final class XLSRecordReader: RecordReader {
  public var format: InputFormat { .xls }
  public var encodingName: String { "utf-8" }
  public var hadByteOrderMark: Bool { false }
  public var delimiterName: String { "," }
  public let sheetName: String?
  public let sheetNames: [String]
  public var declaredPhoneColumn: String? { nil }
  public var declaredFilename: String? { nil }
  public var passesBytesThrough: Bool { false }
  public var endedInsideQuotes: Bool { false }
  public var bytesRead: Int { emitted == rows.count ? file.bytes.count : 0 }
  public var fileToHash: String? { file.path }

  private let file: SpooledFile
  private let chunkSize: Int
  private let texts = OutputBytes(capacity: 1 << 16)
  /// Per sheet row with cells: its 0-based row index and the range of its cells in `cells`.
  private var rows: [(row: Int, cells: Range<Int>)] = []
  private var cells: [(column: Int, start: Int, end: Int)] = []
  private var emitted = 0
  private var lastRow = -1
  private var nextSequence = 0
  private var writer: SheetRowWriter

  /// Opens the workbook and decodes the worksheet `sheet` (name or 1-based number; the first by default).
  public init(
    file: SpooledFile, sheet: String?, chunkSize: Int = 1 << 20, limits: ReaderLimits = ReaderLimits()
  ) throws(TableIOError) {
    self.file = file
    self.chunkSize = chunkSize
    writer = SheetRowWriter(limits: limits)
    do {
      let compound = try CompoundFile(bytes: Array(file.bytes))
      if compound.streamNames.contains("EncryptedPackage") || compound.streamNames.contains("EncryptionInfo") {
        throw SpreadsheetError.encrypted
      }
      let workbook = try XLSWorkbook(compoundFile: compound)
      let names = workbook.sheetNames
      let index = try SheetRowWriter.sheetIndex(sheet, in: names)
      sheetNames = names
      sheetName = names[index]
      let texts = self.texts
      var rows: [(row: Int, cells: Range<Int>)] = []
      var cells: [(column: Int, start: Int, end: Int)] = []
      try workbook.forEachRow(ofSheet: index, limits: limits) { row, rowCells in
        let first = cells.count
        for cell in rowCells {
          let start = texts.count
          cell.text.withUnsafeBytes { texts.append($0) }
          cells.append((cell.column, start, texts.count))
        }
        rows.append((row, first..<cells.count))
      }
      // Rows before the header (the first row with text) are not records.
      while let first = rows.first, cells[first.cells].allSatisfy({ $0.end == $0.start }) { rows.removeFirst() }
      self.rows = rows
      self.cells = cells
    } catch let error as SpreadsheetError {
      throw .spreadsheet(path: file.displayPath, error)
    } catch {
      throw .spreadsheet(path: file.displayPath, .corrupt("\(error)"))
    }
  }

  public func nextChunk(into chunk: RecordChunk) throws(TableIOError) -> Bool {
    let firstRow = emitted < rows.count ? (lastRow < 0 ? rows[emitted].row + 1 : lastRow + 2) : lastRow + 2
    chunk.beginFilling(firstRow: firstRow, sequence: nextSequence)
    while emitted < rows.count && chunk.byteCount < chunkSize && chunk.recordCount < SheetRowWriter.maxRecordsPerChunk {
      let entry = rows[emitted]
      if lastRow >= 0 { writer.appendSkippedRows(entry.row - lastRow - 1, to: chunk) }
      do {
        try writer.appendRow(cells[entry.cells], texts: texts, row: entry.row + 1, to: chunk)
      } catch { throw .spreadsheet(path: file.displayPath, error) }
      lastRow = entry.row
      emitted += 1
    }
    nextSequence += 1
    return chunk.recordCount > 0
  }
}
