import Crypto
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
/// The job's steps are in order: open the input and read its first chunk (the header and the sample
/// the phone column is found from), open the lists, lock and stage the outputs, run the chunks through
/// a ``ClassifyPipeline`` on an ``OrderedParallelExecutor`` (`threads` threads read, parse, render,
/// write and hash; at most `2 × threads + 2` chunks are in flight, so memory does not grow with the
/// input), then write the manifest and commit.
public final class ClassifyJob: @unchecked Sendable {  // `notices` is written by the thread running `run` only.
  /// The run's options.
  public let options: ClassifyOptions
  /// Engine version recorded in manifests.
  public static let version = "0.1.0"

  /// Things the user should know that did not stop the run (e.g. a recovered stale lock).
  public private(set) var notices: [String] = []

  /// Creates a job; nothing is read until ``run(progress:)``.
  public init(options: ClassifyOptions) {
    self.options = options
  }

  /// The input once opened: where its chunks come from and what the manifest says about it.
  private struct OpenedInput {
    let source: ChunkSource
    let format: InputFormat
    let encodingName: String
    let hadByteOrderMark: Bool
    let delimiterName: String
    let sheetName: String?
    let declaredPhoneColumn: String?
    let declaredFilename: String?
    let passesBytesThrough: Bool
    let size: Int?
    /// Bytes of the file before its first record (a byte-order mark), which the pipeline's input hash
    /// starts with; `nil` when the streaming reader hashes the input.
    let hashPrefix: [UInt8]?
    /// The input's hash as the streaming reader computed it.
    let streamHash: () -> String?
    /// Bytes read (a stream's size once read).
    let bytesRead: () -> Int
  }

  /// Runs the job and returns the manifest; on failure no output is left behind.
  public func run(progress: (@Sendable (ClassifyProgress) -> Void)? = nil) throws(DialReadyError) -> OutputManifest {
    let started = MonotonicClock.nanoseconds
    let createdAt = Date()
    let path = options.inputPath
    // Before anything is opened or created: no output may replace or remove what the run reads.
    try options.checkOutputPaths()
    if options.countRepeats && path == "-" {
      throw .model("\(path): --count-repeats needs a file it can read twice, not standard input")
    }
    let threads = max(1, options.threads)
    let slots = (0..<(threads * 2 + 2)).map { _ in ChunkWork() }
    let first = slots[0]
    let readStart = MonotonicClock.nanoseconds
    let input = try openInput(firstChunk: first)
    let firstReadNanoseconds = MonotonicClock.nanoseconds - readStart

    // The first chunk carries the header and the sample the phone column is detected from.
    let header = HeaderSample(chunk: first.chunk)
    let parser = PhoneNumberParser(allowedRegions: options.regions)
    let column = try choosePhoneColumn(header: header, declared: input.declaredPhoneColumn, parser: parser)

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
    let layout = OutputLayout(
      table: parser.table, model: model, excelSafe: options.excelSafe, callingWindow: options.callingWindow != nil)
    let repeats = options.countRepeats ? try countRepeats(phoneColumn: column.index, parser: parser, expectedRows: first.chunk.recordCount) : nil
    let (headerLine, headerCellsChanged) = layout.headerLine(of: first.chunk, count: header.names.count)
    try processed.write(headerLine, at: 0)
    try filtered.write(headerLine, at: 0)
    try rejects.write(OutputLayout.rejectsHeader, at: 0)

    let callingCache = options.callingWindow.map { CallingWindowCache(at: $0.at, rules: $0.policy) }
    let pipeline = ClassifyPipeline(
      settings: .init(
        path: path, parser: parser, phoneColumn: column.index, headerFieldCount: header.names.count, layout: layout,
        validateUTF8: input.passesBytesThrough, filterCallable: options.callingWindow?.filterCallable ?? false,
        recordDelivered: options.recordPath != nil, maxRows: options.maxRows, maxBytes: options.maxBytes,
        totalBytes: input.size),
      source: input.source, slots: slots, workers: threads,
      dedup: ShardedDedupIndex(expectedNumbers: expectedRows(first: first.chunk, input: input)),
      outputs: (processed, filtered, rejects), headers: (headerLine, OutputLayout.rejectsHeader),
      inputPrefix: input.hashPrefix,
      makeRenderer: {
        RowRenderer(
          scorer: AnswerScorer(
            model: model, lookup: lookup, history: history, repeats: repeats, table: parser.table, at: plannedAt),
          calling: callingCache.map { CallingColumns(cache: $0, table: parser.table) })
      },
      makeParser: {
        RowParser(
          parser: parser, phoneColumn: column.index, validateUTF8: input.passesBytesThrough, dnc: dnc, exclude: exclude)
      },
      progress: progress, started: started)
    let stages = pipeline.stages
    precondition(stages[ClassifyPipeline.dedupStage].name == "dedup")
    let executor = OrderedParallelExecutor(threads: threads, slots: slots.count, stages: stages)
    pipeline.executor = executor
    try executor.run()
    let hashes = pipeline.finishHashes()
    if let open = pipeline.unclosedQuote {
      notices.append(CSVChunkReader.unclosedQuoteNotice(path: path, row: open.row, byteOffset: open.byteOffset))
    }
    if case .reader(let serial) = input.source, let notice = (serial.reader as? CSVChunkReader)?.unclosedQuoteNotice {
      notices.append(notice)
    }

    let finalizeStart = MonotonicClock.nanoseconds
    let stats = pipeline.statistics
    if let minimum = options.minValid, stats.valid < minimum {
      throw .minContactsRequired(path: path, minimum: minimum, got: stats.valid)
    }
    let sizes = pipeline.outputBytes
    (processed.byteCount, processed.rows) = (sizes.processed, stats.rows)
    (filtered.byteCount, filtered.rows) = (sizes.filtered, stats.filteredRows)
    (rejects.byteCount, rejects.rows) = (sizes.rejects, stats.rejectRows)
    try processed.finish()
    try filtered.finish()
    try rejects.finish()
    let inputSHA256 = hashes.input ?? input.streamHash() ?? ""
    let finalizeSeconds = Double(MonotonicClock.nanoseconds - finalizeStart) / 1e9
    let total = Double(MonotonicClock.nanoseconds - started) / 1e9

    func entry(_ file: OutputFile, _ hash: String) -> OutputManifest.OutputFileEntry {
      OutputManifest.OutputFileEntry(path: file.finalPath, rows: file.rows, bytes: file.byteCount, sha256: hash)
    }
    let stageSeconds = executor.stageNanoseconds.map { Double($0) / 1e9 }
    let endedInsideQuotes: Bool
    switch input.source {
    case .ranges: endedInsideQuotes = pipeline.unclosedQuote != nil
    case .reader(let serial): endedInsideQuotes = serial.reader.endedInsideQuotes
    }
    var manifest = OutputManifest(
      originalFilename: input.declaredFilename ?? (path == "-" ? "-" : String(path.split(separator: "/").last ?? Substring(path))),
      fileSizeBytes: input.size ?? input.bytesRead(), status: "completed", validRowCount: stats.valid,
      invalidRowCount: stats.invalid, duplicateRowCount: stats.duplicate, errorMessage: nil,
      createdAt: createdAt.ISO8601Format(), updatedAt: Date().ISO8601Format(),
      input: OutputManifest.Input(
        path: path, format: input.format.rawValue, encoding: input.encodingName,
        byteOrderMark: input.hadByteOrderMark, delimiter: input.delimiterName, sheet: input.sheetName,
        phoneColumn: column.name, phoneColumnIndex: column.index, phoneColumnChosenBy: column.chosenBy,
        columns: header.names, sha256: inputSHA256, dataRows: stats.rows, blankLines: stats.blankLines,
        raggedRows: .init(count: stats.raggedRows, firstRows: stats.raggedFirstRows),
        invalidUtf8Rows: .init(count: stats.invalidUTF8Rows, firstRows: stats.invalidUTF8FirstRows),
        endedInsideQuotes: endedInsideQuotes),
      outputDirectory: directory.finalPath,
      outputs: .init(
        processed: entry(processed, hashes.processed), filtered: entry(filtered, hashes.filtered),
        rejects: entry(rejects, hashes.rejects)),
      counts: Self.counts(stats), errors: Self.errorGroups(stats),
      engine: .init(
        version: Self.version, numberingData: parser.table.sourceVersion, modelId: model.modelId,
        allowedRegions: options.regions.description, threads: threads),
      timings: .init(
        readSeconds: Double(firstReadNanoseconds) / 1e9 + stageSeconds[0],
        normalizeSeconds: stageSeconds[1] + stageSeconds[3] + stageSeconds[4],
        orderedWriteSeconds: stageSeconds[2...].reduce(0, +) - stageSeconds[3] - stageSeconds[4],
        finalizeSeconds: finalizeSeconds,
        totalSeconds: total, rowsPerSecond: total > 0 ? Double(stats.rows) / total : 0,
        stageSeconds: Dictionary(uniqueKeysWithValues: zip(stages.map(\.name), stageSeconds))),
      memory: .init(peakRssBytes: Self.peakResidentBytes(), dedupTableBytes: pipeline.dedup.memoryBytes, distinctNumbers: stats.valid))
    if options.excelSafe { manifest.excelSafe = .init(cellsChanged: headerCellsChanged + stats.excelSafeCells) }
    manifest.updatedAt = Date().ISO8601Format()
    let manifestFile = try directory.file("manifest.json")
    let data: Data
    do { data = try manifest.jsonData() } catch { throw .internalError("manifest encoding failed: \(error)") }
    try manifestFile.write(Array(data))
    try manifestFile.finish()
    try directory.commit()
    if let recordPath = options.recordPath {
      try record(pipeline.delivered, to: recordPath, input: manifest.originalFilename, sha256: manifest.input.sha256)
    }
    return manifest
  }

  // MARK: - Steps

  /// Opens the input and reads its first chunk into `first`: by file ranges for a regular UTF-8 text
  /// file, else with the streaming reader of its format.
  private func openInput(firstChunk first: ChunkWork) throws(DialReadyError) -> OpenedInput {
    let path = options.inputPath
    let source: ByteSource
    do { source = try ByteSource(path: path) } catch { throw .input(error) }
    if let limit = options.maxBytes, let size = source.size, size > limit {
      throw .tooManyBytes(path: path, limit: limit, size: size)
    }
    let readerOptions = options.readerOptions
    let ranges: CSVFileRanges?
    do { ranges = source.size == nil ? nil : try CSVFileRanges.open(path: path, options: readerOptions) } catch {
      throw .input(error)
    }
    if let ranges {
      // The ranges are read through their own descriptor: the limit holds for the file they read.
      if let limit = options.maxBytes, ranges.size > limit {
        throw .tooManyBytes(path: path, limit: limit, size: ranges.size)
      }
      let loaded = ranges.load(0, from: ranges.dataStart, into: first.chunk, speculative: false)
      if let problem = loaded.problem { throw .input(ranges.error(problem, firstRow: 1)) }
      first.loaded = loaded
      first.sourceOffset = loaded.end
      guard first.chunk.recordCount > 0 else { throw .input(.noHeader(path: path)) }
      var prefix = [UInt8](repeating: 0, count: ranges.dataStart)
      if !prefix.isEmpty {
        let got = prefix.withUnsafeMutableBytes { raw in Result { () throws(TableIOError) in try ranges.read(into: raw, at: 0) } }
        if case .failure(let error) = got { throw .input(error) }
      }
      return OpenedInput(
        source: .ranges(ranges), format: ranges.format, encodingName: ranges.encodingName,
        hadByteOrderMark: ranges.hadByteOrderMark, delimiterName: ranges.dialect.description, sheetName: nil,
        declaredPhoneColumn: nil, declaredFilename: nil, passesBytesThrough: true, size: ranges.size,
        hashPrefix: prefix, streamHash: { nil }, bytesRead: { ranges.size })
    }
    let hasher = InputHasher()
    let reader: any RecordReader
    do {
      reader = try RecordReaders.open(source, options: readerOptions) { hasher.update($0) }
    } catch { throw .input(error) }
    if let file = reader.fileToHash { hasher.hashFile(file) }
    let hasFirst: Bool
    do { hasFirst = try reader.nextChunk(into: first.chunk) } catch { throw .input(error) }
    guard hasFirst else { throw .input(.noHeader(path: path)) }
    first.sourceOffset = reader.bytesRead
    return OpenedInput(
      source: .reader(SerialReader(reader)), format: reader.format, encodingName: reader.encodingName,
      hadByteOrderMark: reader.hadByteOrderMark, delimiterName: reader.delimiterName, sheetName: reader.sheetName,
      declaredPhoneColumn: reader.declaredPhoneColumn, declaredFilename: reader.declaredFilename,
      passesBytesThrough: reader.passesBytesThrough, size: source.size, hashPrefix: nil, streamHash: { hasher.hexDigest() },
      bytesRead: { source.offset })
  }

  /// The phone column: the one `--phone-column` (or the document) names, else the one detected from
  /// the sample.
  private func choosePhoneColumn(header: HeaderSample, declared: String?, parser: PhoneNumberParser) throws(DialReadyError) -> PhoneColumn {
    let path = options.inputPath
    switch PhoneColumn.choose(
      header: header.names, requested: options.phoneColumn ?? declared, sample: header.sample, parser: parser)
    {
    case .success(let chosen):
      return options.phoneColumn == nil && chosen.chosenBy == "option"
        ? PhoneColumn(index: chosen.index, name: chosen.name, chosenBy: "document", parsedShare: nil) : chosen
    case .failure(.unknown(let name)): throw .phoneColumnUnknown(path: path, name: name, columns: header.names)
    case .failure(.notFound): throw .phoneColumnNotFound(path: path, columns: header.names)
    }
  }

  /// Rows expected, to size the dedup table up front: from the file size and the first chunk's bytes
  /// per data row for text formats only (a spreadsheet's size is compressed), and counting only rows
  /// that hold values (a sheet of cleared rows is a million blank records in a few bytes).
  private func expectedRows(first chunk: RecordChunk, input: OpenedInput) -> Int {
    let firstDataRows = (0..<chunk.recordCount).reduce(0) { $0 + (chunk.isBlank($1) ? 0 : 1) }
    guard input.format == .csv || input.format == .tsv, let size = input.size, chunk.byteCount > 0,
      size > chunk.byteCount
    else { return firstDataRows }
    return Int(Double(size) / Double(chunk.byteCount) * Double(firstDataRows))
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
