/// Reads one worksheet of an XLSX workbook as records, streaming: the sheet XML is inflated block by
/// block on a background thread and tokenized as it arrives, so memory grows only with the
/// shared-string table. Cells keep their text as stored (numbers as their XML literal, never through a
/// `Double`); gaps keep column positions; skipped rows become blank lines so row numbers match the sheet.
public final class XLSXRecordReader: RecordReader {
  public var format: InputFormat { .xlsx }
  public var encodingName: String { "utf-8" }
  public var hadByteOrderMark: Bool { false }
  public var delimiterName: String { "," }
  public let sheetName: String?
  public let sheetNames: [String]
  public var declaredPhoneColumn: String? { nil }
  public var declaredFilename: String? { nil }
  public var passesBytesThrough: Bool { false }
  public var endedInsideQuotes: Bool { false }
  public private(set) var bytesRead = 0
  public var fileToHash: String? { file.path }

  private let file: SpooledFile
  private let stream: InflatedPartStream
  private var handler: SheetHandler
  private let chunkSize: Int
  private var pending: UnsafeMutableRawBufferPointer
  private var pendingStart = 0
  private var pendingEnd = 0
  private var streamDone = false
  private var finished = false
  private var nextRow = 1
  private var nextSequence = 0
  private let limits: ReaderLimits
  private var nesting: XMLNesting

  /// Opens the workbook and the worksheet `sheet` (name or 1-based number; the first by default).
  public init(
    file: SpooledFile, sheet: String?, chunkSize: Int = 1 << 20, limits: ReaderLimits = ReaderLimits()
  ) throws(TableIOError) {
    self.file = file
    self.chunkSize = chunkSize
    self.limits = limits
    nesting = XMLNesting(limits: limits)
    do {
      let package = try ZipPackage(path: file.path, displayPath: file.displayPath, limits: limits)
      let workbook = try XLSXWorkbook(package: package, limits: limits)
      let chosen = try workbook.sheet(sheet)
      sheetName = chosen.name
      sheetNames = workbook.sheets.map(\.name)
      let strings = try SharedStrings(package: package, limits: limits)
      stream = try package.stream(chosen.part)
      handler = SheetHandler(strings: strings, limits: limits)
    } catch { throw .spreadsheet(path: file.displayPath, error) }
    pending = .allocate(byteCount: 1 << 18, alignment: 16)
  }

  deinit {
    stream.cancel()
    pending.deallocate()
  }

  public func nextChunk(into chunk: RecordChunk) throws(TableIOError) -> Bool {
    chunk.beginFilling(firstRow: nextRow, sequence: nextSequence)
    if finished { return false }
    handler.begin(chunk: chunk, chunkSize: chunkSize)
    do throws(SpreadsheetError) {
      while true {
        let available = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(pending)[pendingStart..<pendingEnd])
        let consumed = try XMLScanner.scan(available, isFinal: streamDone, handler: &handler, nesting: &nesting)
        pendingStart += consumed
        if handler.wantsPause { break }
        if streamDone {
          try handler.finish()
          finished = true
          break
        }
        guard let block = try stream.next() else {
          streamDone = true
          continue
        }
        bytesRead += block.count
        append(block)
        if pendingEnd - pendingStart > limits.maxFieldBytes + XMLNesting.tokenSlack {
          throw SpreadsheetError.limitExceeded(
            LimitExceeded(.fieldBytes, limits, at: "the worksheet XML near byte \(bytesRead - (pendingEnd - pendingStart))"))
        }
      }
    } catch { throw .spreadsheet(path: file.displayPath, error) }
    if let headerRow = handler.headerRowInThisChunk { chunk.firstRow = headerRow }
    nextRow = chunk.firstRow + chunk.recordCount
    nextSequence += 1
    return chunk.recordCount > 0
  }

  private func append(_ block: [UInt8]) {
    let unread = pendingEnd - pendingStart
    if pendingStart > 0 {
      if unread > 0 { pending.baseAddress!.copyMemory(from: pending.baseAddress! + pendingStart, byteCount: unread) }
      pendingStart = 0
      pendingEnd = unread
    }
    if pendingEnd + block.count > pending.count {
      var size = pending.count
      while size < pendingEnd + block.count { size *= 2 }
      let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
      bigger.baseAddress!.copyMemory(from: pending.baseAddress!, byteCount: pendingEnd)
      pending.deallocate()
      pending = bigger
    }
    block.withUnsafeBytes { raw in
      if raw.count > 0 { (pending.baseAddress! + pendingEnd).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
    }
    pendingEnd += block.count
  }
}

import Foundation

/// Turns worksheet XML events into records in a chunk.
struct SheetHandler: XMLHandler {
  private enum CellType { case number, shared, inline, formulaString, boolean, error, other }

  let strings: SharedStrings
  private(set) var wantsPause = false
  private(set) var headerRowInThisChunk: Int?
  private unowned(unsafe) var chunk: RecordChunk?
  private var chunkSize = 0
  private var headerSeen = false
  private let limits: ReaderLimits
  private var writer: SheetRowWriter
  private var lastRow = 0
  private var rowNumber = 0
  private var nextColumn = 0
  private var inRow = false
  private var inCell = false
  private var inValue = false
  private var inInline = false
  private var inText = false
  private var phoneticDepth = 0
  private var textStart = 0
  private var preserveSpace = false
  private var cellType = CellType.number
  private var cellColumn = 0
  private let cellText = OutputBytes(capacity: 256)
  private let rowValues = OutputBytes(capacity: 4096)
  private var cells: [(column: Int, start: Int, end: Int)] = []

  init(strings: SharedStrings, limits: ReaderLimits) {
    self.strings = strings
    self.limits = limits
    writer = SheetRowWriter(limits: limits)
    cells.reserveCapacity(64)
  }

  mutating func begin(chunk: RecordChunk, chunkSize: Int) {
    self.chunk = chunk
    self.chunkSize = chunkSize
    wantsPause = false
    headerRowInThisChunk = nil
  }

  mutating func finish() throws(SpreadsheetError) {
    if inRow { throw .corrupt("worksheet XML ends inside row \(rowNumber)") }
  }

  mutating func startElement(_ name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool) throws(SpreadsheetError) {
    switch name.count {
    case 1 where name[0] == UInt8(ascii: "c"):
      guard inRow else { return }
      inCell = true
      cellText.removeAll()
      cellColumn = nextColumn
      if let reference = XMLScanner.attribute("r", in: attributes) {
        cellColumn = try Self.column(of: reference)
      }
      cellType = .number
      if let type = XMLScanner.attribute("t", in: attributes) {
        cellType = Self.cellType(type)
      }
    case 1 where name[0] == UInt8(ascii: "v"):
      if inCell && !selfClosing { inValue = true }
    case 1 where name[0] == UInt8(ascii: "t"):
      if inInline && !selfClosing {
        inText = true
        textStart = cellText.count
        preserveSpace = XMLScanner.attribute("xml:space", in: attributes).map { $0.elementsEqual("preserve".utf8) } ?? false
      }
    case 2 where XMLScanner.isName(name, "is"):
      if inCell { inInline = true }
    case 3 where XMLScanner.isName(name, "row"):
      inRow = true
      rowValues.removeAll()
      cells.removeAll(keepingCapacity: true)
      nextColumn = 0
      rowNumber = lastRow + 1
      if let r = XMLScanner.attribute("r", in: attributes) {
        var value = 0
        for b in r {
          guard b >= 48 && b <= 57 else { throw .corrupt("row number '\(MessageText.sanitized(String(decoding: r, as: UTF8.self)))' is not a number") }
          value = value * 10 + Int(b - 48)
          if value > limits.maxRows { throw .limitExceeded(LimitExceeded(.rows, limits, at: "the worksheet")) }
        }
        guard value > lastRow else { throw .corrupt("row \(value) comes after row \(lastRow)") }
        rowNumber = value
      }
      if rowNumber > limits.maxRows { throw .limitExceeded(LimitExceeded(.rows, limits, at: "the worksheet")) }
    case 3 where XMLScanner.isName(name, "rPh"):
      phoneticDepth += 1
    default:
      break
    }
  }

  mutating func endElement(_ name: UnsafeRawBufferPointer) throws(SpreadsheetError) {
    switch name.count {
    case 1 where name[0] == UInt8(ascii: "c"):
      if inCell { try endCell() }
      inCell = false
    case 1 where name[0] == UInt8(ascii: "v"):
      inValue = false
    case 1 where name[0] == UInt8(ascii: "t"):
      if inText && !preserveSpace && phoneticDepth == 0 { cellText.trimWhitespace(from: textStart) }
      inText = false
    case 2 where XMLScanner.isName(name, "is"):
      inInline = false
    case 3 where XMLScanner.isName(name, "row"):
      if inRow { try emitRow() }
      inRow = false
    case 3 where XMLScanner.isName(name, "rPh"):
      phoneticDepth -= 1
    default:
      break
    }
  }

  mutating func text(_ raw: UnsafeRawBufferPointer, isCDATA: Bool) {
    if inValue || (inInline && inText && phoneticDepth == 0) {
      if isCDATA { cellText.append(raw) } else { XMLText.decode(raw, into: cellText) }
    }
  }

  private mutating func endCell() throws(SpreadsheetError) {
    let start = rowValues.count
    switch cellType {
    case .shared:
      // An empty <v/> is an empty cell.
      if cellText.count > 0 {
        var index = 0
        for b in cellText.bytes {
          guard b >= 48 && b <= 57, index < Int(Int32.max) else {
            throw .corrupt("row \(rowNumber) has a shared-string cell whose index is not a number")
          }
          index = index * 10 + Int(b - 48)
        }
        guard let text = strings.string(index) else {
          throw .corrupt("row \(rowNumber) refers to shared string \(index), but the table has \(strings.count)")
        }
        rowValues.append(text)
      }
    case .number:
      NumberText.appendNormalized(cellText.bytes, to: rowValues)
    case .boolean:
      if cellText.count > 0 { rowValues.append(cellText.bytes.first == UInt8(ascii: "1") ? "TRUE" : "FALSE") }
    default:
      rowValues.append(cellText.bytes)
    }
    // Checked cell by cell, not only when the row ends: shared strings let a few bytes of XML
    // stand for a long text, so a row could otherwise grow far past the limits before its end.
    if cellColumn >= limits.maxColumns {
      throw .limitExceeded(LimitExceeded(.columns, limits, at: "row \(rowNumber)"))
    }
    if rowValues.count - start > limits.maxFieldBytes {
      throw .limitExceeded(LimitExceeded(.fieldBytes, limits, at: "row \(rowNumber), column \(cellColumn + 1)"))
    }
    if rowValues.count > limits.maxRecordBytes {
      throw .limitExceeded(LimitExceeded(.recordBytes, limits, at: "row \(rowNumber)"))
    }
    cells.append((cellColumn, start, rowValues.count))
    nextColumn = cellColumn + 1
  }

  private mutating func emitRow() throws(SpreadsheetError) {
    guard let chunk else { return }
    if !headerSeen {
      // Rows before the header (blank ones) are not records.
      guard cells.contains(where: { $0.end > $0.start }) else {
        lastRow = rowNumber
        return
      }
      headerSeen = true
      headerRowInThisChunk = rowNumber
    } else {
      writer.appendSkippedRows(rowNumber - lastRow - 1, to: chunk)
    }
    lastRow = rowNumber
    if cells.count > 1 && !zip(cells, cells.dropFirst()).allSatisfy({ $0.column < $1.column }) {
      cells.sort { $0.column < $1.column }
    }
    try writer.appendRow(cells[...], texts: rowValues, row: rowNumber, to: chunk)
    if chunk.byteCount >= chunkSize || chunk.recordCount >= SheetRowWriter.maxRecordsPerChunk { wantsPause = true }
  }

  private static func cellType(_ type: UnsafeRawBufferPointer) -> CellType {
    if XMLScanner.isName(type, "s") { return .shared }
    if XMLScanner.isName(type, "n") { return .number }
    if XMLScanner.isName(type, "str") { return .formulaString }
    if XMLScanner.isName(type, "inlineStr") { return .inline }
    if XMLScanner.isName(type, "b") { return .boolean }
    if XMLScanner.isName(type, "e") { return .error }
    return .other
  }

  /// The 0-based column of a reference such as `B12`.
  private static func column(of reference: UnsafeRawBufferPointer) throws(SpreadsheetError) -> Int {
    var column = 0
    var letters = 0
    for b in reference {
      let upper = b & ~0x20
      guard upper >= 65 && upper <= 90 else { break }
      letters += 1
      // Past three letters the reference is invalid anyway; stop before the value can overflow.
      guard letters <= 3 else { break }
      column = column * 26 + Int(upper - 64)
    }
    guard letters > 0, letters <= 3, column <= 16_384 else {
      throw .corrupt("cell reference '\(MessageText.sanitized(String(decoding: reference, as: UTF8.self)))' is not a valid column")
    }
    return column - 1
  }
}
