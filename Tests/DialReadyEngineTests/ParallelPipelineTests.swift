import Crypto
import Foundation
import Testing
import TableIO

@testable import DialReadyEngine

/// A list built to put every awkward thing across chunk split points: quoted fields with delimiters,
/// doubled quotes and line breaks (LF, CRLF, lone CR) inside them, every kind of line end, blank
/// lines, short and long rows, invalid UTF-8, formulas, and numbers that repeat in other formats.
enum SplitPointList {
  static func make(rows: Int, seed: UInt64, unclosedQuoteAtEnd: Bool = false) -> [UInt8] {
    var rng = SplitMix64(state: seed)
    let phones = [
      "(212) 368-2049", "212.368.2049", "\"+1 646 291 7730\"", "1-646-291-7730", "415 902 3318 x12", "N/A", "",
      "(416) 739-2200", "\"(312) 550-8842\"", "312-550-8842", "212-555-0155", "2.12555E+09", "903-555-0100",
    ]
    let names = ["Ann", "\"Smith, Bob\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"cr\ronly\"", "\"crlf\r\nin\"", "x\"y", "caf\u{e9}"]
    let notes = ["", "plain", "=SUM(A1)", "\"" + String(repeating: "long note ", count: 30) + "\"", "\"a\n\nb\""]
    let lineEnds: [[UInt8]] = [[10], [13, 10], [13]]
    var bytes = Array("id,name,phone,notes\r\n".utf8)
    for i in 0..<rows {
      var phone = phones.randomElement(using: &rng)!
      if Int.random(in: 0..<3, using: &rng) == 0 {
        phone = "(\(Int.random(in: 201...299, using: &rng))) 555-\(Int.random(in: 1000...1099, using: &rng))"
      }
      var fields = [String(i), names.randomElement(using: &rng)!, phone, notes.randomElement(using: &rng)!]
      switch Int.random(in: 0..<20, using: &rng) {
      case 0: fields.removeLast()
      case 1: fields.append("extra")
      default: break
      }
      bytes += Array(fields.joined(separator: ",").utf8)
      if Int.random(in: 0..<40, using: &rng) == 0 { bytes += [0xFF, 0xFE] }
      bytes += lineEnds.randomElement(using: &rng)!
      if Int.random(in: 0..<30, using: &rng) == 0 { bytes += [10] }
    }
    if unclosedQuoteAtEnd { bytes += Array("\(rows),\"never closed,2125550100\n1,2\n".utf8) }
    return bytes
  }
}

/// What a run wrote: the three outputs' bytes and the manifest without run-to-run fields.
struct RunBytes: Equatable {
  let processed: Data
  let filtered: Data
  let rejects: Data
  let manifest: NSDictionary

  init(directory: String) throws {
    func read(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)) }
    processed = try read("processed.csv")
    filtered = try read("processed-filtered.csv")
    rejects = try read("rejects.csv")
    manifest = try stableManifest(String(decoding: try read("manifest.json"), as: UTF8.self))
  }
}

@Suite("Parallel pipeline")
struct ParallelPipelineTests {
  /// Runs `input` with `threads` threads and `chunkSize`-byte chunks; returns what it wrote.
  static func run(
    _ input: String, out: String, threads: Int, chunkSize: Int, configure: (inout ClassifyOptions) -> Void = { _ in }
  ) throws -> RunBytes {
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = out
    options.threads = threads
    options.chunkSize = chunkSize
    configure(&options)
    _ = try ClassifyJob(options: options).run()
    return try RunBytes(directory: out)
  }

  /// Streams `bytes` through a named pipe, so the job reads them with the sequential reader.
  static func runThroughPipe(
    _ bytes: [UInt8], scratch: ScratchDirectory, name: String, chunkSize: Int,
    configure: (inout ClassifyOptions) -> Void = { _ in }
  ) throws -> RunBytes {
    let folder = scratch.path + "/pipe-\(chunkSize)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let fifo = folder + "/" + name
    #expect(mkfifo(fifo, 0o600) == 0)
    let writer = Thread {
      let fd = open(fifo, O_WRONLY)
      _ = bytes.withUnsafeBytes { FileIO.writeAll(fd, $0) }
      close(fd)
    }
    writer.start()
    return try run(fifo, out: folder + "/out", threads: 2, chunkSize: chunkSize, configure: configure)
  }

  /// Same bytes in every output at 1, 2, 3 and 8 threads and at chunk sizes that put quotes, line
  /// breaks and duplicates across split points; the same as one chunk read in one go, and as the
  /// sequential reader reading the list from a pipe in small chunks and in one.
  @Test(arguments: [UInt64(11), 12, 13])
  func everyThreadCountAndChunkSizeWritesTheSameBytes(seed: UInt64) throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let bytes = SplitPointList.make(rows: 1500, seed: seed, unclosedQuoteAtEnd: seed == 13)
    let input = scratch.write("list.csv", bytes)
    let configure: (inout ClassifyOptions) -> Void = { options in
      options.lenientQuotes = true
      if seed == 12 {
        options.excelSafe = true
        options.callingWindow = CallingWindowOptions(at: TestClock.plannedCall, policy: CallingPolicy(), filterCallable: true)
      }
    }
    let reference = try Self.run(input, out: scratch.path + "/ref", threads: 1, chunkSize: 1 << 24, configure: configure)
    #expect(reference.processed.count > bytes.count)
    for chunkSize in [64, 1 << 20] {
      let piped = try Self.runThroughPipe(bytes, scratch: scratch, name: "list.csv", chunkSize: chunkSize, configure: configure)
      #expect(piped == reference, "through a pipe, chunk size \(chunkSize)")
    }
    for chunkSize in [64, 150, 700] {
      for threads in [1, 2, 3, 8] {
        let out = scratch.path + "/out-\(chunkSize)-\(threads)"
        let got = try Self.run(input, out: out, threads: threads, chunkSize: chunkSize, configure: configure)
        #expect(got == reference, "chunk size \(chunkSize), \(threads) threads")
      }
    }
  }

  /// Reading errors are raised in file order: the first one in the file wins at every thread count
  /// and chunk size, though later chunks are split first.
  @Test func theFirstErrorInTheFileWinsAtEveryThreadCount() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    var text = "id,phone\n"
    for i in 0..<400 { text += i == 300 ? "\(i),2125550100,x,y,z\n" : "\(i),(212) 368-\(2000 + i)\n" }
    text += "400,\"never closed\n"
    let input = scratch.write("list.csv", Array(text.utf8))
    for chunkSize in [64, 200, 1 << 20] {
      for threads in [1, 2, 8] {
        let expected = DialReadyError.input(.limitExceeded(
          path: input, LimitExceeded(.columns, { var l = ReaderLimits(); l.maxColumns = 4; return l }(), at: "row 302")))
        #expect {
          _ = try Self.run(input, out: scratch.path + "/out", threads: threads, chunkSize: chunkSize) {
            $0.limits.maxColumns = 4
          }
        } throws: { ($0 as? DialReadyError)?.description == expected.description }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
      }
    }
  }

  @Test func tooManyRowsFailsAtEveryThreadCountWithNothingWritten() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("list.csv", SplitPointList.make(rows: 600, seed: 5))
    for threads in [1, 3] {
      #expect {
        _ = try Self.run(input, out: scratch.path + "/out", threads: threads, chunkSize: 128) { $0.maxRows = 500 }
      } throws: { ($0 as? DialReadyError)?.description == DialReadyError.tooManyRows(path: input, limit: 500).description }
      #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    }
  }

  /// The manifest's hashes are the files' own (hashed on their own threads, beside the writers).
  @Test func manifestHashesAreTheFilesHashes() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let bytes = SplitPointList.make(rows: 2000, seed: 21)
    let input = scratch.write("list.csv", bytes)
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = scratch.path + "/out"
    options.threads = 3
    options.chunkSize = 256
    options.lenientQuotes = true
    let manifest = try ClassifyJob(options: options).run()
    #expect(manifest.input.sha256 == SHA256Hex.of(Data(bytes)))
    for (entry, name) in [
      (manifest.outputs.processed, "processed.csv"), (manifest.outputs.filtered, "processed-filtered.csv"),
      (manifest.outputs.rejects, "rejects.csv"),
    ] {
      let data = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/" + name))
      #expect(entry.sha256 == SHA256Hex.of(data), "\(name)")
      #expect(entry.bytes == data.count, "\(name)")
    }
  }
}

/// SHA-256 in hex, as `sha256sum` prints it.
enum SHA256Hex {
  static func of(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}
