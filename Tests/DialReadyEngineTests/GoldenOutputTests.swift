import Foundation
import Testing

@testable import DialReadyEngine

/// Runs each fixture and compares the four outputs byte for byte with `Fixtures/expected/NAME/`
/// (the manifest without times, timestamps and paths). Set `DIALREADY_UPDATE_GOLDEN=1` to rewrite them
/// after a deliberate change, then review the diff.
@Suite("Golden outputs", .serialized)
struct GoldenOutputTests {
  static let fixtures = [
    "leads-sample", "leads-semicolon-crlf", "leads-utf16le", "leads-windows1252", "leads-ragged", "leads-header-only",
  ]

  @Test(arguments: fixtures)
  func matchesExpected(_ name: String) throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: Repository.path("Fixtures/\(name).csv"))
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.chunkSize = 4096
    _ = try ClassifyJob(options: options).run()
    let expected = Repository.path("Fixtures/expected/\(name)")
    if ProcessInfo.processInfo.environment["DIALREADY_UPDATE_GOLDEN"] == "1" {
      try? FileManager.default.removeItem(atPath: expected)
      try FileManager.default.copyItem(atPath: scratch.path + "/out", toPath: expected)
    }
    let actual = try RunOutputs(directory: scratch.path + "/out")
    let golden = try RunOutputs(directory: expected)
    #expect(actual.processed == golden.processed)
    #expect(actual.filtered == golden.filtered)
    #expect(actual.rejects == golden.rejects)
    #expect(try stableManifest(actual.manifest) == stableManifest(golden.manifest))
  }

  /// The sample's hand-checked expectations (`Fixtures/leads-sample.expected.tsv`) hold row by row.
  @Test func sampleMatchesHandCheckedExpectations() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: Repository.path("Fixtures/leads-sample.csv"))
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    _ = try ClassifyJob(options: options).run()
    let rows = try CSVTestReader.records(ofFile: scratch.path + "/out/processed.csv")
    let header = rows[0]
    let column = { (name: String) in header.firstIndex(of: name)! }
    let tsv = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Repository.path("Fixtures/leads-sample.expected.tsv"))), as: UTF8.self)
    var lines = tsv.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    let expectedHeader = lines.removeFirst()
    lines.removeAll { $0.count < expectedHeader.count }
    #expect(lines.count == rows.count - 1)
    let at = { (name: String) in expectedHeader.firstIndex(of: name)! }
    for (i, expected) in lines.enumerated() {
      let row = rows[i + 1]
      let where_ = "row \(expected[at("row")])"
      #expect(row[column("status")] == expected[at("status")], "\(where_)")
      #expect(row[column("phone_e164")] == expected[at("phone_e164")], "\(where_)")
      #expect(row[column("phone_extension")] == expected[at("phone_extension")], "\(where_)")
      #expect(row[column("reason")] == expected[at("reason")], "\(where_)")
      #expect(row[column("region")] == expected[at("region")], "\(where_)")
    }
  }

  @Test func missingPhoneColumnFailsWithoutOutput() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: Repository.path("Fixtures/leads-no-phone-column.csv"))
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    #expect {
      _ = try ClassifyJob(options: options).run()
    } throws: { error in
      guard let error = error as? DialReadyError, case .phoneColumnNotFound(_, let columns) = error else { return false }
      return columns == ["name", "email", "city"] && error.exitCode == 65
    }
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
  }
}

/// Reads a whole CSV file into string fields with the project's own reader.
enum CSVTestReader {
  static func records(ofFile path: String) throws -> [[String]] {
    let input = try DecodedInput(source: try ByteSource(path: path), encoding: .utf8)
    let reader = try CSVChunkReader(input: input, dialect: .comma)
    let chunk = RecordChunk()
    var scratch: [UInt8] = []
    var records: [[String]] = []
    while try reader.nextChunk(into: chunk) {
      for r in 0..<chunk.recordCount where !chunk.isBlank(r) {
        records.append((0..<chunk.fieldCount(r)).map { f in
          CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
        })
      }
    }
    return records
  }
}

import TableIO

/// The same leads as XLSX, JSON and NDJSON must give the CSV's outputs, cell for cell.
@Suite("Every format, the same outputs")
struct FormatEquivalenceTests {
  @Test(arguments: ["leads-sample.xlsx", "leads-sample.xls", "leads-sample.json", "leads-sample.ndjson"])
  func matchesTheCSVRun(_ name: String) throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var options = ClassifyOptions(inputPath: Repository.path("Fixtures/\(name)"))
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.chunkSize = 2048
    let manifest = try ClassifyJob(options: options).run()
    let expected = Repository.path("Fixtures/expected/leads-sample")
    for file in ["processed.csv", "processed-filtered.csv", "rejects.csv"] {
      #expect(try CSVTestReader.records(ofFile: scratch.path + "/out/" + file) == CSVTestReader.records(ofFile: expected + "/" + file), "\(file)")
    }
    #expect(manifest.input.raggedRows.count == 0)
    #expect(manifest.input.format == String(name.split(separator: ".").last!))
    if name.hasSuffix(".xlsx") { #expect(manifest.input.sheet == "leads-sample" || manifest.input.sheet != nil) }
    if name.hasSuffix(".json") {
      #expect(manifest.originalFilename == "leads-sample.csv")
      #expect(manifest.input.phoneColumnChosenBy == "document")
    }
  }

  @Test func jsonBodyErrorsExitWith65() {
    var options = ClassifyOptions(inputPath: Repository.path("Fixtures/json/both.json"))
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = NSTemporaryDirectory() + "dialready-never-" + UUID().uuidString
    #expect {
      _ = try ClassifyJob(options: options).run()
    } throws: { error in
      guard let error = error as? DialReadyError else { return false }
      return error.exitCode == 65 && error.code == "invalid_body"
    }
    #expect(!FileManager.default.fileExists(atPath: options.outputDirectory!))
  }
}
