import Foundation
import Testing

@testable import TableIO

/// Reads every record of `path` under `limits`, returning how many records there were.
private func readAll(_ path: String, limits: ReaderLimits, format: InputFormat? = nil) throws(TableIOError) -> Int {
  let source = try ByteSource(path: path)
  let reader = try RecordReaders.open(source, options: ReaderOptions(format: format, limits: limits)) { _ in }
  let chunk = RecordChunk(capacity: 64)
  var records = 0
  while try reader.nextChunk(into: chunk) { records += chunk.recordCount }
  return records
}

/// The limit a read stopped at, or `nil` when it completed.
private func limitHit(_ path: String, _ limits: ReaderLimits, format: InputFormat? = nil) -> LimitExceeded? {
  do {
    _ = try readAll(path, limits: limits, format: format)
    return nil
  } catch {
    switch error {
    case .limitExceeded(_, let violation): return violation
    case .spreadsheet(_, .limitExceeded(let violation)): return violation
    default:
      Issue.record("expected a limit error, got \(error)")
      return nil
    }
  }
}

private func limits(_ change: (inout ReaderLimits) -> Void) -> ReaderLimits {
  var limits = ReaderLimits()
  change(&limits)
  return limits
}

@Suite("Reader limits")
struct ReaderLimitsTests {
  @Test func defaultsAreTheDocumentedOnes() {
    let d = ReaderLimits()
    #expect(d.maxFieldBytes == 1 << 20 && d.maxColumns == 16_384 && d.maxRows == 1_048_576)
    #expect(d.maxNestingDepth == 256 && d.maxInflateRatio == 1_000)
  }

  @Test func csvFieldLongerThanTheLimitNamesRowAndColumn() throws {
    let path = TemporaryFile.write(Array("phone,note\n2125550143,short\n2125550144,\(String(repeating: "x", count: 500))\n".utf8))
    defer { unlink(path) }
    let hit = limitHit(path, limits { $0.maxFieldBytes = 100 })
    #expect(hit?.kind == .fieldBytes)
    #expect(hit?.place == "row 3, column 2")
    #expect(try readAll(path, limits: limits { $0.maxFieldBytes = 600 }) == 3)
  }

  @Test func csvRowWithTooManyColumns() throws {
    let path = TemporaryFile.write(Array("a,b,c\n1,2,3,4,5,6\n".utf8))
    defer { unlink(path) }
    let hit = limitHit(path, limits { $0.maxColumns = 5 })
    #expect(hit?.kind == .columns && hit?.place == "row 2")
    #expect(hit.map { "\($0)" }?.contains("--max-columns") == true)
  }

  @Test func xlsxLimits() {
    let kinds = FixturePath.of("xlsx/kinds.xlsx")
    #expect(limitHit(kinds, limits { $0.maxFieldBytes = 3 })?.kind == .fieldBytes)
    #expect(limitHit(kinds, limits { $0.maxColumns = 1 })?.kind == .columns)
    #expect(limitHit(kinds, limits { $0.maxRows = 2 })?.kind == .rows)
    #expect(limitHit(kinds, limits { $0.maxNestingDepth = 3 })?.kind == .nestingDepth)
    #expect(limitHit(kinds, limits { $0.maxSharedStringBytes = 4 })?.kind == .sharedStringBytes)
  }

  @Test func zipBombIsRefusedByRatioOrTotal() {
    let bomb = FixturePath.of("xlsx/zip-bomb.xlsx")
    // The sheet inflates about 880 times over (32 MiB of spaces).
    #expect(limitHit(bomb, limits { $0.maxFieldBytes = 64 << 20; $0.maxInflateRatio = 100 })?.kind == .inflateRatio)
    #expect(limitHit(bomb, limits { $0.maxFieldBytes = 64 << 20; $0.maxInflatedBytes = 4 << 20 })?.kind == .inflatedBytes)
    // With the defaults its one 32 MiB run of text is refused as an over-long field.
    #expect(limitHit(bomb, ReaderLimits())?.kind == .fieldBytes)
  }

  @Test func xmlEntitiesAreNeverExpanded() throws {
    let rows = try readFixture("xlsx/entities.xlsx").rows
    #expect(rows.map(\.fields) == [["phone"], ["(212) 368-2049"], ["&lol9;"]])
  }

  @Test func xlsLimits() {
    let kinds = FixturePath.of("xls/kinds.xls")
    #expect(limitHit(kinds, limits { $0.maxFieldBytes = 3 })?.kind == .fieldBytes)
    #expect(limitHit(kinds, limits { $0.maxColumns = 1 })?.kind == .columns)
  }

  @Test func jsonLimits() throws {
    let deep = TemporaryFile.write(Array(("{\"phone_numbers\": [" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "]}").utf8))
    defer { unlink(deep) }
    #expect(limitHit(deep, limits { $0.maxNestingDepth = 32 }, format: .json)?.kind == .nestingDepth)
    let wide = TemporaryFile.write(Array("{\"a\":1,\"b\":2,\"c\":3}\n{\"d\":4}\n".utf8))
    defer { unlink(wide) }
    #expect(limitHit(wide, limits { $0.maxColumns = 3 }, format: .ndjson)?.kind == .columns)
    let long = TemporaryFile.write(Array("{\"phone\":\"2125550143\"}\n{\"phone\":\"\(String(repeating: "9", count: 64))\"}\n".utf8))
    defer { unlink(long) }
    let hit = limitHit(long, limits { $0.maxFieldBytes = 32 }, format: .ndjson)
    #expect(hit?.kind == .fieldBytes && hit?.place == "record 3, column 1")
  }
}

@Suite("OLE2 sector chains")
struct CompoundFileChainTests {
  /// Four 512-byte sectors after the header, chained 0 → 1 → 2 → 1 (a loop).
  static func looping() -> CompoundFileSectors {
    var sectors = CompoundFileSectors(bytes: [UInt8](repeating: 0, count: 512 * 5), sectorSize: 512)
    sectors.fat = [1, 2, 1, 0xFFFF_FFFE]
    return sectors
  }

  @Test func aLoopingChainIsRefusedNotFollowed() {
    #expect(throws: SpreadsheetError.corrupt("the sector chain of the directory loops")) {
      _ = try Self.looping().chain(from: 0, what: "the directory")
    }
    #expect(throws: SpreadsheetError.corrupt("the sector chain of the Workbook stream loops back to sector 1")) {
      _ = try Self.looping().read(from: 0, size: 2048, what: "the Workbook stream")
    }
  }

  @Test func aChainEndingAtItsMarkerIsRead() throws {
    var sectors = Self.looping()
    sectors.fat = [1, 0xFFFF_FFFE, 0xFFFF_FFFE, 0xFFFF_FFFE]
    #expect(try sectors.chain(from: 0, what: "x") == [0, 1])
  }
}

@Suite("ZIP reader")
struct ZipArchiveTests {
  /// A fuzzed workbook whose worksheet's deflate data ends before the stream does (it once hung).
  @Test func deflateDataThatEndsEarlyIsRefused() throws {
    let path = FixturePath.of("fuzz-regressions/xlsx/hang-deflate-data-ends-early")
    #expect(throws: SpreadsheetError.corrupt("the compressed data of part xl/worksheets/sheet1.xml ends too early")) {
      let archive = try ZipArchive(path: path)
      let entry = try #require(archive["xl/worksheets/sheet1.xml"])
      var budget = InflateBudget(part: entry.name, compressed: entry.compressedSize, limits: ReaderLimits(), before: 0)
      try archive.inflate(entry, budget: &budget) { _ in }
    }
  }

  @Test func everyPartOfAWorkbookInflatesToItsDeclaredSizeAndCRC() throws {
    let archive = try ZipArchive(path: FixturePath.of("leads-sample.xlsx"))
    #expect(archive.entries.count >= 5)
    for entry in archive.entries {
      var budget = InflateBudget(part: entry.name, compressed: entry.compressedSize, limits: ReaderLimits(), before: 0)
      var size: Int64 = 0
      try archive.inflate(entry, budget: &budget) { size += Int64($0.count) }
      #expect(size == entry.uncompressedSize)
    }
  }

  @Test func aFileThatIsNotAZipIsRefused() {
    #expect(throws: SpreadsheetError.corrupt("not a ZIP archive: no end-of-central-directory record")) {
      _ = try ZipArchive(path: FixturePath.of("leads-sample.csv"))
    }
  }
}

@Suite("Limits against expanding references")
struct ExpandingReferenceTests {
  @Test func sheetRowsAreBoundedAsTheyAreDecoded() {
    for fixture in ["xlsx/kinds.xlsx", "xls/kinds.xls"] {
      let path = FixturePath.of(fixture)
      #expect(limitHitPublic(path, { $0.maxRecordBytes = 20 }) == .recordBytes, "\(fixture)")
    }
    #expect(limitHitPublic(FixturePath.of("xls/kinds.xls"), { $0.maxInflatedBytes = 40 }) == .inflatedBytes)
  }

  @Test func aJSONKeyLongerThanTheFieldLimitIsRefused() {
    let key = String(repeating: "k", count: 300)
    let path = TemporaryFile.write(Array("{\"contacts\": [{\"\(key)\": 1, \"phone\": \"2125550143\"}], \"phone_column\": \"phone\"}".utf8))
    defer { unlink(path) }
    #expect(limitHitPublic(path, { $0.maxFieldBytes = 100 }) == .fieldBytes)
  }

  @Test func hugeZIP64FieldsAreRefusedNotTrusted() throws {
    // An end-of-central-directory record asking for ZIP64, with a locator whose offset is all ones.
    var bytes = [UInt8](repeating: 0, count: 64)
    bytes += [0x50, 0x4B, 0x06, 0x07, 0, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8) + [1, 0, 0, 0]
    bytes += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0xFF, count: 8) + [0, 0]
    let path = TemporaryFile.write(bytes)
    defer { unlink(path) }
    #expect(throws: SpreadsheetError.self) { _ = try ZipArchive(path: path) }
  }
}

/// The kind of limit a whole read under `change`d limits stopped at, or `nil`.
func limitHitPublic(_ path: String, _ change: (inout ReaderLimits) -> Void) -> ReaderLimits.Kind? {
  var limits = ReaderLimits()
  change(&limits)
  do {
    let reader = try RecordReaders.open(try ByteSource(path: path), options: ReaderOptions(limits: limits)) { _ in }
    let chunk = RecordChunk(capacity: 64)
    while try reader.nextChunk(into: chunk) {}
    return nil
  } catch {
    switch error {
    case .limitExceeded(_, let violation), .spreadsheet(_, .limitExceeded(let violation)): return violation.kind
    default: return nil
    }
  }
}
