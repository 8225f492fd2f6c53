import Crypto
import Foundation
import NANP
import TableIO

/// Reads do-not-call lists in every form users have them: the national registries' full lists (US FTC,
/// Canadian DNCL: `AAA,NNNNNNN` per line, or bare 10/11-digit lines), a ZIP of per-area-code list
/// files, and internal lists as CSV/XLSX/JSON files with a phone column; and opens indexes.
public enum DNCLists {
  /// What one source contributed.
  public struct SourceReport: Sendable {
    /// The source as recorded in the index.
    public var source: DNCSource
    /// The first bad lines (line or row number, reason).
    public var firstBadLines: [(line: Int, reason: String)]
  }

  /// Adds every number of each file to `builder`; bad lines are counted and reported, never dropped silently.
  public static func load(_ paths: [String], into builder: inout DNCIndexBuilder) throws(DialReadyError) -> [SourceReport] {
    var reports: [SourceReport] = []
    for path in paths {
      let data: Data
      // Foundation's reader leaks its buffer on an empty file: an empty file is read as no bytes here.
      let empty = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0
      do { data = empty ? Data() : try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
        throw FileManager.default.fileExists(atPath: path)
          ? .input(.inputUnreadable(path: path, errno: EACCES)) : .input(.inputMissing(path: path))
      }
      let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
      let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
      var numbers = 0
      var badLines = 0
      var firstBad: [(line: Int, reason: String)] = []
      let prefix = [UInt8](data.prefix(8))
      if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) && path.lowercased().hasSuffix(".zip") {
        try loadZip(path: path, into: &builder, numbers: &numbers, badLines: &badLines, firstBad: &firstBad)
      } else if looksLikeList(data) {
        let report = data.withUnsafeBytes { DNCListParser.parse($0, into: &builder) }
        numbers = report.numbers
        badLines = report.badLines
        firstBad = report.firstBadLines
      } else {
        try loadTable(path: path, into: &builder, numbers: &numbers, badLines: &badLines, firstBad: &firstBad)
      }
      let source = DNCSource(
        name: (path as NSString).lastPathComponent, sha256: sha, date: Int64(modified.timeIntervalSince1970),
        numbers: numbers, badLines: badLines)
      reports.append(SourceReport(source: source, firstBadLines: firstBad))
    }
    return reports
  }

  /// Builds an index file from lists; returns what each source contributed.
  public static func build(_ paths: [String], to output: String) throws(DialReadyError) -> (reports: [SourceReport], count: Int) {
    var builder = DNCIndexBuilder()
    let reports = try load(paths, into: &builder)
    do {
      try builder.write(to: output, sources: reports.map(\.source), createdAt: Int64(Date().timeIntervalSince1970))
    } catch { throw .dnc(error) }
    return (reports, builder.count)
  }

  /// Opens each path as an index (memory-mapped), or, for a raw list, indexes it on the fly.
  public static func open(_ paths: [String]) throws(DialReadyError) -> [DNCIndex] {
    var indexes: [DNCIndex] = []
    for path in paths {
      let prefix = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 8)).flatMap { $0 }.map { [UInt8]($0) } ?? []
      if DNCIndex.isIndexFile(prefix: prefix) {
        do { indexes.append(try DNCIndex(path: path)) } catch { throw .dnc(error) }
        continue
      }
      let temporary = NSTemporaryDirectory() + "dialready-dnc-\(getpid())-\(indexes.count).dncx"
      _ = try build([path], to: temporary)
      defer { unlink(temporary) }
      do { indexes.append(try DNCIndex(path: temporary)) } catch { throw .dnc(error) }
    }
    return indexes
  }

  /// Whether the file is a list (lines of `AAA,NNNNNNN` or digits, perhaps after one header line)
  /// rather than a table with a phone column: the first data lines decide.
  static func looksLikeList(_ data: Data) -> Bool {
    var lines: [String] = []
    for line in data.prefix(4096).split(separator: 10) {
      var text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
      if !text.isEmpty { lines.append(text) }
      if lines.count == 3 { break }
    }
    let isRecord = { (text: String) in text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "," || $0 == "+" || $0 == " ") } }
    return lines.isEmpty || lines.dropFirst().contains(where: isRecord) || (lines.count == 1 && isRecord(lines[0]))
  }

  private static func loadZip(
    path: String, into builder: inout DNCIndexBuilder, numbers: inout Int, badLines: inout Int,
    firstBad: inout [(line: Int, reason: String)]
  ) throws(DialReadyError) {
    do throws(SpreadsheetError) {
      let archive = try ZipArchive(path: path)
      var inflated: Int64 = 0
      for entry in archive.entries where !entry.name.hasSuffix("/") {
        var bytes: [UInt8] = []
        var budget = InflateBudget(part: entry.name, compressed: entry.compressedSize, limits: ReaderLimits(), before: inflated)
        try archive.inflate(entry, budget: &budget) { block in bytes.append(contentsOf: block) }
        inflated += Int64(bytes.count)
        let report = bytes.withUnsafeBytes { DNCListParser.parse($0, into: &builder) }
        numbers += report.numbers
        badLines += report.badLines
        for bad in report.firstBadLines where firstBad.count < DNCParseReport.keptBadLines {
          firstBad.append((bad.line, "\(entry.name): \(bad.reason)"))
        }
      }
    } catch {
      throw .input(.spreadsheet(path: path, .corrupt("cannot read the ZIP of lists: \(error)")))
    }
  }

  private static func loadTable(
    path: String, into builder: inout DNCIndexBuilder, numbers: inout Int, badLines: inout Int,
    firstBad: inout [(line: Int, reason: String)]
  ) throws(DialReadyError) {
    let reader: any RecordReader
    let chunk = RecordChunk()
    do {
      reader = try RecordReaders.open(try ByteSource(path: path), options: ReaderOptions()) { _ in }
      guard try reader.nextChunk(into: chunk) else { return }
    } catch { throw .input(error) }
    let header = HeaderSample(chunk: chunk)
    let parser = PhoneNumberParser(allowedRegions: .all)
    guard case .success(let column) = PhoneColumn.choose(header: header.names, requested: reader.declaredPhoneColumn, sample: header.sample, parser: parser) else {
      throw .phoneColumnNotFound(path: path, columns: header.names)
    }
    var scratch: [UInt8] = []
    var first = true
    repeat {
      for r in (first ? 1 : 0)..<chunk.recordCount where !chunk.isBlank(r) {
        let row = chunk.firstRow + r
        let result = column.index < chunk.fieldCount(r)
          ? CSVField.withValue(chunk.rawField(r, column.index), scratch: &scratch) { parser.parse($0) } : .invalid(.empty)
        switch result {
        case .valid(let number):
          builder.insert(number.national)
          numbers += 1
        case .invalid(let reason):
          badLines += 1
          if firstBad.count < DNCParseReport.keptBadLines { firstBad.append((row, reason.rawValue)) }
        }
      }
      first = false
      do { if !(try reader.nextChunk(into: chunk)) { break } } catch { throw .input(error) }
    } while true
  }
}
