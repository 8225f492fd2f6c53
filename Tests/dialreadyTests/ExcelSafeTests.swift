import Foundation
import Testing

/// `--excel-safe`: cells a spreadsheet would run as formulas get a leading `'`; without it, input is
/// copied exactly. Fixture: `Fixtures/leads-formulas.csv` (hand-made; expected cells checked by hand).
@Suite("dialready classify --excel-safe", .serialized)
struct ExcelSafeTests {
  static func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  /// The first three (input) columns of each processed row, as written.
  static func inputColumns(_ line: String) -> String {
    // Every appended column follows `,+1` (valid) or `,,,` (invalid): cut at the phone_e164 column.
    if let range = line.range(of: ",+1212") ?? line.range(of: ",,,") { return String(line[..<range.lowerBound]) }
    return line
  }

  @Test func formulaCellsArePrefixedInEveryOutputAndCounted() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    let result = try Command.run(["classify", Command.fixture("leads-formulas.csv"), "--out", out, "--excel-safe"])
    #expect(result.status == 0, "\(result.stderr)")
    let processed = try Self.lines(out + "/processed.csv").dropFirst().map(Self.inputColumns)
    #expect(processed == [
      // A cell with quotes but not quoted is no valid CSV field: written re-quoted, same value.
      "\"'=HYPERLINK(\"\"http://x.test\"\")\",2123682041,plain",
      "Bob,'+1 212 368 2042,\"'=1+2\"",
      "'@SUM(A1),'-2123682043,'\ttab",
      "Carol,(212) 368-2044,'-5",
      "Dan,'=2123682041,duplicate of row 2",
      "Eve,'+0 999,invalid",
    ])
    let filtered = try Self.lines(out + "/processed-filtered.csv").dropFirst().map(Self.inputColumns)
    #expect(filtered == Array(processed.prefix(4)))
    #expect(try Self.lines(out + "/rejects.csv") == [
      "row,phone,reason", "6,'=2123682041,duplicate_of_row_2", "7,'+0 999,invalid_country_code",
    ])
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any]
    #expect((manifest?["excel_safe"] as? [String: Any])?["cells_changed"] as? Int == 9)
    // Our own columns: only phone_e164 starts with a formula character (`+`), as documented.
    for line in try Self.lines(out + "/processed.csv").dropFirst() {
      let own = line.split(separator: ",", omittingEmptySubsequences: false).suffix(12)
      for cell in own.dropFirst() { #expect(cell.first.map { !"=+-@\t\r".contains($0) } ?? true, "\(cell)") }
    }
  }

  /// Valid fields are copied byte for byte; the unquoted cell holding quotes (not a valid CSV field)
  /// is written re-quoted with the same value.
  @Test func withoutTheFlagInputIsCopiedExactly() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    let result = try Command.run(["classify", Command.fixture("leads-formulas.csv"), "--out", out])
    #expect(result.status == 0)
    let input = try Self.lines(Command.fixture("leads-formulas.csv")).dropFirst()
    let processed = try Self.lines(out + "/processed.csv").dropFirst().map(Self.inputColumns)
    var expected = Array(input)
    expected[0] = "\"=HYPERLINK(\"\"http://x.test\"\")\",2123682041,plain"
    #expect(Array(processed) == expected)
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any]
    #expect(manifest?["excel_safe"] == nil)
  }

  @Test func semicolonInputIsRequotedAndPrefixed() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = scratch.path + "/in.csv"
    try "name;phone\n=cmd|' /C calc'!A0;2123682041\n".write(toFile: input, atomically: true, encoding: .utf8)
    let result = try Command.run(["classify", input, "--out", scratch.path + "/out", "--excel-safe"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try Self.lines(scratch.path + "/out/processed.csv")
    #expect(rows[1].hasPrefix("'=cmd|' /C calc'!A0,2123682041,+12123682041,"))
  }
}
