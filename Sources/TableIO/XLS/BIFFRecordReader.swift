/// Walks the records of a BIFF8 stream from a given offset, checking each length against the stream.
struct BIFFRecordReader {
  /// The stream being read.
  let stream: [UInt8]
  /// The offset of the next record header.
  private(set) var position: Int

  /// Starts reading `stream` at `offset`.
  init(stream: [UInt8], offset: Int) {
    self.stream = stream
    position = offset
  }

  /// The next record, or `nil` when fewer than the 4 bytes of a record header are left.
  /// - Throws: `.corrupt` when a record's body runs past the end of the stream.
  mutating func next() throws(SpreadsheetError) -> BIFFRecord? {
    guard position >= 0, stream.hasBytes(4, at: position) else { return nil }
    let type = stream.littleEndianUInt16(at: position)
    let length = Int(stream.littleEndianUInt16(at: position + 2))
    let record = BIFFRecord(type: type, offset: position, body: position + 4..<position + 4 + length)
    guard stream.hasBytes(length, at: position + 4) else {
      throw .corrupt(
        "record \(record.typeName) at byte offset \(position) of the workbook stream is \(length) bytes long, past the end of the stream (\(stream.count) bytes)")
    }
    position = record.body.upperBound
    return record
  }

  /// The type of the next record without moving past it, or `nil` at the end of the stream.
  func peekType() -> UInt16? {
    guard position >= 0, stream.hasBytes(4, at: position) else { return nil }
    return stream.littleEndianUInt16(at: position)
  }
}
