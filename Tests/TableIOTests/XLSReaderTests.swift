import Crypto
import Testing

@testable import TableIO

@Suite("XLS reader")
struct XLSReaderTests {
  /// The cells a fixture's expected TSV lists: `row<TAB>column<TAB>text`, 0-based.
  static func expectedCells(_ name: String) -> [String] {
    RepositoryText.read(FixturePath.of(name)).split(separator: "\n").map(String.init)
  }

  /// Every non-empty cell of a sheet as `row<TAB>column<TAB>text` (0-based, escaped), in order.
  static func renderCells(_ name: String, sheet: String? = nil) throws -> [String] {
    let compound = try CompoundFile(bytes: Array(RepositoryBytes.read(FixturePath.of(name))))
    let workbook = try XLSWorkbook(compoundFile: compound)
    let index = sheet.flatMap { workbook.sheetNames.firstIndex(of: $0) } ?? 0
    var lines: [String] = []
    try workbook.forEachRow(ofSheet: index) { row, cells in
      for cell in cells where !cell.text.isEmpty {
        var text = ""
        for ch in String(decoding: cell.text, as: UTF8.self) {
          switch ch {
          case "\\": text += "\\\\"
          case "\t": text += "\\t"
          case "\n": text += "\\n"
          default: text.append(ch)
          }
        }
        lines.append("\(row)\t\(cell.column)\t\(text)")
      }
    }
    return lines
  }

  @Test func everyCellKindMatchesTheExpectedCells() throws {
    #expect(try Self.renderCells("xls/kinds.xls") == Self.expectedCells("xls/kinds.expected.tsv"))
    #expect(try Self.renderCells("xls/kinds.xls", sheet: "Other") == Self.expectedCells("xls/kinds-Other.expected.tsv"))
  }

  @Test func largeSharedStringTableAcrossContinueRecords() throws {
    let lines = try Self.renderCells("xls/large-sst.xls")
    let rendering = lines.map { $0 + "\n" }.joined()
    let digest = SHA256.hash(data: Array(rendering.utf8)).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    let expected = RepositoryText.read(FixturePath.of("xls/large-sst.expected.sha256"))
    #expect(expected.contains("sha256 \(digest)"))
    #expect(expected.contains("cells \(lines.count)"))
  }

  @Test func readerPadsRowsAndKeepsRowNumbers() throws {
    let (rows, reader) = try readFixture("xls/kinds.xls")
    #expect(reader.format == .xls)
    #expect(reader.sheetNames == ["Leads", "Other"])
    #expect(rows[0].fields == ["name", "phone", "amount", "flag", "formula"])
    #expect(rows.allSatisfy { $0.fields.count >= 5 })
    #expect(rows[2].fields[1] == "2125551234")
  }

  @Test func damagedFilesAreRefusedNotCrashed() throws {
    let original = Array(RepositoryBytes.read(FixturePath.of("xls/kinds.xls")))
    var state: UInt64 = 99
    for round in 0..<300 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      var bytes = original
      if round % 2 == 0 {
        bytes.removeLast(Int(state >> 33) % bytes.count)
      } else {
        for k in 0..<8 { bytes[Int((state >> UInt64(k * 3)) % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: state >> 40) | 1 }
      }
      do {
        let workbook = try XLSWorkbook(compoundFile: try CompoundFile(bytes: bytes))
        for index in workbook.sheetNames.indices { try workbook.forEachRow(ofSheet: index) { _, _ in } }
      } catch {
        // Refused: what a damaged file must be.
      }
    }
  }
}

enum RepositoryBytes {
  static func read(_ path: String) -> [UInt8] { Array(RepositoryText.readBytes(path)) }
}

extension RepositoryText {
  static func readBytes(_ path: String) -> [UInt8] {
    guard let source = try? ByteSource(path: path) else { return [] }
    var bytes: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    defer { buffer.deallocate() }
    while let n = try? source.read(into: buffer), n > 0 { bytes += buffer[0..<n] }
    return bytes
  }
}
