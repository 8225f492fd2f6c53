import Foundation
import Testing

@testable import DialReadyEngine

@Suite("Classify job")
struct ClassifyJobTests {
  func run(_ text: String, configure: (inout ClassifyOptions) -> Void = { _ in }) throws -> (OutputManifest, ScratchDirectory) {
    let (manifest, scratch, _) = try classifyText(text, configure: configure)
    return (manifest, scratch)
  }

  @Test func firstOccurrenceWinsByE164() throws {
    let (m, scratch) = try run("phone\n(212) 368-2049\n212.368.2049 x5\n+1 212 368 2049\n")
    defer { scratch.cleanUp() }
    let out = try RunOutputs(directory: scratch.path + "/out")
    #expect(m.validRowCount == 1 && m.duplicateRowCount == 2)
    #expect(out.rejects == "row,phone,reason\n3,212.368.2049 x5,duplicate_of_row_2\n4,+1 212 368 2049,duplicate_of_row_2\n")
    #expect(out.processed.contains("212.368.2049 x5,+12123682049,5,duplicate,duplicate_of_row_2,US,NY,America/New_York,unknown,false,0.198,Duplicate,midday_local_time\n"))
  }

  @Test func phoneColumnIsFoundByNameOrContent() throws {
    let (m1, s1) = try run("Name,Phone Number\nA,212-368-2049\n")
    defer { s1.cleanUp() }
    #expect(m1.input.phoneColumn == "Phone Number" && m1.input.phoneColumnChosenBy == "header")
    let (m2, s2) = try run("who,digits\nA,212-368-2049\nB,646-291-7730\n")
    defer { s2.cleanUp() }
    #expect(m2.input.phoneColumn == "digits" && m2.input.phoneColumnChosenBy == "content")
    let (m3, s3) = try run("a,b,c\n1,212-368-2049,x\n", configure: { $0.phoneColumn = "B" })
    defer { s3.cleanUp() }
    #expect(m3.input.phoneColumnIndex == 1 && m3.input.phoneColumnChosenBy == "option")
  }

  @Test func phoneColumnNamesMatchLoosely() {
    #expect(PhoneColumn.normalize("Phone Number") == PhoneColumn.normalize("phone_number"))
    #expect(PhoneColumn.normalize("phoneNumber") == PhoneColumn.normalize("PHONE-NUMBER"))
  }

  @Test func unknownPhoneColumnListsTheColumns() {
    #expect {
      _ = try run("a,b\n1,2\n", configure: { $0.phoneColumn = "mobile" })
    } throws: { error in
      (error as? DialReadyError)?.description.contains("no column named 'mobile'; the columns are 'a', 'b'") == true
    }
  }

  @Test func minValidFailsLikeTheReferenceAPI() {
    #expect {
      _ = try run("phone\n212-368-2049\nN/A\n", configure: { $0.minValid = 2 })
    } throws: { error in
      guard let error = error as? DialReadyError else { return false }
      return error.code == "min_contacts_required" && error.exitCode == 65
        && error.description.hasSuffix("min_contacts_required: at least 2 valid phone numbers are required, got 1")
    }
  }

  @Test func maxRowsAndMaxBytes() {
    #expect(throws: DialReadyError.self) { _ = try run("phone\n1\n2\n3\n", configure: { $0.maxRows = 2 }) }
    #expect(throws: DialReadyError.self) { _ = try run("phone\n212-368-2049\n", configure: { $0.maxBytes = 5 }) }
  }

  @Test func existingOutputIsRefusedUnlessForced() throws {
    let (_, scratch) = try run("phone\n212-368-2049\n")
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: scratch.path + "/in.csv")
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    #expect { _ = try ClassifyJob(options: options).run() } throws: { ($0 as? DialReadyError)?.exitCode == 73 }
    options.force = true
    let m = try ClassifyJob(options: options).run()
    #expect(m.validRowCount == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["in.csv", "out"])
  }

  @Test func invalidUTF8IsReportedAndKeptByteForByte() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var bytes = Array("name,phone\n".utf8)
    bytes += Array("Ok,212-368-2049\n".utf8)
    // 70 KB of valid text first so the sniffer settles on UTF-8, then a stray Latin-1 byte on row 4.
    bytes += Array("Filler \(String(repeating: "x", count: 70_000)),646-291-7730\n".utf8)
    bytes += [0x4A, 0xE9, 0x2C] + Array("312-550-8842\n".utf8)
    let input = scratch.write("in.csv", bytes)
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    let m = try ClassifyJob(options: options).run()
    #expect(m.input.encoding == "utf-8")
    #expect(m.input.invalidUtf8Rows.count == 1 && m.input.invalidUtf8Rows.firstRows == [4])
    let processed = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/processed.csv"))
    #expect(processed.range(of: Data([0x4A, 0xE9, 0x2C, 0x33])) != nil)
  }

  @Test func raggedRowsAreKeptAndReported() throws {
    let (m, scratch) = try run("name,phone,city\nA,212-368-2049\nB,646-291-7730,NYC,extra\n")
    defer { scratch.cleanUp() }
    #expect(m.input.raggedRows.count == 2 && m.input.raggedRows.firstRows == [2, 3])
    let out = try RunOutputs(directory: scratch.path + "/out")
    #expect(out.processed.contains("A,212-368-2049,,+12123682049,"))
    #expect(out.processed.hasSuffix(",Likely Answer,midday_local_time,extra\n"))
  }

  @Test func manifestCarriesTheContract() throws {
    let (m, scratch) = try run("phone\n212-368-2049\n\n555-1234\n")
    defer { scratch.cleanUp() }
    #expect(m.status == "completed" && m.originalFilename == "in.csv")
    #expect(m.input.blankLines == 1 && m.input.dataRows == 2)
    #expect(m.input.sha256.count == 64 && m.outputs.processed.sha256.count == 64)
    #expect(m.errors.map(\.reason) == ["too_short"] && m.errors[0].firstRows == [4])
    #expect(m.engine.numberingData == "phonenumbers 9.0.43" && m.engine.modelId == "default-prior-v1")
    #expect(m.counts.status == ["valid": 1, "invalid": 1, "duplicate": 0])
    let onDisk = try OutputManifest.decode(Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/manifest.json")))
    #expect(onDisk.validRowCount == 1)
  }

  @Test func defaultOutputDirectoryIsBesideTheInput() {
    #expect(ClassifyOptions(inputPath: "/data/leads.csv").resolvedOutputDirectory == "/data/leads.dialready")
    #expect(ClassifyOptions(inputPath: "leads").resolvedOutputDirectory == "leads.dialready")
    #expect(ClassifyOptions(inputPath: "-").resolvedOutputDirectory == "stdin.dialready")
  }

  @Test func emptyFileHasNoHeader() {
    #expect { _ = try run("") } throws: { ($0 as? DialReadyError)?.code == "no_header" }
  }
}

@Suite("Repeats in the list")
struct ListRepeatTests {
  @Test func sharedNumbersScoreLowerWithCountRepeats() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("in.csv", Array("name,phone\nA,(212) 368-2049\nB,212.368.2049\nC,(212) 368-2049\nD,(646) 291-7730\n".utf8))
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.countRepeats = true
    _ = try ClassifyJob(options: options).run()
    let rows = try CSVTestReader.records(ofFile: scratch.path + "/out/processed.csv")
    let score = rows[0].firstIndex(of: "answer_score")!
    let reasons = rows[0].firstIndex(of: "answer_reasons")!
    #expect(Double(rows[1][score])! < Double(rows[4][score])!)
    #expect(rows[1][reasons].contains("list_repeats"))
    #expect(!rows[4][reasons].contains("list_repeats"))

    options.inputPath = "-"
    options.outputDirectory = scratch.path + "/stdin"
    // Refused before anything is read from standard input.
    #expect { _ = try ClassifyJob(options: options).run() } throws: { ($0 as? DialReadyError)?.code == "invalid_model" }
  }
}
