import DialReadyEngine
import Foundation
import NANP
import Scoring
import TableIO

/// The body of each fuzz target: hands one input to one parser and drains it.
///
/// A target may throw any of the parser's documented errors (that is how bad input is reported); it must
/// never crash, hang, leak or exhaust memory. Parsers that read from a path get the input as a file in a
/// per-process scratch folder, named with the extension the parser expects.
public enum FuzzTargets {
  /// Every target by name, as `Scripts/fuzz.sh` names them.
  public static let all: [String: (UnsafeRawBufferPointer) -> Void] = [
    "number": number, "csv": csv, "xlsx": xlsx, "xls": xls, "json": json, "ndjson": ndjson,
    "dnc-list": dncList, "dnc-index": dncIndex, "lookup": lookup, "history": history, "model": model,
    "state-rules": stateRules,
  ]

  /// The NANP parser, on the raw bytes and on the bytes as UTF-8 text.
  public static func number(_ input: UnsafeRawBufferPointer) {
    let parser = PhoneNumberParser(allowedRegions: .all)
    _ = parser.parse(input)
    _ = parser.parse(String(decoding: input, as: UTF8.self))
  }

  /// The CSV reader, with delimiter and encoding sniffing.
  public static func csv(_ input: UnsafeRawBufferPointer) { drain(input, ext: "csv", format: .csv) }
  /// The XLSX reader: ZIP container, workbook, shared strings, sheet XML. An input that is not a ZIP is
  /// packed as the parts of a minimal workbook (see `XLSXParts`), so mutations reach the XML directly.
  public static func xlsx(_ input: UnsafeRawBufferPointer) {
    if input.starts(with: [0x50, 0x4B]) { return drain(input, ext: "xlsx", format: .xlsx) }
    XLSXParts.package(input).withUnsafeBytes { drain($0, ext: "xlsx", format: .xlsx) }
  }
  /// The XLS reader: OLE2 compound file, BIFF8 records.
  public static func xls(_ input: UnsafeRawBufferPointer) { drain(input, ext: "xls", format: .xls) }
  /// The JSON reader.
  public static func json(_ input: UnsafeRawBufferPointer) { drain(input, ext: "json", format: .json) }
  /// The NDJSON reader.
  public static func ndjson(_ input: UnsafeRawBufferPointer) { drain(input, ext: "ndjson", format: .ndjson) }

  /// Do-not-call list files (registry lines, bare numbers, CSV tables).
  public static func dncList(_ input: UnsafeRawBufferPointer) {
    let path = scratch.write(input, ext: "txt")
    var builder = DNCIndexBuilder()
    _ = try? DNCLists.load([path], into: &builder)
  }

  /// Do-not-call index files: the header, the area-code table and each bucket are checked before use.
  public static func dncIndex(_ input: UnsafeRawBufferPointer) {
    let path = scratch.write(input, ext: "idx")
    guard let index = try? DNCIndex(path: path) else { return }
    var seen = 0
    index.forEachNumber { _ in seen += 1 }
    for national: UInt64 in [2_015_550_123, 2_125_551_234, 9_999_999_999, 0] { _ = index.contains(national) }
  }

  /// Line-type lookup files.
  public static func lookup(_ input: UnsafeRawBufferPointer) {
    let path = scratch.write(input, ext: "csv")
    _ = try? LineTypeLookup(path: path)
  }

  /// Call-history files.
  public static func history(_ input: UnsafeRawBufferPointer) {
    let path = scratch.write(input, ext: "csv")
    _ = try? CallHistory(path: path)
  }

  /// Model files.
  public static func model(_ input: UnsafeRawBufferPointer) {
    let path = scratch.write(input, ext: "json")
    _ = try? LogisticAnswerModel.load(path: path)
  }

  /// State calling-rule tables.
  public static func stateRules(_ input: UnsafeRawBufferPointer) {
    _ = try? StateRuleTable.parse(String(decoding: input, as: UTF8.self), path: "rules.csv")
  }

  /// Opens `input` as `format` and reads every record.
  static func drain(_ input: UnsafeRawBufferPointer, ext: String, format: InputFormat) {
    let path = scratch.write(input, ext: ext)
    do {
      let source = try ByteSource(path: path)
      let reader = try RecordReaders.open(source, options: ReaderOptions(format: format, chunkSize: 1 << 14)) { _ in }
      let chunk = RecordChunk(capacity: 1 << 14)
      while try reader.nextChunk(into: chunk) {
        for r in 0..<chunk.recordCount {
          for f in 0..<chunk.fieldCount(r) { _ = chunk.rawField(r, f).count }
        }
      }
    } catch {
      _ = "\(error)"  // Every error must describe itself without trapping.
      return
    }
    classifyAndCheckOutputs(path, format: format)
  }

  /// Classifies an input the reader accepted (unclosed quotes read leniently, so that fields left open
  /// reach the writer) and traps unless every output parses as strict RFC 4180 CSV, every processed
  /// row has at least the header's fields, rejects rows all have three, and no row is lost.
  static func classifyAndCheckOutputs(_ path: String, format: InputFormat) {
    var options = ClassifyOptions(inputPath: path)
    options.format = format
    options.outputDirectory = scratch.folder + "/out"
    options.force = true
    options.threads = 1
    options.chunkSize = 1 << 12
    options.lenientQuotes = true
    guard let manifest = try? ClassifyJob(options: options).run() else { return }
    for (name, sameWidth) in [("processed.csv", false), ("processed-filtered.csv", false), ("rejects.csv", true)] {
      let data = FileManager.default.contents(atPath: manifest.outputDirectory + "/" + name) ?? Data()
      let counts = data.withUnsafeBytes { StrictCSV.fieldCounts($0) }
      if let violation = data.withUnsafeBytes({ StrictCSV.check($0, sameWidth: sameWidth) }) {
        fatalError("\(name) is not strict CSV: \(violation)")
      }
      if name == "processed.csv", case .success(let rows) = counts, rows.count - 1 != manifest.input.dataRows {
        fatalError("processed.csv has \(rows.count - 1) rows for \(manifest.input.dataRows) data rows")
      }
      if name == "rejects.csv", case .success(let rows) = counts,
        rows.count - 1 != manifest.invalidRowCount + manifest.duplicateRowCount
      {
        fatalError("rejects.csv has \(rows.count - 1) rows for \(manifest.invalidRowCount + manifest.duplicateRowCount) rejected")
      }
    }
  }

  static let scratch = ScratchFolder()
}

/// A per-process folder for inputs that parsers read by path.
final class ScratchFolder: @unchecked Sendable {
  let folder: String

  init() {
    let base = ProcessInfo.processInfo.environment["DIALREADY_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
    folder = (base as NSString).appendingPathComponent("dialready-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  /// Writes `bytes` to `input.EXT` (overwriting the last input) and returns the path.
  func write(_ bytes: UnsafeRawBufferPointer, ext: String) -> String {
    let path = folder + "/input." + ext
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write the fuzz input to \(path)")
    var offset = 0
    while offset < bytes.count {
      let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      precondition(n > 0, "cannot write the fuzz input to \(path)")
      offset += n
    }
    close(fd)
    return path
  }
}
