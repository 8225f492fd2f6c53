/// The shared-string table of an XLSX workbook: every string's UTF-8 in one buffer, with offsets.
/// Rich-text runs are concatenated; phonetic runs (`rPh`) are left out.
final class SharedStrings {
  private let storage = OutputBytes(capacity: 1 << 16)
  private var ends: [Int] = []

  /// Number of strings.
  var count: Int { ends.count }

  /// Reads the table from the package's `xl/sharedStrings.xml`, when it has one.
  init(package: ZipPackage, limits: ReaderLimits) throws(SpreadsheetError) {
    let part = "xl/sharedStrings.xml"
    guard package.contains(part) else { return }
    let stream = try package.stream(part)
    // Stops the inflating thread if the table is refused before its end (it would wait forever).
    defer { stream.cancel() }
    var handler = Handler(strings: self)
    var nesting = XMLNesting(limits: limits)
    var pending: [UInt8] = []
    while let block = try stream.next() {
      pending.append(contentsOf: block)
      let consumed = try Self.scan(pending, isFinal: false, handler: &handler, nesting: &nesting)
      pending.removeFirst(consumed)
      if storage.count > limits.maxSharedStringBytes {
        throw .limitExceeded(LimitExceeded(.sharedStringBytes, limits, at: "the shared-string table (\(part))"))
      }
      if pending.count > limits.maxFieldBytes + XMLNesting.tokenSlack {
        throw .limitExceeded(LimitExceeded(.fieldBytes, limits, at: "string \(count + 1) of \(part)"))
      }
    }
    _ = try Self.scan(pending, isFinal: true, handler: &handler, nesting: &nesting)
  }

  /// Scans a byte array with `handler`.
  static func scan<H: XMLHandler>(
    _ bytes: [UInt8], isFinal: Bool, handler: inout H, nesting: inout XMLNesting
  ) throws(SpreadsheetError) -> Int {
    let result: Result<Int, SpreadsheetError> = bytes.withUnsafeBytes { raw in
      Result { () throws(SpreadsheetError) -> Int in
        try XMLScanner.scan(raw, isFinal: isFinal, handler: &handler, nesting: &nesting)
      }
    }
    return try result.get()
  }

  /// Scans a whole small part with `handler`.
  static func scan<H: XMLHandler>(_ bytes: [UInt8], handler: inout H, limits: ReaderLimits) throws(SpreadsheetError) {
    var nesting = XMLNesting(limits: limits)
    _ = try scan(bytes, isFinal: true, handler: &handler, nesting: &nesting)
  }

  /// The bytes of string `index`, or `nil` when out of range.
  @inline(__always)
  func string(_ index: Int) -> UnsafeRawBufferPointer? {
    guard index >= 0 && index < ends.count else { return nil }
    let start = index == 0 ? 0 : ends[index - 1]
    return storage.slice(start..<ends[index])
  }

  private struct Handler: XMLHandler {
    let strings: SharedStrings
    var inItem = false
    var inText = false
    var textStart = 0
    var preserveSpace = false
    var phoneticDepth = 0
    var wantsPause: Bool { false }

    mutating func startElement(_ name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool) {
      if XMLScanner.isName(name, "si") {
        inItem = true
      } else if XMLScanner.isName(name, "rPh") {
        phoneticDepth += 1
      } else if XMLScanner.isName(name, "t") && inItem && !selfClosing {
        inText = true
        textStart = strings.storage.count
        preserveSpace = XMLScanner.attribute("xml:space", in: attributes).map { $0.elementsEqual("preserve".utf8) } ?? false
      }
    }

    mutating func endElement(_ name: UnsafeRawBufferPointer) {
      if XMLScanner.isName(name, "si") {
        inItem = false
        strings.ends.append(strings.storage.count)
      } else if XMLScanner.isName(name, "rPh") {
        phoneticDepth -= 1
      } else if XMLScanner.isName(name, "t") {
        // Without xml:space="preserve", Excel drops the text's surrounding white space.
        if inText && !preserveSpace && phoneticDepth == 0 { strings.storage.trimWhitespace(from: textStart) }
        inText = false
      }
    }

    mutating func text(_ raw: UnsafeRawBufferPointer, isCDATA: Bool) {
      if inText && phoneticDepth == 0 { XMLText.decode(raw, into: strings.storage, isCDATA: isCDATA) }
    }
  }
}
