import Crypto
import Dispatch
import Foundation
import NANP
import Scoring
import TableIO

/// Progress of a running job, reported about ten times a second.
public struct ClassifyProgress: Sendable {
  /// Data rows written so far.
  public var rows: Int
  /// Input bytes read so far.
  public var bytesRead: Int
  /// The input's size, when known.
  public var totalBytes: Int?
  /// Seconds since the job started.
  public var elapsed: Double
}

/// The main job: one lead list in; processed, filtered, rejects and manifest out.
///
/// One thread reads and splits records into chunks; `threads` workers normalize, validate, score and
/// render them in parallel (at most `2 × threads` chunks in flight, so memory does not grow with the
/// input); an ordered stage restores input order, removes duplicates and writes.
public final class ClassifyJob: @unchecked Sendable {
  /// The run's options.
  public let options: ClassifyOptions
  /// Engine version recorded in manifests.
  public static let version = "0.1.0"

  private let lock = NSLock()
  private var failure: DialReadyError?
  /// Things the user should know that did not stop the run (e.g. a recovered stale lock).
  public private(set) var notices: [String] = []

  /// Creates a job; nothing is read until ``run(progress:)``.
  public init(options: ClassifyOptions) {
    self.options = options
  }

  /// Runs the job and returns the manifest; on failure no output is left behind.
  public func run(progress: (@Sendable (ClassifyProgress) -> Void)? = nil) throws(DialReadyError) -> OutputManifest {
    let started = DispatchTime.nowNanoseconds
    let createdAt = Date()
    let path = options.inputPath
    // Before anything is opened or created: no output may replace or remove what the run reads.
    try options.checkOutputPaths()
    if options.countRepeats && path == "-" {
      throw .model("\(path): --count-repeats needs a file it can read twice, not standard input")
    }
    let source: ByteSource
    do { source = try ByteSource(path: path) } catch { throw .input(error) }
    if let limit = options.maxBytes, let size = source.size, size > limit {
      throw .tooManyBytes(path: path, limit: limit, size: size)
    }
    let inputHash = InputHasher()
    let maxBytes = options.maxBytes
    let reader: any RecordReader
    do {
      reader = try RecordReaders.open(source, options: options.readerOptions) { inputHash.update($0) }
    } catch { throw .input(error) }
    if let file = reader.fileToHash { inputHash.hashFile(file) }

    // The first chunk carries the header and the sample the phone column is detected from.
    let threads = max(1, options.threads)
    let slots = SlotPool(count: threads * 2)
    let first = slots.take()
    var readNanoseconds: UInt64 = 0
    let readStart = DispatchTime.nowNanoseconds
    let hasFirst: Bool
    do { hasFirst = try reader.nextChunk(into: first.chunk) } catch { throw .input(error) }
    readNanoseconds += DispatchTime.nowNanoseconds - readStart
    guard hasFirst else { throw .input(.noHeader(path: path)) }
    let header = HeaderSample(chunk: first.chunk)
    let parser = PhoneNumberParser(allowedRegions: options.regions)
    let column: PhoneColumn
    switch PhoneColumn.choose(
      header: header.names, requested: options.phoneColumn ?? reader.declaredPhoneColumn, sample: header.sample, parser: parser)
    {
    case .success(let chosen):
      column = options.phoneColumn == nil && chosen.chosenBy == "option"
        ? PhoneColumn(index: chosen.index, name: chosen.name, chosenBy: "document", parsedShare: nil) : chosen
    case .failure(.unknown(let name)): throw .phoneColumnUnknown(path: path, name: name, columns: header.names)
    case .failure(.notFound): throw .phoneColumnNotFound(path: path, columns: header.names)
    }

    let (dnc, exclude) = try openLists()
    let lookup = try options.lookupPath.map { (path) throws(DialReadyError) in try LineTypeLookup(path: path) }
    let history = try options.historyPath.map { (path) throws(DialReadyError) in try CallHistory(path: path, keepCalls: false) }
    if let warning = history?.warning { notices.append("\(options.historyPath ?? ""): \(warning)") }
    if let lookup, lookup.unknownWords > 0 {
      notices.append("\(options.lookupPath ?? ""): \(lookup.unknownWords) rows with unknown line types read as unknown (first rows \(lookup.firstUnknownRows.prefix(5).map(String.init).joined(separator: ", ")))")
    }
    let model = options.model
    let plannedAt = Int64((options.plannedCallTime ?? options.callingWindow?.at ?? ClassifyOptions.now()).timeIntervalSince1970)
    // The workers hold the lists unretained: keep them alive until the run is over.
    defer { withExtendedLifetime((dnc, exclude)) {} }
    let lock = try OutputLock(outputDirectory: options.resolvedOutputDirectory)
    defer { lock.release() }
    if let pid = lock.recoveredFromPID { notices.append("recovered a stale lock \(lock.path) left by PID \(pid)") }
    let directory = try OutputDirectory(finalPath: options.resolvedOutputDirectory, force: options.force)
    let processed = try directory.file("processed.csv")
    let filtered = try directory.file("processed-filtered.csv")
    let rejects = try directory.file("rejects.csv")
    let rendering = RowRendering(table: parser.table, model: model, excelSafe: options.excelSafe)
    let repeats = options.countRepeats ? try countRepeats(phoneColumn: column.index, parser: parser, expectedRows: first.chunk.recordCount) : nil
    func makeScorer() -> AnswerScorer {
      AnswerScorer(model: model, lookup: lookup, history: history, repeats: repeats, table: parser.table, at: plannedAt)
    }
    let headerLine = OutputBytes(capacity: 4096)
    let headerCellsChanged = rendering.appendInputFields(of: 0, in: first.chunk, upTo: header.names.count, to: headerLine)
    var columns = OutputColumns.names
    if options.callingWindow != nil { columns += CallingWindowOptions.columnNames }
    headerLine.append(text: "," + columns.joined(separator: ",") + "\n")
    try processed.write(headerLine.bytes)
    try filtered.write(headerLine.bytes)
    try rejects.write(OutputColumns.rejectsHeader)

    // Rows expected from the file size and the first chunk's bytes per data row: for text formats
    // only (a spreadsheet's size is compressed), and counting only rows that hold values (a sheet
    // of cleared rows is a million blank records in a few bytes).
    let firstDataRows = (0..<first.chunk.recordCount).reduce(0) { $0 + (first.chunk.isBlank($1) ? 0 : 1) }
    var expectedRows = firstDataRows
    if reader.format == .csv || reader.format == .tsv, let size = source.size, first.chunk.byteCount > 0,
      size > first.chunk.byteCount
    {
      expectedRows = Int(Double(size) / Double(first.chunk.byteCount) * Double(firstDataRows))
    }
    let ordered = OrderedStage(
      processed: processed, filtered: filtered, rejects: rejects, rendering: rendering, maxRows: options.maxRows,
      path: path, expectedRows: expectedRows)
    ordered.phoneColumnIndex = column.index
    ordered.filterCallable = options.callingWindow?.filterCallable ?? false
    ordered.recordDelivered = options.recordPath != nil
    let callingCache = options.callingWindow.map { CallingWindowCache(at: $0.at, rules: $0.policy) }
    let validateUTF8 = reader.passesBytesThrough

    // Workers: one serial queue each, chunks dealt round-robin; the ordered stage on its own queue.
    let workers = (0..<threads).map { DispatchQueue(label: "dialready.worker.\($0)") }
    let processors = (0..<threads).map { _ in
      ProcessorBox(ChunkProcessor(
        parser: parser, phoneColumn: column.index, headerFieldCount: header.names.count, rendering: rendering,
        scorer: makeScorer(), callingCache: callingCache, dnc: dnc, exclude: exclude))
    }
    let orderedQueue = DispatchQueue(label: "dialready.ordered")
    let group = DispatchGroup()
    let reorder = ReorderBuffer()
    let clock = StageClock()
    let totalBytes = source.size
    first.sourceOffset = reader.bytesRead

    func dispatch(_ slot: ChunkWork) {
      let worker = slot.chunk.sequence % threads
      group.enter()
      workers[worker].async {
        if !self.hasFailed {
          processors[worker].processor.process(slot, skipFirstRecord: slot.chunk.sequence == 0, validateUTF8: validateUTF8)
        }
        orderedQueue.async {
          reorder.insert(slot)
          while let next = reorder.popNext() {
            if !self.hasFailed {
              let began = DispatchTime.nowNanoseconds
              do { try ordered.consume(next) } catch let error as DialReadyError { self.fail(error) } catch { self.fail(.internalError("\(error)")) }
              let now = DispatchTime.nowNanoseconds
              clock.ordered += now - began
              clock.normalize += next.workNanoseconds
              if let progress, now - clock.lastProgress > 100_000_000 {
                clock.lastProgress = now
                progress(ClassifyProgress(
                  rows: ordered.statistics.rows, bytesRead: next.sourceOffset, totalBytes: totalBytes,
                  elapsed: Double(now - started) / 1e9))
              }
            }
            slots.put(next)
          }
          group.leave()
        }
      }
    }

    dispatch(first)
    while !hasFailed {
      let slot = slots.take()
      let began = DispatchTime.nowNanoseconds
      let more: Bool
      do { more = try reader.nextChunk(into: slot.chunk) } catch {
        fail(.input(error))
        slots.put(slot)
        break
      }
      readNanoseconds += DispatchTime.nowNanoseconds - began
      if let maxBytes, reader.bytesRead > maxBytes {
        fail(.tooManyBytes(path: path, limit: maxBytes, size: reader.bytesRead))
        slots.put(slot)
        break
      }
      guard more else {
        slots.put(slot)
        break
      }
      slot.sourceOffset = reader.bytesRead
      dispatch(slot)
    }
    group.wait()
    if let failure = currentFailure { throw failure }
    if let notice = (reader as? CSVChunkReader)?.unclosedQuoteNotice { notices.append(notice) }

    let finalizeStart = DispatchTime.nowNanoseconds
    let stats = ordered.statistics
    if let minimum = options.minValid, stats.valid < minimum {
      throw .minContactsRequired(path: path, minimum: minimum, got: stats.valid)
    }
    let processedHash = try processed.finish()
    let filteredHash = try filtered.finish()
    let rejectsHash = try rejects.finish()
    let finalizeSeconds = Double(DispatchTime.nowNanoseconds - finalizeStart) / 1e9
    let total = Double(DispatchTime.nowNanoseconds - started) / 1e9

    let finalDirectory = directory.finalPath
    func entry(_ file: OutputFile, _ hash: String) -> OutputManifest.OutputFileEntry {
      OutputManifest.OutputFileEntry(path: file.finalPath, rows: file.rows, bytes: file.byteCount, sha256: hash)
    }
    var manifest = OutputManifest(
      originalFilename: reader.declaredFilename ?? (path == "-" ? "-" : String(path.split(separator: "/").last ?? Substring(path))),
      fileSizeBytes: source.size ?? source.offset, status: "completed", validRowCount: stats.valid,
      invalidRowCount: stats.invalid, duplicateRowCount: stats.duplicate, errorMessage: nil,
      createdAt: createdAt.ISO8601Format(), updatedAt: Date().ISO8601Format(),
      input: OutputManifest.Input(
        path: path, format: reader.format.rawValue, encoding: reader.encodingName,
        byteOrderMark: reader.hadByteOrderMark, delimiter: reader.delimiterName, sheet: reader.sheetName,
        phoneColumn: column.name, phoneColumnIndex: column.index, phoneColumnChosenBy: column.chosenBy,
        columns: header.names, sha256: inputHash.hexDigest(), dataRows: stats.rows, blankLines: stats.blankLines,
        raggedRows: .init(count: stats.raggedRows, firstRows: stats.raggedFirstRows),
        invalidUtf8Rows: .init(count: stats.invalidUTF8Rows, firstRows: stats.invalidUTF8FirstRows),
        endedInsideQuotes: reader.endedInsideQuotes),
      outputDirectory: finalDirectory,
      outputs: .init(
        processed: entry(processed, processedHash), filtered: entry(filtered, filteredHash),
        rejects: entry(rejects, rejectsHash)),
      counts: Self.counts(stats), errors: Self.errorGroups(stats),
      engine: .init(
        version: Self.version, numberingData: parser.table.sourceVersion, modelId: model.modelId,
        allowedRegions: options.regions.description, threads: threads),
      timings: .init(
        readSeconds: Double(readNanoseconds) / 1e9, normalizeSeconds: Double(clock.normalize) / 1e9,
        orderedWriteSeconds: Double(clock.ordered) / 1e9, finalizeSeconds: finalizeSeconds,
        totalSeconds: total, rowsPerSecond: total > 0 ? Double(stats.rows) / total : 0),
      memory: .init(peakRssBytes: Self.peakResidentBytes(), dedupTableBytes: ordered.dedupMemoryBytes, distinctNumbers: stats.valid))
    if options.excelSafe { manifest.excelSafe = .init(cellsChanged: headerCellsChanged + stats.excelSafeCells) }
    manifest.updatedAt = Date().ISO8601Format()
    let manifestFile = try directory.file("manifest.json")
    let data: Data
    do { data = try manifest.jsonData() } catch { throw .internalError("manifest encoding failed: \(error)") }
    manifestFile.pending.append(Array(data))
    _ = try manifestFile.finish()
    try directory.commit()
    if let recordPath = options.recordPath {
      try record(ordered.delivered, to: recordPath, input: manifest.originalFilename, sha256: manifest.input.sha256)
    }
    return manifest
  }

  // MARK: - Repeats in the list

  /// Counts the rows of each number in the whole input (a first pass, for `--count-repeats`).
  private func countRepeats(phoneColumn: Int, parser: PhoneNumberParser, expectedRows: Int) throws(DialReadyError) -> DedupIndex {
    let path = options.inputPath
    let counts = DedupIndex(capacity: 1 << 16)
    let chunk = RecordChunk()
    var scratch: [UInt8] = []
    do {
      let reader = try RecordReaders.open(try ByteSource(path: path), options: options.readerOptions) { _ in }
      var first = true
      while try reader.nextChunk(into: chunk) {
        for r in (first ? 1 : 0)..<chunk.recordCount where !chunk.isBlank(r) && phoneColumn < chunk.fieldCount(r) {
          let result = CSVField.withValue(chunk.rawField(r, phoneColumn), scratch: &scratch) { parser.parse($0) }
          if let number = result.number { counts.increment(number.e164Value) }
        }
        first = false
      }
    } catch { throw .input(error) }
    return counts
  }

  // MARK: - Do-not-call lists and earlier runs

  /// Opens the `--dnc` lists (refusing stale ones) and the `--exclude` store (absent on a first run).
  private func openLists() throws(DialReadyError) -> ([DNCIndex], DNCIndex?) {
    let dnc = try DNCLists.open(options.dncPaths)
    let now = Int64(Date().timeIntervalSince1970)
    for index in dnc where !options.allowStaleDNC {
      if let oldest = index.oldestSourceDate, now - oldest > Int64(options.dncMaxAgeDays) * 86_400 {
        throw .staleDNC(path: index.path, ageDays: Int((now - oldest) / 86_400), maxDays: options.dncMaxAgeDays)
      }
    }
    var exclude: DNCIndex?
    if let path = options.excludePath, FileManager.default.fileExists(atPath: path) {
      do { exclude = try DNCIndex(path: path) } catch { throw .dnc(error) }
    }
    return (dnc, exclude)
  }

  /// Adds this run's delivered numbers to the `--record` store, replacing it atomically.
  private func record(_ delivered: [UInt64], to path: String, input: String, sha256: String) throws(DialReadyError) {
    var builder = DNCIndexBuilder()
    var sources: [DNCSource] = []
    if FileManager.default.fileExists(atPath: path) {
      do {
        let existing = try DNCIndex(path: path)
        existing.forEachNumber { builder.insert($0) }
        sources = existing.sources
      } catch { throw .dnc(error) }
    }
    for key in delivered { builder.insert(key - 10_000_000_000) }
    let now = Int64(Date().timeIntervalSince1970)
    sources.append(DNCSource(name: "run of \(input)", sha256: sha256, date: now, numbers: delivered.count, badLines: 0))
    do { try builder.write(to: path, sources: sources, createdAt: now) } catch { throw .dnc(error) }
  }

  // MARK: - Failure handling across threads

  private var hasFailed: Bool {
    lock.lock()
    defer { lock.unlock() }
    return failure != nil
  }

  private var currentFailure: DialReadyError? {
    lock.lock()
    defer { lock.unlock() }
    return failure
  }

  private func fail(_ error: DialReadyError) {
    lock.lock()
    if failure == nil { failure = error }
    lock.unlock()
  }

  // MARK: - Manifest pieces

  /// The process's peak resident set size so far.
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
  }

  static func counts(_ stats: RunStatistics) -> OutputManifest.Counts {
    var reasons: [String: Int] = [:]
    for (i, reason) in RejectReason.allCases.enumerated() where stats.reasons[i] > 0 {
      reasons[reason.rawValue] = stats.reasons[i]
    }
    if stats.duplicate > stats.seenInPreviousRun { reasons["duplicate"] = stats.duplicate - stats.seenInPreviousRun }
    if stats.seenInPreviousRun > 0 { reasons["seen_in_previous_run"] = stats.seenInPreviousRun }
    var regions: [String: Int] = [:]
    for (i, code) in Region.allCodes.enumerated() where stats.regions[i] > 0 { regions[code] = stats.regions[i] }
    var lineTypes: [String: Int] = [:]
    for (i, type) in LineType.allCases.enumerated() where stats.lineTypes[i] > 0 { lineTypes[type.rawValue] = stats.lineTypes[i] }
    var classes: [String: Int] = [:]
    for (i, type) in AnswerClass.allCases.enumerated() where stats.classes[i] > 0 { classes[type.rawValue] = stats.classes[i] }
    return .init(
      status: ["valid": stats.valid, "invalid": stats.invalid, "duplicate": stats.duplicate], reason: reasons,
      region: regions, lineType: lineTypes, classification: classes)
  }

  static func errorGroups(_ stats: RunStatistics) -> [OutputManifest.ErrorGroup] {
    var groups: [OutputManifest.ErrorGroup] = []
    for (i, reason) in RejectReason.allCases.enumerated() where stats.reasons[i] > 0 {
      groups.append(.init(reason: reason.rawValue, count: stats.reasons[i], firstRows: stats.reasonRows[i]))
    }
    if stats.duplicate > 0 {
      groups.append(.init(reason: "duplicate", count: stats.duplicate, firstRows: stats.duplicateRows))
    }
    return groups.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
  }
}

/// Stage times, touched only on the ordered queue and read after the workers are done.
final class StageClock: @unchecked Sendable {
  var normalize: UInt64 = 0
  var ordered: UInt64 = 0
  var lastProgress: UInt64 = 0
}

/// Hashes the input's raw bytes as the reader passes them.
final class InputHasher: @unchecked Sendable {
  private var hasher = SHA256()
  func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
  /// Hashes a whole file (formats read through a memory map rather than the streaming reader).
  func hashFile(_ path: String) {
    guard let file = fopen(path, "rb") else { return }
    defer { fclose(file) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n = fread(buffer.baseAddress, 1, buffer.count, file)
      if n <= 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
    }
  }

  func hexDigest() -> String { hasher.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined() }
}

/// A worker's processor, boxed so the worker's queue can mutate its scratch space.
final class ProcessorBox: @unchecked Sendable {
  var processor: ChunkProcessor
  init(_ processor: ChunkProcessor) { self.processor = processor }
}

/// The fixed set of chunk slots: taking one blocks while all are in flight, which bounds memory.
final class SlotPool: @unchecked Sendable {
  private var free: [ChunkWork]
  private let lock = NSCondition()

  init(count: Int) { free = (0..<count).map { _ in ChunkWork() } }

  func take() -> ChunkWork {
    lock.lock()
    while free.isEmpty { lock.wait() }
    let slot = free.removeLast()
    lock.unlock()
    return slot
  }

  func put(_ slot: ChunkWork) {
    lock.lock()
    free.append(slot)
    lock.signal()
    lock.unlock()
  }
}

/// Holds chunks finished out of order until their turn (used on the ordered queue only).
final class ReorderBuffer: @unchecked Sendable {
  private var waiting: [Int: ChunkWork] = [:]
  private var next = 0

  func insert(_ work: ChunkWork) { waiting[work.chunk.sequence] = work }

  func popNext() -> ChunkWork? {
    guard let work = waiting.removeValue(forKey: next) else { return nil }
    next += 1
    return work
  }
}

/// The header row and the sample of values the phone column is detected from.
struct HeaderSample {
  let names: [String]
  let sample: [[String]]

  init(chunk: RecordChunk) {
    var scratch: [UInt8] = []
    func text(_ r: Int, _ f: Int) -> String {
      CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
    }
    names = (0..<chunk.fieldCount(0)).map { text(0, $0) }
    var rows: [[String]] = []
    var r = 1
    while r < chunk.recordCount && rows.count < 1000 {
      if !chunk.isBlank(r) { rows.append((0..<chunk.fieldCount(r)).map { text(r, $0) }) }
      r += 1
    }
    sample = rows
  }
}
