import Testing

@testable import TableIO

@Suite("Encodings")
struct EncodingTests {
  static let text = "name,phone,city\nJosé,212-555-2368,Montréal\nZoë,646-555-2368,Köln\n"

  static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
      let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
      bytes += bigEndian ? pair.reversed() : pair
    }
    return bytes
  }

  @Test(arguments: [false, true])
  func utf16WithByteOrderMark(bigEndian: Bool) throws {
    let (records, reader) = try readRecords(Self.utf16(Self.text, bigEndian: bigEndian), chunkSize: 5)
    #expect(reader.input.encoding == (bigEndian ? .utf16BE : .utf16LE))
    #expect(records[1] == ["José", "212-555-2368", "Montréal"])
    #expect(records[2] == ["Zoë", "646-555-2368", "Köln"])
  }

  @Test func windows1252IsDetectedAndConverted() throws {
    // "Hélène,514-555-2368,Budget 1 200 €, l’été" in Windows-1252, repeated so the detector has enough text.
    var bytes = Array("Nom,Telephone,Remarque\n".utf8)
    for _ in 0..<5 {
      bytes += [0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65] + Array(",514-555-2368,Budget 1 200 ".utf8) + [0x80]
        + Array(" pour l".utf8) + [0x92, 0xE9, 0x74, 0xE9, 0x0A]
    }
    let (records, reader) = try readRecords(bytes)
    #expect(reader.input.encoding == .windows1252)
    #expect(records[1] == ["Hélène", "514-555-2368", "Budget 1 200 € pour l’été"])
  }

  @Test func textWithoutNULBytesIsNeverSniffedAsUTF16() throws {
    let bytes = Array("name,phone\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 5000) + [0xE9, 0x0A]
    let (_, reader) = try readRecords(bytes)
    #expect(reader.input.encoding == .windows1252)
  }

  @Test func givenEncodingIsUsed() throws {
    let bytes: [UInt8] = Array("a,b\n".utf8) + [0xC9, 0x2C, 0x31, 0x0A]  // "É,1" in Latin-1
    let (records, _) = try readRecords(bytes, encoding: try InputEncoding(name: "iso-8859-1"))
    #expect(records == [["a", "b"], ["É", "1"]])
  }

  @Test func encodingNames() throws {
    #expect(try InputEncoding(name: "UTF-8") == .utf8)
    #expect(try InputEncoding(name: "utf16le") == .utf16LE)
    #expect(try InputEncoding(name: "cp1252") == .windows1252)
    #expect(try InputEncoding(name: "Shift_JIS") == .other("Shift_JIS"))
    #expect(throws: TableIOError.unknownEncoding(name: "klingon-8")) { try InputEncoding(name: "klingon-8") }
  }

  @Test func malformedUTF16ReportsTheByte() throws {
    // A lone high surrogate (D800) followed by "a" is malformed UTF-16LE.
    let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x00, 0xD8, 0x61, 0x00, 0x0A, 0x00]
    #expect(throws: TableIOError.self) { _ = try readRecords(bytes, encoding: .utf16LE) }
  }

  @Test func utf8Validation() {
    func check(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { UTF8Validation.firstInvalidByte(in: $0) } }
    #expect(check(Array("plain ascii, long enough to use the word path".utf8)) == nil)
    #expect(check(Array("Montréal – ☎ 𝟚".utf8)) == nil)
    #expect(check(Array("abcdefgh".utf8) + [0xFF]) == 8)
    #expect(check([0x41, 0xC3]) == 1)
    #expect(check([0xC0, 0x80]) == 0)  // overlong
    #expect(check([0xED, 0xA0, 0x80]) == 0)  // surrogate
    #expect([UInt8]([0x41, 0xC3]).withUnsafeBytes { UTF8Validation.firstInvalidByte(in: $0, allowTruncatedEnd: true) } == nil)
  }

  @Test func missingInputIsReported() {
    #expect(throws: TableIOError.inputMissing(path: "/nonexistent/leads.csv")) {
      _ = try ByteSource(path: "/nonexistent/leads.csv")
    }
  }
}
