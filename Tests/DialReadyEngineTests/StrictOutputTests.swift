import Foundation
import TableIO
import Testing

@testable import DialReadyEngine

/// Every output parses with a strict RFC 4180 reader, no row disappears without an error, and
/// messages stay on one line.
@Suite("Strict outputs and loud failures")
struct StrictOutputTests {
  func run(_ text: String, configure: (inout ClassifyOptions) -> Void = { _ in }) throws -> (OutputManifest, ScratchDirectory, ClassifyJob) {
    try classifyText(text, configure: configure)
  }

  /// Parses an output strictly; fails the test with the violation otherwise.
  func strictRecords(_ text: String, sameWidth: Bool = true) -> [Int] {
    let bytes = Array(text.utf8)
    if let violation = bytes.withUnsafeBytes({ StrictCSV.check($0, sameWidth: sameWidth) }) {
      Issue.record("not strict CSV: \(violation)")
      return []
    }
    return (try? bytes.withUnsafeBytes { StrictCSV.fieldCounts($0) }.get()) ?? []
  }

  @Test func fieldsThatAreNotValidCSVAreWrittenRequoted() throws {
    // Row 2: text after a closing quote; row 3: a stray quote in an unquoted field; row 4: a
    // quoted name with doubled quotes (valid, copied byte for byte).
    let input = "name,phone,note\n\"Ada\"x,212-368-2049,ok\nBo\"b,646-291-7730,\"a,b\"\n\"C \"\"C\"\"\",N/A,z\n"
    let (_, scratch, _) = try run(input)
    defer { scratch.cleanUp() }
    let out = try RunOutputs(directory: scratch.path + "/out")
    let counts = strictRecords(out.processed)
    #expect(counts.count == 4)
    #expect(out.processed.contains("\nAdax,212-368-2049,ok,+12123682049,"))
    #expect(out.processed.contains("\n\"Bo\"\"b\",646-291-7730,\"a,b\",+16462917730,"))
    #expect(out.processed.contains("\n\"C \"\"C\"\"\",N/A,z,,"))
    _ = strictRecords(out.filtered)
    _ = strictRecords(out.rejects)
  }

  @Test func aFieldLeftOpenAtTheEndIsWrittenClosed() throws {
    let (m, scratch, job) = try run("name,phone\nAda,212-368-2049\n\"Open,646-291-7730\nmore", configure: { $0.lenientQuotes = true })
    defer { scratch.cleanUp() }
    let out = try RunOutputs(directory: scratch.path + "/out")
    #expect(strictRecords(out.processed, sameWidth: false).count == 3)
    #expect(out.processed.contains("\n\"Open,646-291-7730\nmore\",,,,invalid,empty,"))
    _ = strictRecords(out.rejects)
    #expect(m.input.endedInsideQuotes)
    #expect(job.notices.contains { $0.contains("row 3 (byte 28) opens a quoted field that never closes") })
  }

  @Test func aQuoteThatNeverClosesFailsTheRunAndWritesNothing() throws {
    var text = "name,phone\n"
    for row in 2...201 { text += row == 101 ? "\"Unclosed,212-368-2049\n" : "Lead \(row),646-291-\(String(7000 + row))\n" }
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("in.csv", Array(text.utf8))
    var options = ClassifyOptions(inputPath: input)
    options.outputDirectory = scratch.path + "/out"
    options.chunkSize = 512  // Several chunks are processed before the last one fails.
    do {
      _ = try ClassifyJob(options: options).run()
      Issue.record("the run should fail")
    } catch {
      #expect(error.exitCode == 65)
      #expect(error.code == "unclosed_quote")
      #expect(error.description.hasPrefix("\(input): row 101 (byte "))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["in.csv"])
  }

  @Test func headerCellsWithLineBreaksStayOnOneLineInMessages() {
    let long = String(repeating: "a", count: 200)
    #expect {
      _ = try run("\"ABC\r\nDEF\",\(long)\nx,y\n")
    } throws: { error in
      let text = (error as? DialReadyError)?.description ?? ""
      return !text.contains("\n") && !text.contains("\r") && text.contains("'ABC\\r\\nDEF'")
        && text.contains(String(repeating: "a", count: 60) + "…'") && !text.contains(String(repeating: "a", count: 61))
    }
  }

  @Test func clearedSpreadsheetRowsAreCountedAsBlankNotRejected() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: Repository.path("Fixtures/xlsx/cleared-rows.xlsx"))
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    let m = try ClassifyJob(options: options).run()
    #expect(m.input.dataRows == 2)
    #expect(m.input.blankLines == 3)
    #expect(m.invalidRowCount == 0)
    let out = try RunOutputs(directory: scratch.path + "/out")
    #expect(out.rejects == "row,phone,reason\n")
  }

  /// A real sheet of 1,048,575 rows, all but two of them cleared: blank rows take no bytes, so they
  /// must not make the engine expect hundreds of millions of rows (it once sized a 4 GiB dedup table
  /// from them) nor land in one chunk. Read from the shared corpus in place, when it is there.
  @Test func aSheetOfClearedRowsStaysSmall() throws {
    let path = Repository.path("../shared/corpus/sheets/calamine-issue_174.xlsx")
    guard FileManager.default.fileExists(atPath: path) else {
      print("skipped: \(path) is not here")
      return
    }
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: path)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.phoneColumn = "1"
    let m = try ClassifyJob(options: options).run()
    #expect(m.input.dataRows == 1)
    #expect(m.input.blankLines == 1_048_574)
    #expect(m.memory.dedupTableBytes < 1 << 20)
  }
}
