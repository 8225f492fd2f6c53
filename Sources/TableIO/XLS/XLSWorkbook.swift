/// A BIFF8 workbook read from the `Workbook` (or `Book`) stream.
///
/// The globals are read up front; each worksheet's cells are read when asked for, from the
/// offset its BOUNDSHEET record gives.
public struct XLSWorkbook: Sendable {
  /// The most rows a BIFF8 worksheet can hold.
  static let maxRows = 65_536

  /// The workbook stream.
  let stream: [UInt8]
  /// The worksheets, in workbook order.
  let sheets: [XLSSheetEntry]
  /// The shared strings that LABELSST cells refer to.
  let sharedStrings: XLSSharedStringTable
  /// The CODEPAGE value (1200 means UTF-16, the BIFF8 norm), when the globals have one.
  let codePage: UInt16?

  /// Parses the workbook globals: BOF, CODEPAGE, FILEPASS (→ throw .encrypted), BOUNDSHEET, SST (+CONTINUE), EOF.
  /// - Throws: `.encrypted` for a password-protected workbook (FILEPASS, or an encrypted XLSX
  ///   package in an OLE2 container); `.noWorksheet` when no sheet is a worksheet; `.corrupt` when
  ///   the stream is missing, is not BIFF8 or is damaged.
  public init(compoundFile: CompoundFile) throws(SpreadsheetError) {
    var found = try compoundFile.stream(named: "Workbook")
    if found == nil { found = try compoundFile.stream(named: "Book") }
    guard let stream = found else {
      if compoundFile.streamNames.contains("EncryptedPackage") { throw .encrypted }
      let names = compoundFile.streamNames.map { "'\(MessageText.sanitized($0))'" }.joined(separator: ", ")
      throw .corrupt("the compound file has no Workbook stream (its streams: \(names.isEmpty ? "none" : names))")
    }
    try self.init(workbookStream: stream)
  }

  /// Parses the workbook globals of a BIFF8 workbook stream already taken out of its container.
  init(workbookStream stream: [UInt8]) throws(SpreadsheetError) {
    self.stream = stream
    var reader = BIFFRecordReader(stream: stream, offset: 0)
    guard let bof = try reader.next(), bof.type == BIFFRecordType.bof, bof.body.count >= 4 else {
      throw .corrupt("the workbook stream does not start with a BIFF8 BOF record (record type 0x0809 at byte offset 0)")
    }
    let version = stream.littleEndianUInt16(at: bof.body.lowerBound)
    guard version == 0x0600 else {
      throw .corrupt(
        "BOF record at byte offset 0 has BIFF version 0x\(String(version, radix: 16)), not BIFF8 (0x600); Excel 5.0/95 and older workbooks are not supported, save it as Excel 97-2003 or .xlsx")
    }

    var sheets: [XLSSheetEntry] = []
    var sharedStrings = XLSSharedStringTable()
    var codePage: UInt16?
    scan: while true {
      guard let record = try reader.next() else {
        throw .corrupt("the workbook globals end at byte offset \(reader.position) without an EOF record")
      }
      switch record.type {
      case BIFFRecordType.eof:
        break scan
      case BIFFRecordType.filePass:
        throw .encrypted
      case BIFFRecordType.codePage where record.body.count >= 2:
        codePage = stream.littleEndianUInt16(at: record.body.lowerBound)
      case BIFFRecordType.boundSheet:
        if let sheet = try XLSWorkbook.worksheet(in: record, of: stream) { sheets.append(sheet) }
      case BIFFRecordType.sst:
        var records = [record]
        while reader.peekType() == BIFFRecordType.continue, let next = try reader.next() { records.append(next) }
        sharedStrings = try XLSSharedStringTable(stream: stream, records: records)
      default:
        continue
      }
    }
    guard !sheets.isEmpty else { throw .noWorksheet }
    self.sheets = sheets
    self.sharedStrings = sharedStrings
    self.codePage = codePage
  }

  /// Worksheet names in workbook order (only worksheets; skip chart/macro sheets).
  public var sheetNames: [String] { sheets.map(\.name) }

  /// The worksheet a BOUNDSHEET record lists, or `nil` for a chart, macro or module sheet.
  private static func worksheet(in record: BIFFRecord, of stream: [UInt8]) throws(SpreadsheetError) -> XLSSheetEntry? {
    let body = record.body
    guard body.count >= 8 else {
      throw .corrupt("BOUNDSHEET record at byte offset \(record.offset) is \(body.count) bytes, too short")
    }
    guard stream[body.lowerBound + 5] == 0 else { return nil }
    let offset = Int(stream.littleEndianUInt32(at: body.lowerBound))
    let characters = Int(stream[body.lowerBound + 6])
    let wide = stream[body.lowerBound + 7] & 0x01 != 0
    let nameStart = body.lowerBound + 8
    let nameEnd = nameStart + (wide ? 2 * characters : characters)
    guard nameEnd <= body.upperBound else {
      throw .corrupt("BOUNDSHEET record at byte offset \(record.offset): the sheet name runs past the record")
    }
    var name = XLSTextBuilder(capacity: nameEnd - nameStart)
    if wide {
      name.appendUTF16(stream, nameStart..<nameEnd)
    } else {
      name.appendLatin1(stream, nameStart..<nameEnd)
    }
    name.finishString()
    return XLSSheetEntry(name: String(decoding: name.bytes, as: UTF8.self), offset: offset)
  }
}
