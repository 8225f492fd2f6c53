import Foundation
import Testing

@testable import TableIO

/// Reads a file the way the pipeline does: every chunk split speculatively from its guessed start
/// (as the workers do, in any order), then checked in file order, each chunk whose start was wrong
/// split again from where the one before it ended. Returns the records, or the first problem's error.
func readRanges(
  _ bytes: [UInt8], chunkSize: Int, limits: ReaderLimits = ReaderLimits(), lenientQuotes: Bool = false,
  reverse: Bool = true
) throws -> (records: [[String]], resplit: Int, openQuote: (row: Int, byteOffset: Int)?) {
  let path = TemporaryFile.write(bytes)
  defer { unlink(path) }
  var options = ReaderOptions(chunkSize: chunkSize, limits: limits)
  options.lenientQuotes = lenientQuotes
  guard let ranges = try CSVFileRanges.open(path: path, options: options) else {
    throw TableIOError.noHeader(path: "not read as ranges")
  }
  let indexes = Array(0..<ranges.chunkCount)
  var chunks: [(RecordChunk, CSVFileRanges.Loaded)] = []
  for index in reverse ? indexes.reversed() : indexes {
    let chunk = RecordChunk(capacity: 16)
    let loaded = ranges.load(index, from: ranges.guessedStarts[index], into: chunk, speculative: index > 0)
    chunks.append((chunk, loaded))
  }
  if reverse { chunks.reverse() }
  var records: [[String]] = []
  var scratch: [UInt8] = []
  var nextStart = ranges.dataStart
  var nextRow = 1
  var resplit = 0
  var openQuote: (row: Int, byteOffset: Int)?
  for index in indexes {
    var (chunk, loaded) = chunks[index]
    if loaded.start != nextStart || !loaded.complete {
      resplit += 1
      loaded = ranges.load(index, from: nextStart, into: chunk, speculative: false)
    }
    if let problem = loaded.problem { throw ranges.error(problem, firstRow: nextRow) }
    if let open = loaded.openQuote, openQuote == nil { openQuote = (nextRow + open.record, open.byteOffset) }
    for r in 0..<chunk.recordCount {
      if chunk.isBlank(r) {
        records.append([])
        continue
      }
      records.append((0..<chunk.fieldCount(r)).map { f in
        CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
      })
    }
    nextStart = loaded.end
    nextRow += chunk.recordCount
  }
  #expect(nextStart == ranges.size)
  return (records, resplit, openQuote)
}

/// What a reader made of a file: its records, or its error (its message, the temporary file's name
/// left out).
enum ReadOutcome: Equatable {
  case records([[String]])
  case failed(String)

  init(_ body: () throws -> [[String]]) {
    do { self = .records(try body()) } catch {
      let message = "\(error)"
      self = .failed(message.replacingOccurrences(of: #"/tmp/dialready-test-\w+"#, with: "FILE", options: .regularExpression))
    }
  }
}

@Suite("Reading a file in parallel ranges")
struct CSVFileRangesTests {
  /// Random files made mostly of quotes, delimiters and line ends, where guessed chunk starts are often
  /// inside quoted fields: the ranges, checked in order, give exactly the streaming reader's records
  /// (or its error), whatever the chunk size.
  @Test(arguments: Array(UInt64(1)...60))
  func rangesReadWhatTheStreamingReaderReads(seed: UInt64) throws {
    var state = seed
    func next() -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
    let alphabet = Array("aaaaab1,,\"\"\"\n\n\r".utf8) + [0xC3, 0xA9]
    var bytes = Array("h1,h2,h3\n".utf8)
    for _ in 0..<(200 + next() % 3000) {
      let b = alphabet[next() % alphabet.count]
      if b == 0xC3 { bytes += [0xC3, 0xA9] } else if b != 0xA9 { bytes.append(b) }
    }
    if seed % 3 == 0, let quote = bytes.lastIndex(of: UInt8(ascii: "\"")) { bytes.removeSubrange(quote...) }
    let lenient = seed % 2 == 0
    let expected = ReadOutcome { try readRecords(bytes, chunkSize: 1 << 20, lenientQuotes: lenient).records }
    for chunkSize in [64, 97, 256, 1000] {
      let got = ReadOutcome { try readRanges(bytes, chunkSize: chunkSize, lenientQuotes: lenient).records }
      #expect(got == expected, "seed \(seed), chunk size \(chunkSize)")
      let inOrder = ReadOutcome { try readRanges(bytes, chunkSize: chunkSize, lenientQuotes: lenient, reverse: false).records }
      #expect(inOrder == expected, "seed \(seed), chunk size \(chunkSize), in order")
    }
  }

  @Test func aGuessInsideAQuotedFieldIsSplitAgain() throws {
    // Every line after the header is inside one quoted field, so every guessed start is wrong.
    let body = String(repeating: "line of a long note\n", count: 40)
    let bytes = Array("id,note\n1,\"\(body)\"\n2,short\n".utf8)
    let read = try readRanges(bytes, chunkSize: 64)
    #expect(read.records == [["id", "note"], ["1", body], ["2", "short"]])
    #expect(read.resplit > 0)
  }

  @Test func lineEndsAtSplitPointsKeepTheirRecords() throws {
    // CRLF, lone CR and LF line ends falling on every possible split point.
    for chunkSize in 64...80 {
      var text = "a,b\r\n"
      for i in 0..<60 { text += "\(i),x" + ["\r\n", "\r", "\n"][i % 3] }
      let bytes = Array(text.utf8)
      let expected = try readRecords(bytes).records
      #expect(try readRanges(bytes, chunkSize: chunkSize).records == expected, "chunk size \(chunkSize)")
    }
  }

  @Test func byteOrderMarkIsSkippedAndBytesAreTheFiles() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("phone\n\"212\n555\"\n".utf8)
    let read = try readRanges(bytes, chunkSize: 64)
    #expect(read.records == [["phone"], ["212\n555"]])
  }

  @Test func theFirstProblemInFileOrderIsReported() throws {
    var limits = ReaderLimits()
    limits.maxColumns = 3
    var text = "a,b\n"
    for i in 0..<200 { text += i == 150 ? "1,2,3,4\n" : "\(i),x\n" }
    text += "\"never closed\n"
    for chunkSize in [64, 128, 4096] {
      #expect(throws: TableIOError.limitExceeded(path: "", LimitExceeded(.columns, limits, at: "row 152"))) {
        do { _ = try readRanges(Array(text.utf8), chunkSize: chunkSize, limits: limits) } catch let error as TableIOError {
          // The path is a temporary file's.
          if case .limitExceeded(_, let violation) = error { throw TableIOError.limitExceeded(path: "", violation) }
          throw error
        }
      }
    }
  }

  @Test func anUnclosedQuoteNamesItsRowAndByteAtEveryChunkSize() throws {
    var text = "a,b\n"
    for i in 0..<100 { text += "\(i),x\n" }
    let byte = text.utf8.count + 2
    text += "7,\"open\n" + String(repeating: "more\n", count: 50)
    for chunkSize in [64, 200, 1 << 20] {
      do {
        _ = try readRanges(Array(text.utf8), chunkSize: chunkSize)
        Issue.record("no error at chunk size \(chunkSize)")
      } catch let error as TableIOError {
        guard case .unclosedQuote(_, let row, let offset) = error else {
          Issue.record("\(error)")
          continue
        }
        #expect(row == 102 && offset == byte, "chunk size \(chunkSize)")
      }
      let lenient = try readRanges(Array(text.utf8), chunkSize: chunkSize, lenientQuotes: true)
      #expect(lenient.openQuote?.row == 102 && lenient.openQuote?.byteOffset == byte)
      #expect(lenient.records.count == 102)
    }
  }

  /// A file cut short while it is read fails with the byte where it ended, not with a crash or a
  /// silently shorter output.
  @Test func aFileThatShrinksWhileReadIsAnError() throws {
    let path = TemporaryFile.write(Array(("phone\n" + String(repeating: "2125550100\n", count: 2000)).utf8))
    defer { unlink(path) }
    let ranges = try #require(try CSVFileRanges.open(path: path, options: ReaderOptions(chunkSize: 1000)))
    #expect(ranges.chunkCount > 10)
    #expect(truncate(path, 5000) == 0)
    let chunk = RecordChunk(capacity: 16)
    let last = ranges.chunkCount - 1
    let loaded = ranges.load(last, from: ranges.guessedStarts[last], into: chunk, speculative: true)
    let problem = try #require(loaded.problem)
    #expect(ranges.error(problem, firstRow: 1) == .inputShrank(path: path, byteOffset: 5000))
    #expect("\(ranges.error(problem, firstRow: 1))".contains("ended at byte 5000 while it was being read"))
  }

  @Test func onlyRegularUTF8DelimitedTextIsReadInRanges() throws {
    let utf16 = TemporaryFile.write([0xFF, 0xFE] + Array("a\n".utf8).flatMap { [$0, 0] })
    defer { unlink(utf16) }
    #expect(try CSVFileRanges.open(path: utf16, options: ReaderOptions()) == nil)
    let json = TemporaryFile.write(Array("[{\"phone\": \"2125550100\"}]".utf8))
    defer { unlink(json) }
    #expect(try CSVFileRanges.open(path: json, options: ReaderOptions()) == nil)
    let empty = TemporaryFile.write([])
    defer { unlink(empty) }
    #expect(try CSVFileRanges.open(path: empty, options: ReaderOptions()) == nil)
    #expect(try CSVFileRanges.open(path: "-", options: ReaderOptions()) == nil)
  }
}
