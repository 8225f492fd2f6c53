import TableIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Converts any supported input (CSV, TSV, XLSX, XLS, JSON, NDJSON) into one UTF-8, comma-separated,
/// LF-terminated CSV file, every record and field as read; blank rows are kept as empty lines so the
/// line of a record matches its row number. Fields of a comma-separated input are copied byte for byte
/// when they are valid CSV fields and re-quoted otherwise. Written to a temporary file and renamed on
/// success; the output may not be, contain or lie inside the input.
public enum TableConversion {
  /// What a conversion read and wrote.
  public struct Summary: Sendable {
    public var format: String
    public var sheet: String?
    public var records: Int
    public var bytes: Int
    /// The note on a quote that never closed (read to the end of the file under `--lenient-quotes`).
    public var unclosedQuoteNotice: String?
  }

  /// Reads `options.inputPath` and writes it as CSV to `outputPath` (`-` for standard output).
  public static func convert(_ options: ClassifyOptions, to outputPath: String) throws(DialReadyError) -> Summary {
    if outputPath != "-" {
      try PathSafety.check(output: outputPath, role: "output file", reads: [PathSafety.ReadPath(options.inputPath, role: "the input")])
    }
    let source: ByteSource
    let reader: any RecordReader
    do {
      source = try ByteSource(path: options.inputPath)
      reader = try RecordReaders.open(source, options: options.readerOptions) { _ in }
    } catch { throw .input(error) }
    let toStdout = outputPath == "-"
    let staging = toStdout ? "" : outputPath + ".partial-" + String(getpid())
    if !toStdout { TemporaryPaths.register(staging, isFolder: false) }
    let fd = toStdout ? Int32(1) : FileIO.create(staging)
    if fd < 0 {
      let code = errno
      TemporaryPaths.unregister(staging)
      throw .cannotCreateOutput(path: outputPath, errno: code)
    }
    var committed = false
    defer {
      if !toStdout {
        close(fd)
        if !committed {
          unlink(staging)
          TemporaryPaths.unregister(staging)
        }
      }
    }
    let chunk = RecordChunk()
    let out = OutputBytes(capacity: 1 << 20)
    var scratch: [UInt8] = []
    var records = 0
    var bytes = 0
    var expectedRow = 1
    func flush() throws(DialReadyError) {
      let code = FileIO.writeAll(fd, UnsafeRawBufferPointer(start: out.base, count: out.count))
      if code != 0 { throw .writeFailed(path: outputPath, errno: code) }
      bytes += out.count
      out.removeAll()
    }
    while true {
      let more: Bool
      do { more = try reader.nextChunk(into: chunk) } catch { throw .input(error) }
      guard more else { break }
      // Rows a spreadsheet reader skipped before its header keep their lines.
      while expectedRow < chunk.firstRow {
        out.append(10)
        expectedRow += 1
      }
      for r in 0..<chunk.recordCount {
        if !chunk.isBlank(r) {
          for f in 0..<chunk.fieldCount(r) {
            if f > 0 { out.append(UInt8(ascii: ",")) }
            let raw = chunk.rawField(r, f)
            if chunk.delimiter == UInt8(ascii: ",") {
              CSVField.appendCommaField(raw, scratch: &scratch, to: out)
            } else {
              CSVField.withValue(raw, scratch: &scratch) { CSVField.appendQuoted($0, to: out) }
            }
          }
          records += 1
        }
        out.append(10)
      }
      expectedRow += chunk.recordCount
      if out.count > 1 << 20 { try flush() }
    }
    try flush()
    if !toStdout {
      if FileIO.fsync(fd) != 0 { throw .writeFailed(path: outputPath, errno: errno) }
      let renameError = TemporaryPaths.completing(staging) { FileIO.rename(staging, outputPath) == 0 ? 0 : errno }
      if renameError != 0 {
        TemporaryPaths.register(staging, isFolder: false)
        throw .cannotCreateOutput(path: outputPath, errno: renameError)
      }
      committed = true
      FileIO.fsyncFolder(of: outputPath)
    }
    return Summary(
      format: reader.format.rawValue, sheet: reader.sheetName, records: records, bytes: bytes,
      unclosedQuoteNotice: (reader as? CSVChunkReader)?.unclosedQuoteNotice)
  }
}
