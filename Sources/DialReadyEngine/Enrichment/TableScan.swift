import NANP
import TableIO

/// Walks every data row of a table file (any supported format) with named columns, for side inputs
/// such as lookup and history files.
struct TableScan {
  let path: String
  let header: [String]
  private let reader: any RecordReader
  private let first = RecordChunk()

  init(path: String) throws(DialReadyError) {
    self.path = path
    do {
      reader = try RecordReaders.open(try ByteSource(path: path), options: ReaderOptions()) { _ in }
      guard try reader.nextChunk(into: first) else { throw DialReadyError.input(.noHeader(path: path)) }
    } catch let error as TableIOError {
      throw .input(error)
    } catch let error as DialReadyError {
      throw error
    } catch {
      throw .internalError("\(error)")
    }
    header = HeaderSample(chunk: first).names
  }

  /// The index of the first column whose normalized header is one of `names`.
  func column(_ names: [String]) -> Int? {
    let normalized = header.map(PhoneColumn.normalize)
    for name in names { if let at = normalized.firstIndex(of: name) { return at } }
    return nil
  }

  /// The phone column: a known phone header, else the column where most values parse.
  func phoneColumn(parser: PhoneNumberParser) throws(DialReadyError) -> Int {
    switch PhoneColumn.choose(header: header, requested: nil, sample: HeaderSample(chunk: first).sample, parser: parser) {
    case .success(let column): return column.index
    case .failure: throw .phoneColumnNotFound(path: path, columns: header)
    }
  }

  /// Calls `body` with each data row's number and a field accessor.
  func forEachRow(_ body: (_ row: Int, _ field: (Int) -> UnsafeRawBufferPointer) -> Void) throws(DialReadyError) {
    // Unquoted values of quoted fields, one reusable buffer per column (no allocation per row).
    let unquoted = (0..<max(header.count, 1) + 8).map { _ in OutputBytes(capacity: 64) }
    var chunk = first
    var skipHeader = true
    let spare = RecordChunk()
    while true {
      for r in (skipHeader ? 1 : 0)..<chunk.recordCount where !chunk.isBlank(r) {
        let fields = chunk.fieldCount(r)
        body(chunk.firstRow + r) { f in
          guard f < fields else { return UnsafeRawBufferPointer(start: nil, count: 0) }
          let raw = chunk.rawField(r, f)
          guard CSVField.isQuoted(raw), f < unquoted.count else { return raw }
          let buffer = unquoted[f]
          buffer.removeAll()
          var i = 1
          while i < raw.count {
            let b = raw[i]
            if b == UInt8(ascii: "\"") {
              if i + 1 < raw.count && raw[i + 1] == UInt8(ascii: "\"") {
                buffer.append(b)
                i += 2
                continue
              }
              i += 1
              continue
            }
            buffer.append(b)
            i += 1
          }
          return buffer.bytes
        }
      }
      skipHeader = false
      chunk = chunk === first ? spare : first
      do { if !(try reader.nextChunk(into: chunk)) { return } } catch { throw .input(error) }
    }
  }
}
