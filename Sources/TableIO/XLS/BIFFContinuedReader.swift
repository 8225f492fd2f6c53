/// Reads a record whose data goes on in the CONTINUE records after it (SST, STRING), as one sequence.
///
/// Plain fields run across record boundaries unchanged. String characters do not: a CONTINUE
/// that goes on with a string's characters starts with a fresh option-flags byte, whose low bit says
/// whether the rest is compressed 8-bit or UTF-16 — which may differ from the part before it.
struct BIFFContinuedReader {
  /// The workbook stream.
  private let stream: [UInt8]
  /// The record and its CONTINUE records, in stream order.
  private let segments: [BIFFRecord]
  private var segment = 0
  private var position: Int
  private var end: Int

  /// Reads `segments` (a record and the CONTINUE records after it; at least one) of `stream`.
  init(stream: [UInt8], segments: [BIFFRecord]) {
    self.stream = stream
    self.segments = segments
    position = segments[0].body.lowerBound
    end = segments[0].body.upperBound
  }

  /// Whether every byte of every segment has been read.
  var isAtEnd: Bool {
    position == end && segments[(segment + 1)...].allSatisfy { $0.body.isEmpty }
  }

  /// Where the reader stands, for error messages: the record and the byte offset in the stream.
  var location: String {
    "record \(segments[segment].typeName) at byte offset \(segments[segment].offset), reading byte offset \(position)"
  }

  /// Moves to the start of the next segment that has data; `false` when there is none.
  private mutating func moveToNextSegment() -> Bool {
    while segment + 1 < segments.count {
      segment += 1
      position = segments[segment].body.lowerBound
      end = segments[segment].body.upperBound
      if position < end { return true }
    }
    return false
  }

  /// Goes on to the next segment when fewer than `count` bytes are left in this one, as Excel
  /// starts a string whose header does not fit in a fresh CONTINUE record.
  mutating func startItem(needing count: Int) {
    if end - position < count { _ = moveToNextSegment() }
  }

  /// Reads one byte, going on into the next segment when this one is used up.
  mutating func readByte() throws(SpreadsheetError) -> UInt8 {
    if position == end && !moveToNextSegment() {
      throw .corrupt("data runs past the last CONTINUE record (\(location))")
    }
    let byte = stream[position]
    position += 1
    return byte
  }

  /// Reads a little-endian 16-bit field, which may straddle two segments.
  mutating func readUInt16() throws(SpreadsheetError) -> UInt16 {
    if end - position >= 2 {
      defer { position += 2 }
      return stream.littleEndianUInt16(at: position)
    }
    let low = try readByte()
    return UInt16(low) | UInt16(try readByte()) << 8
  }

  /// Reads a little-endian 32-bit field, which may straddle segments.
  mutating func readUInt32() throws(SpreadsheetError) -> UInt32 {
    let low = try readUInt16()
    return UInt32(low) | UInt32(try readUInt16()) << 16
  }

  /// Skips `count` bytes (formatting runs, phonetic data), across segments.
  mutating func skip(_ count: Int) throws(SpreadsheetError) {
    var left = count
    while left > 0 {
      if position == end && !moveToNextSegment() {
        throw .corrupt("\(count) bytes to skip run past the last CONTINUE record (\(location))")
      }
      let step = min(left, end - position)
      position += step
      left -= step
    }
  }

  /// Reads `count` characters into `text`, starting compressed or UTF-16 as `wide` says; in each
  /// CONTINUE the characters go on after a new option-flags byte.
  mutating func readCharacters(_ count: Int, wide startsWide: Bool, into text: inout XLSTextBuilder)
    throws(SpreadsheetError)
  {
    var left = count
    var wide = startsWide
    while true {
      let available = wide ? (end - position) / 2 : end - position
      let take = min(available, left)
      if wide {
        text.appendUTF16(stream, position..<position + 2 * take)
        position += 2 * take
      } else {
        text.appendLatin1(stream, position..<position + take)
        position += take
      }
      left -= take
      if left == 0 { return }
      guard moveToNextSegment() else {
        throw .corrupt("a string's characters run past the last CONTINUE record, \(left) of \(count) missing (\(location))")
      }
      wide = stream[position] & 0x01 != 0
      position += 1
    }
  }
}
