/// One record of a BIFF8 stream: its type and where its header and body lie in the stream.
struct BIFFRecord: Sendable {
  /// The record type (see `BIFFRecordType`).
  let type: UInt16
  /// The byte offset of the record's 4-byte header in the stream.
  let offset: Int
  /// The byte range of the record's body in the stream.
  let body: Range<Int>

  /// The type as four hex digits, for error messages.
  var typeName: String {
    let digits = String(type, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
