/// Reads the reference upload API's JSON body (`{"phone_numbers": […]}` or `{"contacts": […],
/// "phone_column": …}`), a top-level array of contact objects, or NDJSON (one contact per line) as records.
///
/// A first pass over the memory-mapped document collects the union of contact keys (the columns, in
/// first-seen order) and checks the body's shape; the second pass streams records chunk by chunk. No
/// tree of the document is built.
public final class JSONRecordReader: RecordReader {
  public let format: InputFormat
  public var encodingName: String { "utf-8" }
  public let hadByteOrderMark: Bool
  public var delimiterName: String { "," }
  public var sheetName: String? { nil }
  public var sheetNames: [String] { [] }
  public private(set) var declaredPhoneColumn: String?
  public private(set) var declaredFilename: String?
  public var passesBytesThrough: Bool { false }
  public var endedInsideQuotes: Bool { false }
  public var bytesRead: Int { scanner.position }
  public var fileToHash: String? { file.path }

  /// The columns: `phone` for `phone_numbers`, else the union of contact keys.
  public private(set) var columns: [String] = []

  private enum Mode { case phoneNumbers, contacts, lines }
  private let file: SpooledFile
  private let chunkSize: Int
  private var mode = Mode.contacts
  private var scanner: JSONScanner
  private var arrayStart = 0
  private var started = false
  private var finished = false
  private var nextRow = 1
  private var nextSequence = 0
  private var columnIndex: [UInt64: [Int]] = [:]
  private var columnBytes: [[UInt8]] = []
  private let values = OutputBytes(capacity: 4096)
  private let key = OutputBytes(capacity: 256)
  private var ranges: [Range<Int>?] = []
  private let limits: ReaderLimits

  /// Checks the document's shape and collects its columns.
  public init(
    file: SpooledFile, lines: Bool, chunkSize: Int = 1 << 20, limits: ReaderLimits = ReaderLimits()
  ) throws(TableIOError) {
    self.file = file
    self.chunkSize = chunkSize
    self.limits = limits
    let bytes = file.bytes
    let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    hadByteOrderMark = bom
    format = lines ? .ndjson : .json
    scanner = JSONScanner(bytes: bytes, position: bom ? 3 : 0, limits: limits)
    do {
      if lines { try surveyLines() } else { try surveyDocument() }
    } catch { throw .spreadsheet(path: file.displayPath, error) }
  }

  // MARK: - First pass

  private func surveyDocument() throws(SpreadsheetError) {
    var s = scanner
    s.skipWhitespace()
    if s.peek() == UInt8(ascii: "[") {
      mode = .contacts
      arrayStart = s.position
      try surveyContacts(&s)
      try finishDocument(&s)
      return
    }
    guard s.consume(UInt8(ascii: "{")) else { throw s.error("expected a JSON object") }
    var phoneNumbersAt: Int?
    var contactsAt: Int?
    if !s.consume(UInt8(ascii: "}")) {
      repeat {
        key.removeAll()
        try s.readString(into: key)
        try s.expect(UInt8(ascii: ":"))
        s.skipWhitespace()
        switch String(decoding: key.bytes, as: UTF8.self) {
        case "phone_numbers":
          guard s.peek() == UInt8(ascii: "[") else { throw .invalidBody("phone_numbers must be an array of strings") }
          phoneNumbersAt = s.position
          try s.skipValue()
        case "contacts":
          guard s.peek() == UInt8(ascii: "[") else { throw .invalidBody("contacts must be an array of objects") }
          contactsAt = s.position
          try surveyContacts(&s)
        case "phone_column":
          let text = OutputBytes(capacity: 64)
          guard s.peek() == UInt8(ascii: "\"") else { throw .invalidBody("phone_column must be a string") }
          try s.readString(into: text)
          declaredPhoneColumn = String(decoding: text.bytes, as: UTF8.self)
        case "filename":
          let text = OutputBytes(capacity: 64)
          if s.peek() == UInt8(ascii: "\"") {
            try s.readString(into: text)
            declaredFilename = String(decoding: text.bytes, as: UTF8.self)
          } else {
            try s.skipValue()
          }
        default:
          try s.skipValue()
        }
      } while s.consume(UInt8(ascii: ","))
      try s.expect(UInt8(ascii: "}"))
    }
    try finishDocument(&s)
    switch (phoneNumbersAt, contactsAt) {
    case (.some, .some):
      throw .invalidBody("provide exactly one of phone_numbers or contacts, not both")
    case (nil, nil):
      throw .invalidBody("provide exactly one of phone_numbers or contacts")
    case (.some(let at), nil):
      mode = .phoneNumbers
      arrayStart = at
      columns = ["phone"]
      declaredPhoneColumn = "phone"
      registerColumns()
    case (nil, .some(let at)):
      mode = .contacts
      arrayStart = at
      guard let phoneColumn = declaredPhoneColumn else {
        throw .invalidBody("phone_column is required with contacts")
      }
      guard columns.contains(phoneColumn) else {
        throw .invalidBody("phone_column '\(MessageText.sanitized(phoneColumn))' is not present in the data")
      }
    }
  }

  private func finishDocument(_ s: inout JSONScanner) throws(SpreadsheetError) {
    s.skipWhitespace()
    guard s.atEnd else { throw s.error("unexpected text after the document") }
  }

  /// Collects the keys of every object in the array at the scanner.
  private func surveyContacts(_ s: inout JSONScanner) throws(SpreadsheetError) {
    try s.expect(UInt8(ascii: "["))
    if s.consume(UInt8(ascii: "]")) { return }
    var index = 0
    repeat {
      s.recordIndex = index
      try surveyObject(&s)
      index += 1
    } while s.consume(UInt8(ascii: ","))
    s.recordIndex = nil
    try s.expect(UInt8(ascii: "]"))
  }

  private func surveyObject(_ s: inout JSONScanner) throws(SpreadsheetError) {
    guard s.consume(UInt8(ascii: "{")) else { throw .invalidBody("\(s.location): every contact must be a JSON object") }
    if s.consume(UInt8(ascii: "}")) { return }
    repeat {
      key.removeAll()
      try s.readString(into: key)
      if key.count > limits.maxFieldBytes {
        throw .limitExceeded(LimitExceeded(.fieldBytes, limits, at: "the key at \(s.location)"))
      }
      if lookup(key.bytes) == nil {
        columns.append(String(decoding: key.bytes, as: UTF8.self))
        registerColumn(columns.count - 1, Array(key.bytes))
        if columns.count > limits.maxColumns {
          throw .limitExceeded(LimitExceeded(.columns, limits, at: "the contacts (key at \(s.location))"))
        }
      }
      try s.expect(UInt8(ascii: ":"))
      try s.skipValue()
    } while s.consume(UInt8(ascii: ","))
    try s.expect(UInt8(ascii: "}"))
  }

  private func surveyLines() throws(SpreadsheetError) {
    mode = .lines
    scanner.lineMode = true
    var s = scanner
    arrayStart = s.position
    while true {
      s.skipWhitespace()
      if s.atEnd { break }
      try surveyObject(&s)
    }
    if columns.isEmpty { throw .invalidBody("no contact objects found") }
  }

  private func registerColumns() {
    for (i, name) in columns.enumerated() { registerColumn(i, Array(name.utf8)) }
  }

  private func registerColumn(_ index: Int, _ bytes: [UInt8]) {
    columnBytes.append(bytes)
    columnIndex[Self.hash(bytes.withUnsafeBytes { $0 }), default: []].append(index)
  }

  private func lookup(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let candidates = columnIndex[Self.hash(bytes)] else { return nil }
    return candidates.first { columnBytes[$0].elementsEqual(bytes) }
  }

  private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return h
  }

  // MARK: - Second pass

  public func nextChunk(into chunk: RecordChunk) throws(TableIOError) -> Bool {
    chunk.beginFilling(firstRow: nextRow, sequence: nextSequence)
    if finished { return false }
    do {
      if !started {
        started = true
        scanner.position = arrayStart
        if mode != .lines { try scanner.expect(UInt8(ascii: "[")) }
        chunk.beginRecord()
        for name in columns {
          var name = name
          name.withUTF8 { chunk.appendField(UnsafeRawBufferPointer($0)) }
        }
        chunk.endRecord()
        if mode != .lines && scanner.consume(UInt8(ascii: "]")) { finished = true }
      }
      while !finished && chunk.byteCount < chunkSize {
        if mode != .lines { scanner.recordIndex = nextRow + chunk.recordCount - 2 }
        switch mode {
        case .phoneNumbers:
          values.removeAll()
          try scanner.readCellText(into: values)
          try checkField(values.count, column: 1, chunk: chunk)
          chunk.beginRecord()
          chunk.appendField(values.bytes)
          chunk.endRecord()
        case .contacts, .lines:
          try readContact(into: chunk)
        }
        if mode == .lines {
          scanner.skipWhitespace()
          if scanner.atEnd { finished = true }
        } else if !scanner.consume(UInt8(ascii: ",")) {
          try scanner.expect(UInt8(ascii: "]"))
          finished = true
        }
      }
    } catch { throw .spreadsheet(path: file.displayPath, error) }
    nextRow += chunk.recordCount
    nextSequence += 1
    return chunk.recordCount > 0
  }

  /// Refuses a value longer than the field limit.
  private func checkField(_ length: Int, column: Int, chunk: RecordChunk) throws(SpreadsheetError) {
    if length > limits.maxFieldBytes {
      let row = nextRow + chunk.recordCount
      throw .limitExceeded(LimitExceeded(.fieldBytes, limits, at: "record \(row), column \(column)"))
    }
  }

  private func readContact(into chunk: RecordChunk) throws(SpreadsheetError) {
    values.removeAll()
    if ranges.count != columns.count { ranges = Array(repeating: nil, count: columns.count) }
    for i in ranges.indices { ranges[i] = nil }
    try scanner.expect(UInt8(ascii: "{"))
    if !scanner.consume(UInt8(ascii: "}")) {
      repeat {
        key.removeAll()
        try scanner.readString(into: key)
        try scanner.expect(UInt8(ascii: ":"))
        let start = values.count
        try scanner.readCellText(into: values)
        let column = lookup(key.bytes)
        try checkField(values.count - start, column: (column ?? 0) + 1, chunk: chunk)
        if let column, ranges[column] == nil { ranges[column] = start..<values.count }
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "}"))
    }
    chunk.beginRecord()
    for range in ranges {
      if let range { chunk.appendField(values.slice(range)) } else { chunk.appendEmptyFields(1) }
    }
    chunk.endRecord()
  }
}
