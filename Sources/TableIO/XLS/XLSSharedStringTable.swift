/// The shared-string table (SST) of a BIFF8 workbook: every string's UTF-8 in one buffer, with ends.
///
/// Formatting runs and phonetic (extended) data are skipped; only the characters are kept.
struct XLSSharedStringTable: Sendable {
  private var utf8: [UInt8] = []
  private var ends: [Int] = []

  /// Number of strings.
  var count: Int { ends.count }

  /// An empty table, for workbooks without an SST record.
  init() {}

  /// Reads the SST record and the CONTINUE records after it.
  /// - Throws: `.corrupt` when a string runs past the last CONTINUE record.
  init(stream: [UInt8], records: [BIFFRecord]) throws(SpreadsheetError) {
    var reader = BIFFContinuedReader(stream: stream, segments: records)
    _ = try reader.readUInt32()  // total references to strings in the workbook
    let announced = Int(try reader.readUInt32())
    let dataSize = records.reduce(0) { $0 + $1.body.count }
    // Every string takes at least 3 bytes, so a wild count cannot reserve much.
    ends.reserveCapacity(min(announced, dataSize / 3))
    var text = XLSTextBuilder(capacity: dataSize)
    while ends.count < announced {
      reader.startItem(needing: 3)
      // Some writers announce more strings than they write; the table ends with the data.
      if reader.isAtEnd { break }
      let characters = Int(try reader.readUInt16())
      let flags = try reader.readByte()
      let runs = flags & 0x08 != 0 ? Int(try reader.readUInt16()) : 0
      let phoneticSize = flags & 0x04 != 0 ? Int(try reader.readUInt32()) : 0
      try reader.readCharacters(characters, wide: flags & 0x01 != 0, into: &text)
      text.finishString()
      try reader.skip(4 * runs + phoneticSize)
      ends.append(text.bytes.count)
    }
    utf8 = text.bytes
  }

  /// The UTF-8 of string `index`, or `nil` when out of range.
  func text(at index: Int) -> ArraySlice<UInt8>? {
    guard index >= 0 && index < ends.count else { return nil }
    let start = index == 0 ? 0 : ends[index - 1]
    return utf8[start..<ends[index]]
  }
}
