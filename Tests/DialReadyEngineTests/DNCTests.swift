import Foundation
import Testing
import ZIPFoundation

@testable import DialReadyEngine

@Suite("Do-not-call lists", .serialized)
struct DNCTests {
  static func parse(_ text: String) -> (DNCParseReport, DNCIndexBuilder) {
    var builder = DNCIndexBuilder()
    let report = Array(text.utf8).withUnsafeBytes { DNCListParser.parse($0, into: &builder) }
    return (report, builder)
  }

  @Test func registryFormatsAndBadLines() {
    let (report, builder) = Self.parse("AAA,NNNNNNN\r\n212,3682049\r\n 646 , 2917730\n4163682049\n14155550100\n+13125508842\n\n212,36820\nhello\n")
    #expect(report.numbers == 5)
    #expect(report.badLines == 2)
    #expect(report.firstBadLines.map(\.line) == [8, 9])
    #expect(builder.count == 5)
  }

  @Test func indexRoundTripAndLookups() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var builder = DNCIndexBuilder()
    var rng = SplitMix64(state: 7)
    var inserted: [UInt64] = []
    for _ in 0..<400_000 { inserted.append(212_000_0000 + UInt64.random(in: 2_000_000...9_999_999, using: &rng)) }  // dense: a bitmap
    for _ in 0..<2_000 { inserted.append(UInt64.random(in: 301...989, using: &rng) * 10_000_000 + UInt64.random(in: 2_000_000...9_999_999, using: &rng)) }
    for number in inserted { builder.insert(number) }
    let path = scratch.path + "/dnc.dncx"
    try builder.write(to: path, sources: [DNCSource(name: "test", sha256: String(repeating: "0", count: 64), date: 1_700_000_000, numbers: inserted.count, badLines: 0)], createdAt: 1_700_000_100)
    let index = try DNCIndex(path: path)
    #expect(index.count == Set(inserted).count)
    #expect(inserted.allSatisfy(index.contains))
    #expect(!index.contains(2_121_999_999) && !index.contains(9_995_551_234))
    #expect(index.sources.first?.name == "test" && index.oldestSourceDate == 1_700_000_000)
    var enumerated = 0
    index.forEachNumber { _ in enumerated += 1 }
    #expect(enumerated == index.count)
  }

  @Test func damagedIndexesAreRefused() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var builder = DNCIndexBuilder()
    for line in 0..<1000 { builder.insert(2_123_680_000 + UInt64(line)) }
    let path = scratch.path + "/dnc.dncx"
    try builder.write(to: path, sources: [], createdAt: 0)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let truncated = scratch.write("truncated.dncx", Array(bytes.prefix(bytes.count / 2)))
    #expect(throws: DNCIndexError.self) { _ = try DNCIndex(path: truncated) }
    var flipped = [UInt8](bytes)
    flipped[20] ^= 0xFF
    let damaged = scratch.write("damaged.dncx", flipped)
    #expect(throws: DNCIndexError.self) { _ = try DNCIndex(path: damaged) }
  }

  @Test func zipOfAreaCodeFilesAndTablesWithAPhoneColumn() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let zipPath = scratch.path + "/dnc.zip"
    let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
    for (name, text) in [("212.txt", "212,3682049\n212,3682050\n"), ("416.txt", "416,7392200\n416,7392\n")] {
      let data = Data(text.utf8)
      try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    let table = scratch.write("internal.csv", Array("name,Mobile Phone\nAda,(646) 291-7730\nBo,N/A\n".utf8))
    let (reports, count) = try DNCLists.build([zipPath, table], to: scratch.path + "/all.dncx")
    #expect(count == 4)
    #expect(reports[0].source.numbers == 3 && reports[0].source.badLines == 1)
    #expect(reports[0].firstBadLines.first?.reason.hasPrefix("416.txt:") == true)
    #expect(reports[1].source.numbers == 1 && reports[1].source.badLines == 1 && reports[1].firstBadLines.first?.line == 3)
    let index = try DNCIndex(path: scratch.path + "/all.dncx")
    #expect(index.contains(6_462_917_730) && index.contains(4_167_392_200))
  }

  @Test func classifyMarksListedNumbersAndRefusesStaleLists() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array("name,phone\nAda,(212) 368-2049\nBo,(646) 291-7730\n".utf8))
    let list = scratch.write("dnc.txt", Array("212,3682049\n".utf8))
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.dncPaths = [list]
    let manifest = try ClassifyJob(options: options).run()
    #expect(manifest.counts.classification["Do Not Call"] == 1)
    let processed = try String(contentsOfFile: scratch.path + "/out/processed.csv", encoding: .utf8)
    #expect(processed.contains("Ada,(212) 368-2049,+12123682049,,valid,,US,NY,America/New_York,unknown,true,0.198,Do Not Call,midday_local_time"))
    let filtered = try String(contentsOfFile: scratch.path + "/out/processed-filtered.csv", encoding: .utf8)
    #expect(!filtered.contains("Ada") && filtered.contains("Bo"))

    // A list last downloaded 40 days ago is past the 31-day safe harbor.
    try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-40 * 86_400)], ofItemAtPath: list)
    _ = try DNCLists.build([list], to: scratch.path + "/old.dncx")
    options.dncPaths = [scratch.path + "/old.dncx"]
    options.force = true
    #expect {
      _ = try ClassifyJob(options: options).run()
    } throws: { ($0 as? DialReadyError)?.code == "stale_dnc_index" && ($0 as? DialReadyError)?.exitCode == 65 }
    options.allowStaleDNC = true
    #expect(try ClassifyJob(options: options).run().counts.classification["Do Not Call"] == 1)
  }

  @Test func recordedNumbersAreExcludedOnTheNextRun() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let seen = scratch.path + "/seen.dncx"
    let first = scratch.write("monday.csv", Array("name,phone\nAda,(212) 368-2049\nBo,(646) 291-7730\n".utf8))
    var options = ClassifyOptions(inputPath: first)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/monday"
    options.excludePath = seen
    options.recordPath = seen
    _ = try ClassifyJob(options: options).run()
    #expect(try DNCIndex(path: seen).count == 2)

    let second = scratch.write("tuesday.csv", Array("name,phone\nAda again,212.368.2049\nCy,(415) 902-3318\n".utf8))
    options.inputPath = second
    options.outputDirectory = scratch.path + "/tuesday"
    let manifest = try ClassifyJob(options: options).run()
    #expect(manifest.duplicateRowCount == 1 && manifest.validRowCount == 1)
    #expect(manifest.counts.reason["seen_in_previous_run"] == 1)
    let rejects = try String(contentsOfFile: scratch.path + "/tuesday/rejects.csv", encoding: .utf8)
    #expect(rejects == "row,phone,reason\n2,212.368.2049,seen_in_previous_run\n")
    #expect(try DNCIndex(path: seen).count == 3)
  }
}
