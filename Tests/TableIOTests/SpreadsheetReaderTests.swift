import Testing

@testable import TableIO

/// Paths of checked-in fixtures, from this source file's location.
enum FixturePath {
  static func of(_ relative: String) -> String {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/") + "/Fixtures/" + relative
  }
}

/// Reads every record of a fixture through the reader its content selects.
func readFixture(_ relative: String, sheet: String? = nil, chunkSize: Int = 1 << 20) throws -> (rows: [(row: Int, fields: [String])], reader: any RecordReader) {
  let source = try ByteSource(path: FixturePath.of(relative))
  let reader = try RecordReaders.open(source, options: ReaderOptions(sheet: sheet, chunkSize: chunkSize)) { _ in }
  let chunk = RecordChunk(capacity: 64)
  var rows: [(Int, [String])] = []
  var scratch: [UInt8] = []
  while try reader.nextChunk(into: chunk) {
    for r in 0..<chunk.recordCount where !chunk.isBlank(r) {
      rows.append((chunk.firstRow + r, (0..<chunk.fieldCount(r)).map { f in
        CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
      }))
    }
  }
  return (rows, reader)
}

@Suite("XLSX reader")
struct XLSXReaderTests {
  /// `Fixtures/xlsx/kinds.expected.tsv`: row, column letter, text (hand-checked).
  static func expectedGrid() -> [String: String] {
    let text = RepositoryText.read(FixturePath.of("xlsx/kinds.expected.tsv"))
    var grid: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let f = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
      guard f.count == 3 else { continue }
      var value = ""
      var escaped = false
      for ch in f[2] {
        if escaped {
          value.append(ch == "t" ? "\t" : ch == "n" ? "\n" : ch == "r" ? "\r" : ch)
          escaped = false
        } else if ch == "\\" {
          escaped = true
        } else {
          value.append(ch)
        }
      }
      grid["\(f[0])\(f[1])"] = value
    }
    return grid
  }

  @Test(arguments: [64, 1 << 20])
  func everyCellKindMatchesTheHandCheckedGrid(chunkSize: Int) throws {
    let (rows, reader) = try readFixture("xlsx/kinds.xlsx", chunkSize: chunkSize)
    #expect(reader.format == .xlsx)
    #expect(reader.sheetNames == ["Leads", "Other"])
    #expect(reader.sheetName == "Leads")
    var grid: [String: String] = [:]
    for (row, fields) in rows {
      for (column, value) in fields.enumerated() where !value.isEmpty {
        grid["\(row)\(Character(UnicodeScalar(UInt8(65 + column))))"] = value
      }
    }
    #expect(grid == Self.expectedGrid())
  }

  @Test func secondSheetByNameOrNumber() throws {
    let byName = try readFixture("xlsx/kinds.xlsx", sheet: "Other")
    let byNumber = try readFixture("xlsx/kinds.xlsx", sheet: "2")
    #expect(byName.reader.sheetName == "Other")
    #expect(byName.rows.map(\.fields) == byNumber.rows.map(\.fields))
    #expect(!byName.rows.isEmpty)
  }

  @Test func unknownSheetListsTheSheets() {
    #expect(throws: TableIOError.spreadsheet(path: FixturePath.of("xlsx/kinds.xlsx"), .sheetNotFound(requested: "Leeds", available: ["Leads", "Other"]))) {
      _ = try readFixture("xlsx/kinds.xlsx", sheet: "Leeds")
    }
  }

  @Test(arguments: ["xlsx/truncated.xlsx", "xlsx/no-sheet.xlsx"])
  func damagedWorkbooksAreErrors(_ name: String) {
    #expect {
      _ = try readFixture(name)
    } throws: { error in
      guard case .spreadsheet(_, .corrupt) = error as? TableIOError else { return false }
      return true
    }
  }

  @Test func rowsPastTheSpreadsheetLimitAreRefused() {
    let violation = LimitExceeded(.rows, ReaderLimits(), at: "the worksheet")
    #expect(throws: TableIOError.spreadsheet(path: FixturePath.of("xlsx/too-many-rows.xlsx"), .limitExceeded(violation))) {
      _ = try readFixture("xlsx/too-many-rows.xlsx")
    }
  }

  @Test func numbersAreExactAndShortest() throws {
    let (rows, _) = try readFixture("xlsx/kinds.xlsx")
    #expect(rows[1].fields[1] == "2125551234")
    #expect(rows[2].fields[1] == "12125551234")
    #expect(rows[3].fields[1] == "2125551234")
    func normalized(_ literal: String) -> String {
      let out = OutputBytes(capacity: 8)
      Array(literal.utf8).withUnsafeBytes { NumberText.appendNormalized($0, to: out) }
      return String(decoding: out.bytes, as: UTF8.self)
    }
    #expect(normalized("12125551234") == "12125551234")
    #expect(normalized("123456789012345678901") == "123456789012345678901")
    #expect(normalized("2.125551234E9") == "2125551234")
    #expect(normalized("1.2125551234E10") == "12125551234")
    #expect(normalized("78.459999999999994") == "78.46")
    #expect(normalized("100.000") == "100")
    #expect(normalized("1.0000000000000001E-5") == "1e-05")
    #expect(normalized("-0") == "0")
    #expect(NumberText.format(-0.0) == "0")
    #expect(NumberText.format(2125551234) == "2125551234")
    #expect(NumberText.format(0.5) == "0.5")
  }

  @Test func xmlTextWhitespaceAndLineEnds() {
    let out = OutputBytes(capacity: 16)
    Array("a\r\nb\rc&#13;d_xD801__xDC05_".utf8).withUnsafeBytes { XMLText.decode($0, into: out) }
    #expect(String(decoding: out.bytes, as: UTF8.self) == "a\nb\nc\rd\u{10405}")
    let trimmed = OutputBytes(capacity: 16)
    trimmed.append(text: "keep  padded \n")
    trimmed.trimWhitespace(from: 4)
    #expect(String(decoding: trimmed.bytes, as: UTF8.self) == "keeppadded")
  }

  @Test func xmlEntitiesAndEscapes() {
    let out = OutputBytes(capacity: 16)
    Array("A &amp; B &lt;c&gt; &#233;&#x4E2D; _x000D_ _x005F_x000D_".utf8).withUnsafeBytes { XMLText.decode($0, into: out) }
    #expect(String(decoding: out.bytes, as: UTF8.self) == "A & B <c> é中 \r _x000D_")
  }
}

@Suite("JSON and NDJSON readers")
struct JSONReaderTests {
  @Test func phoneNumbersBodyHasOnePhoneColumn() throws {
    let (rows, reader) = try readFixture("json/phone-numbers.json")
    #expect(reader.format == .json)
    #expect(rows[0].fields == ["phone"])
    #expect(rows[1].fields == ["(212) 368-2049"])
    #expect(reader.declaredPhoneColumn == "phone")
  }

  @Test func contactsKeepTheUnionOfKeysAndNestedValuesAsJSON() throws {
    let (rows, reader) = try readFixture("json/nested.ndjson")
    #expect(reader.format == .ndjson)
    #expect(rows[0].fields == ["name", "phone", "tags", "address", "score", "active", "note", "count", "ratio", "unicode"])
    #expect(rows[1].fields[2] == #"["vip","east"]"#)
    #expect(rows[1].fields[3] == #"{"city":"New York","zip":"10001"}"#)
    #expect(rows[2].fields[4] == "0.75" && rows[2].fields[5] == "true")
  }

  @Test(arguments: [
    ("json/both.json", "provide exactly one of phone_numbers or contacts, not both"),
    ("json/neither.json", "provide exactly one of phone_numbers or contacts"),
    ("json/missing-phone-column.json", "phone_column is required with contacts"),
    ("json/phone-column-absent.json", "phone_column 'mobile' is not present in the data"),
  ])
  func bodyErrorsMatchTheReferenceAPI(_ name: String, _ message: String) {
    #expect(throws: TableIOError.spreadsheet(path: FixturePath.of(name), .invalidBody(message))) { _ = try readFixture(name) }
  }

  @Test func malformedJSONNamesTheRecordLineAndByte() {
    #expect {
      _ = try readFixture("json/malformed.json")
    } throws: { error in
      guard case .spreadsheet(_, .invalidBody(let message)) = error as? TableIOError else { return false }
      return message.hasPrefix("malformed JSON in record 1 (array index; line 10, byte 162): ")
    }
  }

  @Test func sameLeadsInEveryFormat() throws {
    let csv = try readFixture("leads-sample.csv").rows.map(\.fields)
    for name in ["leads-sample.json", "leads-sample.ndjson", "leads-sample.xlsx", "leads-sample.xls"] {
      let other = try readFixture(name, chunkSize: 512).rows.map(\.fields)
      #expect(other == csv, "\(name)")
    }
  }

  @Test func formatDetection() {
    #expect(InputFormat.detect(prefix: [0x50, 0x4B, 0x03, 0x04], path: "x.csv") == .xlsx)
    #expect(InputFormat.detect(prefix: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], path: "x") == .xls)
    #expect(InputFormat.detect(prefix: Array("  {\"contacts\": [\n{}]}".utf8), path: "x") == .json)
    #expect(InputFormat.detect(prefix: Array("{\"a\":1}\n{\"a\":2}\n".utf8), path: "x.txt") == .ndjson)
    #expect(InputFormat.detect(prefix: Array("a\tb\n".utf8), path: "x.tsv") == .tsv)
    #expect(InputFormat.detect(prefix: Array("phone\n".utf8), path: "x.xlsx") == .csv)
  }
}

enum RepositoryText {
  static func read(_ path: String) -> String {
    guard let source = try? ByteSource(path: path) else { return "" }
    var bytes: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    defer { buffer.deallocate() }
    while let n = try? source.read(into: buffer), n > 0 { bytes += buffer[0..<n] }
    return String(decoding: bytes, as: UTF8.self)
  }
}
