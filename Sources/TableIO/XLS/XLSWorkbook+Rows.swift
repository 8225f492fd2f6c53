extension XLSWorkbook {
  /// A cell's text as `forEachRow` hands it out.
  typealias Cell = (column: Int, text: [UInt8])

  /// Calls `body` once per row that has cells, in ascending row order, with the 0-based row index and the
  /// row's cells as (0-based column, cell text in UTF-8) sorted by column. Throws .tooManyRows past 65,536 rows.
  ///
  /// Blank cells and cells whose text is empty (BLANK, MULBLANK, an empty string, a formula with an
  /// empty result) are left out, and a row with no other cells is not reported. A number that is
  /// integral and below 2^53 is written as an integer (`2125551234`), any other in its shortest
  /// round-trip form (`0.5`); booleans as `TRUE`/`FALSE`; errors as Excel shows them (`#N/A`).
  /// When a cell appears twice, the later record wins.
  /// - Throws: `.sheetNotFound` when `index` names no worksheet; `.corrupt` when the sheet's records
  ///   are damaged; `.tooManyRows` past 65,536 rows.
  ///
  /// Cells are checked against `limits` as they are decoded (a shared string may stand for a long
  /// text in a few bytes): a cell longer than the field limit, a column past the column limit, a row
  /// longer than the record limit, or more decoded text than the inflated-size limit stops the read.
  public func forEachRow(
    ofSheet index: Int, limits: ReaderLimits = ReaderLimits(),
    _ body: (_ row: Int, _ cells: [(column: Int, text: [UInt8])]) -> Void
  ) throws(SpreadsheetError) {
    guard sheets.indices.contains(index) else {
      throw .sheetNotFound(requested: String(index + 1), available: sheetNames)
    }
    let sheet = sheets[index]
    var currentRow = -1
    var cells: [Cell] = []
    var rowsReported = 0
    var overflowed = false
    var violation: LimitExceeded?
    var rowBytes = 0
    var totalBytes: Int64 = 0
    /// Whether a cell may be kept; records the first limit it breaks.
    func admit(row: Int, column: Int, bytes: Int, newRow: Bool) -> Bool {
      guard violation == nil else { return false }
      if newRow { rowBytes = 0 }
      rowBytes += bytes
      totalBytes += Int64(bytes)
      if column >= limits.maxColumns {
        violation = LimitExceeded(.columns, limits, at: "row \(row + 1)")
      } else if bytes > limits.maxFieldBytes {
        violation = LimitExceeded(.fieldBytes, limits, at: "row \(row + 1), column \(column + 1)")
      } else if rowBytes > limits.maxRecordBytes {
        violation = LimitExceeded(.recordBytes, limits, at: "row \(row + 1)")
      } else if totalBytes > limits.maxInflatedBytes {
        violation = LimitExceeded(.inflatedBytes, limits, at: "the sheet's decoded text")
      }
      return violation == nil
    }

    func finishRow() {
      guard !cells.isEmpty else { return }
      guard rowsReported < XLSWorkbook.maxRows else {
        overflowed = true
        cells.removeAll(keepingCapacity: true)
        return
      }
      rowsReported += 1
      body(currentRow, XLSWorkbook.sortedByColumn(cells))
      cells.removeAll(keepingCapacity: true)
    }

    if try cellRowsAscend(in: sheet) {
      try forEachCell(in: sheet) { row, column, text in
        let newRow = row != currentRow
        if newRow {
          finishRow()
          currentRow = row
        }
        if admit(row: row, column: column, bytes: text.count, newRow: newRow) { cells.append((column, text)) }
      }
    } else {
      // Rows out of order are rare (Excel writes them in order), so they are gathered, compactly
      // (texts in one buffer), and sorted by row, keeping record order within a row.
      var texts: [UInt8] = []
      var all: [(row: Int32, column: Int32, end: Int)] = []
      var lastRow = -1
      try forEachCell(in: sheet) { row, column, text in
        // Rows out of order: the record limit applies to each run of one row's cells.
        guard admit(row: row, column: column, bytes: text.count, newRow: row != lastRow) else { return }
        lastRow = row
        texts.append(contentsOf: text)
        all.append((Int32(row), Int32(column), texts.count))
      }
      let order = all.indices.sorted { all[$0].row != all[$1].row ? all[$0].row < all[$1].row : $0 < $1 }
      for position in order {
        let cell = all[position]
        if Int(cell.row) != currentRow {
          finishRow()
          currentRow = Int(cell.row)
        }
        let start = position == 0 ? 0 : all[position - 1].end
        cells.append((Int(cell.column), Array(texts[start..<cell.end])))
      }
    }
    if let violation { throw .limitExceeded(violation) }
    finishRow()
    if overflowed { throw .tooManyRows(limit: XLSWorkbook.maxRows) }
  }

  /// `cells` in column order; of two cells in one column, the later one.
  private static func sortedByColumn(_ cells: [Cell]) -> [Cell] {
    var ascending = true
    for index in cells.indices.dropFirst() where cells[index - 1].column >= cells[index].column {
      ascending = false
      break
    }
    if ascending { return cells }
    let order = cells.indices.sorted { cells[$0].column != cells[$1].column ? cells[$0].column < cells[$1].column : $0 < $1 }
    var result: [Cell] = []
    result.reserveCapacity(cells.count)
    for position in order {
      if let last = result.last, last.column == cells[position].column {
        result[result.count - 1] = cells[position]
      } else {
        result.append(cells[position])
      }
    }
    return result
  }

  /// Whether the sheet's cell records come in ascending row order (the usual case).
  private func cellRowsAscend(in sheet: XLSSheetEntry) throws(SpreadsheetError) -> Bool {
    var reader = try records(of: sheet)
    var depth = 1
    var lastRow = -1
    while depth > 0 {
      guard let record = try reader.next() else { throw missingEOF(sheet, at: reader.position) }
      switch record.type {
      case BIFFRecordType.bof: depth += 1
      case BIFFRecordType.eof: depth -= 1
      case BIFFRecordType.labelSST, BIFFRecordType.label, BIFFRecordType.richString, BIFFRecordType.number,
        BIFFRecordType.rk, BIFFRecordType.mulRK, BIFFRecordType.formula, BIFFRecordType.boolErr:
        guard depth == 1, record.body.count >= 2 else { continue }
        let row = Int(stream.littleEndianUInt16(at: record.body.lowerBound))
        if row < lastRow { return false }
        lastRow = row
      default: continue
      }
    }
    return true
  }

  /// A record reader placed after the sheet's BOF record.
  private func records(of sheet: XLSSheetEntry) throws(SpreadsheetError) -> BIFFRecordReader {
    var reader = BIFFRecordReader(stream: stream, offset: sheet.offset)
    guard let bof = try reader.next(), bof.type == BIFFRecordType.bof else {
      throw .corrupt(
        "sheet '\(MessageText.sanitized(sheet.name))': no BOF record at byte offset \(sheet.offset) of the workbook stream, where its BOUNDSHEET record points")
    }
    return reader
  }

  private func missingEOF(_ sheet: XLSSheetEntry, at offset: Int) -> SpreadsheetError {
    .corrupt("sheet '\(MessageText.sanitized(sheet.name))' ends at byte offset \(offset) of the workbook stream without an EOF record")
  }

  /// Calls `visit` with the row, column and text of every cell with text, in record order.
  private func forEachCell(in sheet: XLSSheetEntry, _ visit: (Int, Int, [UInt8]) -> Void) throws(SpreadsheetError) {
    var reader = try records(of: sheet)
    var depth = 1
    // A FORMULA whose cached result is a string waits for the STRING record after it.
    var pendingFormula: (row: Int, column: Int)?
    while depth > 0 {
      guard let record = try reader.next() else { throw missingEOF(sheet, at: reader.position) }
      let type = record.type
      if type == BIFFRecordType.bof {
        depth += 1
        continue
      }
      if type == BIFFRecordType.eof {
        depth -= 1
        continue
      }
      guard depth == 1 else { continue }
      let start = record.body.lowerBound
      let length = record.body.count

      if type == BIFFRecordType.string {
        guard let formula = pendingFormula else { continue }
        pendingFormula = nil
        var records = [record]
        while reader.peekType() == BIFFRecordType.continue, let next = try reader.next() { records.append(next) }
        var continued = BIFFContinuedReader(stream: stream, segments: records)
        let characters = Int(try continued.readUInt16())
        let flags = try continued.readByte()
        var text = XLSTextBuilder(capacity: characters)
        try continued.readCharacters(characters, wide: flags & 0x01 != 0, into: &text)
        text.finishString()
        if !text.bytes.isEmpty { visit(formula.row, formula.column, text.bytes) }
        continue
      }

      let minimumLength: Int
      switch type {
      case BIFFRecordType.labelSST, BIFFRecordType.rk: minimumLength = 10
      case BIFFRecordType.label, BIFFRecordType.richString: minimumLength = 9
      case BIFFRecordType.number, BIFFRecordType.formula: minimumLength = 14
      case BIFFRecordType.mulRK: minimumLength = 12
      case BIFFRecordType.boolErr: minimumLength = 8
      default: continue
      }
      guard length >= minimumLength else {
        throw .corrupt("cell record \(record.typeName) at byte offset \(record.offset) is \(length) bytes, too short")
      }
      pendingFormula = nil
      let row = Int(stream.littleEndianUInt16(at: start))
      let column = Int(stream.littleEndianUInt16(at: start + 2))

      switch type {
      case BIFFRecordType.labelSST:
        let index = Int(stream.littleEndianUInt32(at: start + 6))
        guard let text = sharedStrings.text(at: index) else {
          throw .corrupt(
            "LABELSST record at byte offset \(record.offset) refers to shared string \(index), but the table has \(sharedStrings.count)")
        }
        if !text.isEmpty { visit(row, column, Array(text)) }
      case BIFFRecordType.label, BIFFRecordType.richString:
        let characters = Int(stream.littleEndianUInt16(at: start + 6))
        let wide = stream[start + 8] & 0x01 != 0
        let textEnd = start + 9 + (wide ? 2 * characters : characters)
        guard textEnd <= record.body.upperBound else {
          throw .corrupt("LABEL record at byte offset \(record.offset): the text runs past the record")
        }
        var text = XLSTextBuilder(capacity: textEnd - start - 9)
        if wide {
          text.appendUTF16(stream, start + 9..<textEnd)
        } else {
          text.appendLatin1(stream, start + 9..<textEnd)
        }
        text.finishString()
        if !text.bytes.isEmpty { visit(row, column, text.bytes) }
      case BIFFRecordType.number:
        visit(row, column, XLSCellText.number(Double(bitPattern: stream.littleEndianUInt64(at: start + 6))))
      case BIFFRecordType.rk:
        visit(row, column, XLSCellText.number(RKNumber(stream.littleEndianUInt32(at: start + 6)).value))
      case BIFFRecordType.mulRK:
        // Column, then 6 bytes (XF index, RK value) per cell, then the last column.
        let count = (length - 6) / 6
        for cell in 0..<count {
          let value = RKNumber(stream.littleEndianUInt32(at: start + 4 + 6 * cell + 2)).value
          visit(row, column + cell, XLSCellText.number(value))
        }
      case BIFFRecordType.formula:
        if stream.littleEndianUInt16(at: start + 12) != 0xFFFF {
          visit(row, column, XLSCellText.number(Double(bitPattern: stream.littleEndianUInt64(at: start + 6))))
        } else {
          switch stream[start + 6] {
          case 0: pendingFormula = (row, column)
          case 1: visit(row, column, XLSCellText.boolean(stream[start + 8] != 0))
          case 2: visit(row, column, XLSCellText.error(code: stream[start + 8]))
          default: break  // 3: an empty string
          }
        }
      case BIFFRecordType.boolErr:
        let value = stream[start + 6]
        let isError = stream[start + 7] != 0
        visit(row, column, isError ? XLSCellText.error(code: value) : XLSCellText.boolean(value != 0))
      default:
        continue
      }
    }
  }
}
