import NANP
import TableIO

/// What `dialready inspect` tells about an input without processing it: format, encoding, delimiter,
/// a row estimate, the columns, the phone column chosen and why, and sample rows with their numbers.
public struct InspectReport: Codable, Sendable {
  public var path: String
  public var format: String
  public var encoding: String
  public var sheet: String?
  public var sheets: [String]
  public var byteOrderMark: Bool
  public var delimiter: String
  public var fileSizeBytes: Int?
  /// Data rows: exact when the whole file fit in the first chunk, else estimated from the average row length.
  public var estimatedRows: Int
  public var rowCountIsExact: Bool
  public var columns: [String]
  public var phoneColumn: String?
  public var phoneColumnChosenBy: String?
  public var phoneColumnReason: String
  public var samples: [Sample]

  /// One sample row: its number, phone field and what it normalizes to.
  public struct Sample: Codable, Sendable {
    public var row: Int
    public var phone: String
    public var e164: String?
    public var reason: String?
    public var fields: [String]
  }

  /// Reads the start of `options.inputPath` and reports on it.
  public static func inspect(_ options: ClassifyOptions) throws(DialReadyError) -> InspectReport {
    let path = options.inputPath
    let source: ByteSource
    let reader: any RecordReader
    let chunk = RecordChunk()
    let more: Bool
    do {
      source = try ByteSource(path: path)
      var readerOptions = options.readerOptions
      readerOptions.chunkSize = 1 << 20
      reader = try RecordReaders.open(source, options: readerOptions) { _ in }
      more = try reader.nextChunk(into: chunk)
    } catch { throw .input(error) }
    guard more else { throw .input(.noHeader(path: path)) }
    let header = HeaderSample(chunk: chunk)
    let parser = PhoneNumberParser(allowedRegions: options.regions)
    let chosen = PhoneColumn.choose(
      header: header.names, requested: options.phoneColumn ?? reader.declaredPhoneColumn, sample: header.sample, parser: parser)
    var column: PhoneColumn?
    let why: String
    switch chosen {
    case .success(let c):
      column = c
      switch c.chosenBy {
      case "option": why = "named with --phone-column"
      case "header": why = "its header '\(c.name)' is a known phone column name"
      default: why = "\(Int((c.parsedShare ?? 0) * 100))% of its first \(header.sample.count) values parse as phone numbers"
      }
    case .failure(.unknown(let name)): throw .phoneColumnUnknown(path: path, name: name, columns: header.names)
    case .failure(.notFound): why = "no header name or column content looks like phone numbers; use --phone-column"
    }
    let exact: Bool
    do { exact = try !reader.nextChunk(into: RecordChunk(capacity: 64)) } catch { throw .input(error) }
    let dataRecords = max(0, chunk.recordCount - 1)
    var estimate = dataRecords
    if !exact, let size = source.size, chunk.byteCount > 0, reader.format == .csv || reader.format == .tsv {
      estimate = Int(Double(dataRecords) * Double(size) / Double(chunk.byteCount))
    }
    var samples: [Sample] = []
    for (i, fields) in header.sample.prefix(5).enumerated() {
      let phone = column.map { $0.index < fields.count ? fields[$0.index] : "" } ?? ""
      let result = parser.parse(phone)
      samples.append(Sample(row: i + 2, phone: phone, e164: result.number?.e164, reason: result.reason?.rawValue, fields: fields))
    }
    return InspectReport(
      path: path, format: reader.format.rawValue, encoding: reader.encodingName, sheet: reader.sheetName,
      sheets: reader.sheetNames, byteOrderMark: reader.hadByteOrderMark, delimiter: reader.delimiterName, fileSizeBytes: source.size,
      estimatedRows: estimate, rowCountIsExact: exact, columns: header.names, phoneColumn: column?.name,
      phoneColumnChosenBy: column?.chosenBy, phoneColumnReason: why, samples: samples)
  }
}
