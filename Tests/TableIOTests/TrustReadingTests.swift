import Foundation
import Testing

@testable import TableIO

/// Reading never loses rows silently, and what it reports fits on one line.
@Suite("Reading without losing rows")
struct TrustReadingTests {
  /// A CSV of 200 data rows whose row 101 (the header is row 1) opens a quote that never closes;
  /// returns the bytes and the offset of that quote.
  static func unclosedQuoteCSV() -> (bytes: [UInt8], quoteOffset: Int) {
    var text = "name,phone\n"
    var quoteOffset = 0
    for row in 2...201 {
      if row == 101 {
        quoteOffset = text.utf8.count
        text += "\"Open quote,2125550123\n"
      } else {
        text += "Lead \(row),212-368-\(String(1000 + row))\n"
      }
    }
    return (Array(text.utf8), quoteOffset)
  }

  static func reader(_ bytes: [UInt8], lenient: Bool = false, chunkSize: Int = 1 << 20) throws -> any RecordReader {
    let path = try temporaryFile("in.csv", String(decoding: bytes, as: UTF8.self))
    var options = ReaderOptions(chunkSize: chunkSize)
    options.lenientQuotes = lenient
    // The reader holds the file open; its folder can go now.
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    return try RecordReaders.open(try ByteSource(path: path), options: options) { _ in }
  }

  /// Writes `text` to a file named `name` in a fresh temporary folder; returns its path.
  static func temporaryFile(_ name: String, _ text: String) throws -> String {
    let folder = NSTemporaryDirectory() + "dialready-trust-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }

  static func drain(_ reader: any RecordReader) throws -> Int {
    let chunk = RecordChunk(capacity: 64)
    var records = 0
    while try reader.nextChunk(into: chunk) { records += chunk.recordCount }
    return records
  }

  @Test(arguments: [1 << 20, 256])
  func aQuoteThatNeverClosesIsRefusedNamingItsRowAndByte(chunkSize: Int) throws {
    let (bytes, offset) = Self.unclosedQuoteCSV()
    let reader = try Self.reader(bytes, chunkSize: chunkSize)
    #expect {
      _ = try Self.drain(reader)
    } throws: { error in
      guard case .unclosedQuote(_, let row, let byte) = error as? TableIOError else { return false }
      return row == 101 && byte == offset
        && (error as! TableIOError).description.contains("row 101 (byte \(offset)) opens a quoted field that never closes")
    }
  }

  @Test func lenientQuotesReadTheRestAsOneFieldAndSaySo() throws {
    let (bytes, offset) = Self.unclosedQuoteCSV()
    let reader = try Self.reader(bytes, lenient: true)
    #expect(try Self.drain(reader) == 101)
    let csv = try #require(reader as? CSVChunkReader)
    #expect(csv.endedInsideQuotes)
    #expect(csv.unclosedQuote?.row == 101 && csv.unclosedQuote?.byteOffset == offset)
  }

  @Test func aByteOrderMarkCountsInTheByteOffset() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("phone\n\"212\n".utf8)
    #expect {
      _ = try Self.drain(try Self.reader(bytes))
    } throws: { error in
      if case .unclosedQuote(_, 2, 9) = error as? TableIOError { return true }
      return false
    }
  }

  @Test func validRawFieldsAreKeptAndInvalidOnesAreNot() {
    func valid(_ text: String) -> Bool { Array(text.utf8).withUnsafeBytes { CSVField.isValidRaw($0) } }
    for text in ["", "abc", "\"abc\"", "\"a,b\"", "\"a\"\"b\"", "\"\"", "\"\"\"\"", "\"line\nbreak\""] {
      #expect(valid(text), "\(text)")
    }
    for text in ["\"abc\"x", "ab\"c", "\"abc", "\"", "\"\"\"", "\"a\"b\"", "x\""] {
      #expect(!valid(text), "\(text)")
    }
  }

  @Test func invalidRawFieldsAreWrittenRequotedWithTheirValue() {
    func written(_ text: String) -> String {
      let out = OutputBytes(capacity: 64)
      var scratch: [UInt8] = []
      Array(text.utf8).withUnsafeBytes { CSVField.appendCommaField($0, scratch: &scratch, to: out) }
      return String(decoding: out.bytes, as: UTF8.self)
    }
    #expect(written("\"abc\"x") == "abcx")
    #expect(written("ab\"c") == "\"ab\"\"c\"")
    #expect(written("\"a,b") == "\"a,b\"")
    #expect(written("\"a\"\"b\"") == "\"a\"\"b\"")
  }

  @Test func strictReaderRefusesWhatStrictReadersRefuse() {
    func check(_ text: String) -> StrictCSV.Violation? { Array(text.utf8).withUnsafeBytes { StrictCSV.check($0) } }
    #expect(check("a,b\n1,2\n") == nil)
    #expect(check("a,b\r\n\"1,x\",\"2\"\"\"\r\n") == nil)
    #expect(check("a,b\n\"1\"x,2\n")?.problem == "text after a closing quote")
    #expect(check("a,b\n1\"x,2\n")?.problem == "a quote inside an unquoted field")
    #expect(check("a,b\n\"1,2\n")?.problem == "a quoted field never closes")
    #expect(check("a,b\n1,2,3\n")?.record == 2)
    #expect(check("a,b\n1,\n") == nil)
  }

  @Test func ndjsonErrorsNameTheLineAndByte() throws {
    let text = "{\"phone\":\"2123682049\"}\n{\"phone\":\"6462917730\"}\n{\"phone\":\"3125550123\"\n{\"phone\":\"1\"}\n"
    let path = try Self.temporaryFile("leads.ndjson", text)
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let byte = text.utf8.count - "{\"phone\":\"1\"}\n".utf8.count
    #expect {
      let reader = try RecordReaders.open(try ByteSource(path: path), options: ReaderOptions()) { _ in }
      _ = try Self.drain(reader)
    } throws: { error in
      (error as? TableIOError)?.description == "\(path): line 4 (byte \(byte)): expected '}'"
    }
  }

  @Test func jsonErrorsNameTheRecord() throws {
    let text = "{\"contacts\": [\n {\"phone\": \"2123682049\"},\n {\"phone\" \"6462917730\"}\n], \"phone_column\": \"phone\"}"
    let path = try Self.temporaryFile("leads.json", text)
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    #expect {
      let reader = try RecordReaders.open(try ByteSource(path: path), options: ReaderOptions()) { _ in }
      _ = try Self.drain(reader)
    } throws: { error in
      (error as? TableIOError)?.description.contains("record 1 (array index; line 3, byte") == true
    }
  }

  @Test func spreadsheetRowsWithoutAValueAreBlankRows() throws {
    let (rows, _) = try readFixture("xlsx/cleared-rows.xlsx")
    #expect(rows.map(\.row) == [1, 2, 6])
    #expect(rows.last?.fields == ["(646) 555-2671"])
  }

  @Test func messageValuesAreEscapedAndCut() {
    #expect(MessageText.sanitized("ABC\r\nDEF\tG\u{1}") == "ABC\\r\\nDEF\\tG\\u{1}")
    #expect(MessageText.sanitized(String(repeating: "x", count: 100)) == String(repeating: "x", count: 60) + "…")
    #expect(!MessageText.oneLine("a\nb").contains("\n"))
  }
}
