import Foundation
import Testing
import TableIO

@testable import DialReadyEngine

/// A fixed-seed generator so a failing input can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Generates a lead list with awkward fields: quotes, delimiters and line breaks inside quotes,
/// repeated numbers in other formats, junk, and a mix of line ends.
enum GeneratedList {
  static let phones = [
    "(212) 368-2049", "212.368.2049", "+1 646 291 7730", "1-646-291-7730", "415 902 3318 x12", "N/A", "",
    "555-1234", "2125551234.0", "(416) 739-2200", "1-800-356-9377", "787-764-0000", "212-555-0155",
    "2.12555E+09", "646-291-7730 / 212-368-2049", "３１２５５０８８４２", "(312) 550-8842", "903-555-0100",
  ]

  static func make(rows: Int, seed: UInt64) -> (bytes: [UInt8], records: [[String]]) {
    var rng = SplitMix64(state: seed)
    var records: [[String]] = [["id", "name", "phone", "notes"]]
    for i in 0..<rows {
      var phone = phones.randomElement(using: &rng)!
      if Int.random(in: 0..<4, using: &rng) == 0 {
        // A fresh random number so not everything is a duplicate.
        phone = "(\(Int.random(in: 201...989, using: &rng))) \(Int.random(in: 230...989, using: &rng))-\(Int.random(in: 1000...9999, using: &rng))"
      }
      let notes = ["", "plain", "has, comma", "has \"quotes\"", "two\nlines", "crlf\r\ninside", "ünïcödé"].randomElement(using: &rng)!
      records.append([String(i), "Name \(i)", phone, notes])
    }
    var text = ""
    for (n, record) in records.enumerated() {
      text += record.map(quote).joined(separator: ",")
      text += n % 3 == 0 ? "\r\n" : "\n"
    }
    return (Array(text.utf8), records)
  }

  static func quote(_ field: String) -> String {
    if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
      return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return field
  }
}

@Suite("Pipeline properties")
struct PipelinePropertyTests {
  @Test(arguments: [UInt64(1), 2, 3, 4, 5])
  func processedKeepsEveryRecordInOrder(seed: UInt64) throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let rows = Int(seed) * 400
    let (bytes, records) = GeneratedList.make(rows: rows, seed: seed)
    let input = scratch.write("list.csv", bytes)
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.chunkSize = 512 + Int(seed) * 97
    options.threads = 2
    let manifest = try ClassifyJob(options: options).run()

    let processed = try CSVTestReader.records(ofFile: scratch.path + "/out/processed.csv")
    #expect(processed.count == records.count)
    for (got, want) in zip(processed, records) {
      #expect(Array(got.prefix(want.count)) == want)
    }
    #expect(manifest.validRowCount + manifest.invalidRowCount + manifest.duplicateRowCount == rows)
    #expect(manifest.input.dataRows == rows)

    let header = processed[0]
    let classColumn = header.firstIndex(of: "classification")!
    let likely = processed.dropFirst().filter { $0[classColumn] == "Likely Answer" }
    let filtered = try CSVTestReader.records(ofFile: scratch.path + "/out/processed-filtered.csv")
    #expect(filtered.first == header)
    #expect(Array(filtered.dropFirst()) == likely)

    // Every duplicate points back to an earlier valid row with the same number.
    let statusColumn = header.firstIndex(of: "status")!
    let reasonColumn = header.firstIndex(of: "reason")!
    let e164Column = header.firstIndex(of: "phone_e164")!
    var firstSeen: [String: Int] = [:]
    for (index, row) in processed.enumerated().dropFirst() {
      let rowNumber = index + 1
      switch row[statusColumn] {
      case "valid":
        #expect(firstSeen[row[e164Column]] == nil)
        firstSeen[row[e164Column]] = rowNumber
      case "duplicate":
        #expect(row[reasonColumn] == "duplicate_of_row_\(firstSeen[row[e164Column]] ?? -1)")
      default:
        #expect(row[e164Column].isEmpty)
      }
    }
    let rejects = try CSVTestReader.records(ofFile: scratch.path + "/out/rejects.csv")
    #expect(rejects.count - 1 == manifest.invalidRowCount + manifest.duplicateRowCount)
  }

  @Test func outputDoesNotDependOnChunkSizeOrThreads() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let (bytes, _) = GeneratedList.make(rows: 3000, seed: 42)
    let input = scratch.write("list.csv", bytes)
    var digests: Set<String> = []
    for (chunkSize, threads) in [(1 << 20, 1), (300, 2), (4096, 3), (1000, 8)] {
      var options = ClassifyOptions(inputPath: input)
      options.plannedCallTime = TestClock.plannedCall
      options.outputDirectory = scratch.path + "/out-\(chunkSize)-\(threads)"
      options.chunkSize = chunkSize
      options.threads = threads
      let m = try ClassifyJob(options: options).run()
      digests.insert(m.outputs.processed.sha256 + m.outputs.filtered.sha256 + m.outputs.rejects.sha256)
    }
    #expect(digests.count == 1)
  }
}

@Suite("Pipeline properties with lists")
struct PipelineListPropertyTests {
  /// Lists are looked up a batch of rows at a time; order and content must not change, and every
  /// row's `dnc` flag and `seen_in_previous_run` reason must be its own (not a batch neighbour's).
  @Test func batchedLookupsKeepRowsInOrderAndFlagsOnTheirRows() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let (bytes, records) = GeneratedList.make(rows: 2500, seed: 99)
    let input = scratch.write("list.csv", bytes)
    // Every third distinct fresh number on the DNC list, every fifth in the store of earlier runs.
    let fresh = Array(Set(records.dropFirst().map { $0[2] }.filter { !GeneratedList.phones.contains($0) }))
      .sorted().map { UInt64($0.filter(\.isNumber))! }
    let dncNumbers = [2_123_682_049, 6_462_917_730, 4_167_392_200] + fresh.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
    let seenNumbers = fresh.enumerated().filter { $0.offset % 5 == 1 }.map(\.element)
    let list = scratch.write("dnc.txt", Array(dncNumbers.map { "\($0)\n" }.joined().utf8))
    var seenStore = DNCIndexBuilder()
    for number in seenNumbers { _ = seenStore.insert(number) }
    try seenStore.write(to: scratch.path + "/seen.dncx", sources: [], createdAt: 0)
    let onDNC = Set(dncNumbers.map { "+1\($0)" })
    let seen = Set(seenNumbers.map { "+1\($0)" })
    var digests: Set<String> = []
    for (chunkSize, threads) in [(1 << 20, 1), (300, 2), (2048, 3)] {
      var options = ClassifyOptions(inputPath: input)
      options.plannedCallTime = TestClock.plannedCall
      options.outputDirectory = scratch.path + "/out-\(chunkSize)-\(threads)"
      options.chunkSize = chunkSize
      options.threads = threads
      options.dncPaths = [list]
      options.excludePath = scratch.path + "/seen.dncx"
      let manifest = try ClassifyJob(options: options).run()
      #expect((manifest.counts.classification["Do Not Call"] ?? 0) > 0)
      #expect((manifest.counts.reason["seen_in_previous_run"] ?? 0) > 0)
      digests.insert(manifest.outputs.processed.sha256 + manifest.outputs.rejects.sha256)
      let processed = try CSVTestReader.records(ofFile: options.outputDirectory! + "/processed.csv")
      #expect(processed.count == records.count)
      for (got, want) in zip(processed, records) { #expect(Array(got.prefix(want.count)) == want) }
      let header = processed[0]
      let e164 = header.firstIndex(of: "phone_e164")!, dnc = header.firstIndex(of: "dnc")!
      let reason = header.firstIndex(of: "reason")!
      var valid: Set<String> = []
      var flaggedSeen: Set<String> = []
      for row in processed.dropFirst() where !row[e164].isEmpty {
        #expect(row[dnc] == (onDNC.contains(row[e164]) ? "true" : "false"), "\(row)")
        valid.insert(row[e164])
        if row[reason] == "seen_in_previous_run" { flaggedSeen.insert(row[e164]) }
      }
      #expect(valid.count > 300)
      #expect(flaggedSeen == seen.intersection(valid))
    }
    #expect(digests.count == 1)
  }
}
