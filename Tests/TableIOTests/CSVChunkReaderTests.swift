import Testing

@testable import TableIO

#if canImport(Glibc)
  import Glibc
#endif

/// Writes `bytes` to a temporary file and reads every record back as unquoted field strings.
func readRecords(
  _ bytes: [UInt8], chunkSize: Int = 1 << 20, dialect: CSVDialect? = nil, encoding: InputEncoding? = nil,
  lenientQuotes: Bool = false
) throws -> (records: [[String]], reader: CSVChunkReader) {
  let path = TemporaryFile.write(bytes)
  defer { unlink(path) }
  let input = try DecodedInput(source: try ByteSource(path: path), encoding: encoding)
  let reader = try CSVChunkReader(input: input, dialect: dialect, chunkSize: chunkSize, lenientQuotes: lenientQuotes)
  let chunk = RecordChunk(capacity: 64)
  var records: [[String]] = []
  var scratch: [UInt8] = []
  var expectedRow = 1
  while try reader.nextChunk(into: chunk) {
    #expect(chunk.firstRow == expectedRow)
    expectedRow += chunk.recordCount
    for r in 0..<chunk.recordCount {
      if chunk.isBlank(r) {
        records.append([])
        continue
      }
      records.append(
        (0..<chunk.fieldCount(r)).map { f in
          CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
        })
    }
  }
  return (records, reader)
}

enum TemporaryFile {
  static func write(_ bytes: [UInt8]) -> String {
    var template = Array("/tmp/dialready-test-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    precondition(fd >= 0)
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    close(fd)
    return String(cString: template)
  }
}

@Suite("CSV record splitting")
struct CSVChunkReaderTests {
  static let chunkSizes = [1, 2, 3, 7, 64, 1 << 20]

  @Test("RFC 4180 quoting at every chunk size", arguments: chunkSizes)
  func quoting(chunkSize: Int) throws {
    let text = "name,phone,notes\n\"Smith, Jo\",212-555-2368,\"said \"\"hi\"\"\"\nAl,\"646\n555\",\"a\r\nb\"\n"
    let (records, _) = try readRecords(Array(text.utf8), chunkSize: chunkSize)
    #expect(records == [
      ["name", "phone", "notes"], ["Smith, Jo", "212-555-2368", "said \"hi\""], ["Al", "646\n555", "a\r\nb"],
    ])
  }

  @Test("line ends: LF, CRLF, lone CR and mixed", arguments: chunkSizes)
  func lineEnds(chunkSize: Int) throws {
    let text = "a,b\r\n1,2\r3,4\n5,6\r\n"
    let (records, _) = try readRecords(Array(text.utf8), chunkSize: chunkSize)
    #expect(records == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
  }

  @Test("blank lines are records of their own and keep row numbers", arguments: chunkSizes)
  func blankLines(chunkSize: Int) throws {
    let (records, _) = try readRecords(Array("a,b\n\n1,2\r\n\r\n3,4\n\n".utf8), chunkSize: chunkSize)
    #expect(records == [["a", "b"], [], ["1", "2"], [], ["3", "4"], []])
  }

  @Test("final line without newline", arguments: chunkSizes)
  func finalLineWithoutNewline(chunkSize: Int) throws {
    #expect(try readRecords(Array("a,b\n1,2".utf8), chunkSize: chunkSize).records == [["a", "b"], ["1", "2"]])
    #expect(try readRecords(Array("a,b\n1,".utf8), chunkSize: chunkSize).records == [["a", "b"], ["1", ""]])
    #expect(try readRecords(Array("a,b\n\"1\"".utf8), chunkSize: chunkSize).records == [["a", "b"], ["1"]])
  }

  @Test func strayQuoteInUnquotedFieldIsLiteral() throws {
    let (records, _) = try readRecords(Array("name,phone\nDale O\"Brien,617-555-4437\n5\" pipe,x\n".utf8))
    #expect(records == [["name", "phone"], ["Dale O\"Brien", "617-555-4437"], ["5\" pipe", "x"]])
  }

  @Test func textAfterClosingQuoteStaysInField() throws {
    let (records, _) = try readRecords(Array("a,b\n\"12\"3,x\n".utf8))
    #expect(records == [["a", "b"], ["123", "x"]])
  }

  @Test func raggedRowsKeepTheirFields() throws {
    let (records, _) = try readRecords(Array("a,b,c\n1\n1,2,3,4,5\n".utf8))
    #expect(records == [["a", "b", "c"], ["1"], ["1", "2", "3", "4", "5"]])
  }

  @Test func unterminatedQuoteRunsToEndOfFileWhenLenient() throws {
    let (records, reader) = try readRecords(Array("a,b\n1,\"open\n2,3\n".utf8), lenientQuotes: true)
    #expect(records == [["a", "b"], ["1", "open\n2,3\n"]])
    #expect(reader.endedInsideQuotes)
  }

  @Test func utf8ByteOrderMarkIsRemoved() throws {
    let (records, reader) = try readRecords([0xEF, 0xBB, 0xBF] + Array("phone\n2125552368\n".utf8))
    #expect(records == [["phone"], ["2125552368"]])
    #expect(reader.input.hadByteOrderMark)
    #expect(reader.input.encoding == .utf8)
  }

  @Test func emptyFileHasNoRecords() throws {
    #expect(try readRecords([]).records.isEmpty)
  }

  @Test func oversizedRecordIsAnError() throws {
    let path = TemporaryFile.write(Array("a\n\"".utf8) + [UInt8](repeating: 65, count: 300_000))
    defer { unlink(path) }
    let reader = try CSVChunkReader(
      input: try DecodedInput(source: try ByteSource(path: path), encoding: nil), dialect: nil, chunkSize: 1024,
      limits: { var l = ReaderLimits(); l.maxRecordBytes = 100_000; return l }())
    let chunk = RecordChunk(capacity: 64)
    #expect(throws: TableIOError.recordTooLarge(path: path, row: 2, limit: 100_000)) {
      while try reader.nextChunk(into: chunk) {}
    }
  }
}

@Suite("Dialect sniffing")
struct CSVDialectTests {
  @Test(arguments: [
    ("name,phone\na,1\nb,2\n", ","), ("name;phone\na;1,5\nb;2,5\n", ";"), ("name\tphone\na\t1\n", "\\t"),
    ("name|phone|city\na|1|x\n", "|"), ("\"a;b\",c\n\"x;y\",z\n", ","), ("phone\n2125552368\n", ","),
  ])
  func sniffs(_ text: String, _ expected: String) {
    let dialect = Array(text.utf8).withUnsafeBytes { CSVDialect.sniff($0) }
    #expect(dialect.description == expected)
  }

  @Test func delimiterNames() {
    #expect(CSVDialect(delimiterName: "tab")?.delimiter == 9)
    #expect(CSVDialect(delimiterName: ";")?.delimiter == UInt8(ascii: ";"))
    #expect(CSVDialect(delimiterName: "ab") == nil)
    #expect(CSVDialect(delimiterName: "\"") == nil)
  }

  @Test func givenDelimiterOverridesSniffing() throws {
    let (records, _) = try readRecords(Array("a,b;c\n1,2;3\n".utf8), dialect: CSVDialect(delimiterName: ";"))
    #expect(records == [["a,b", "c"], ["1,2", "3"]])
  }
}
