/// A cursor over JSON text that reads one value at a time without building a tree.
struct JSONScanner {
  let bytes: UnsafeRawBufferPointer
  var position: Int
  /// Bounds on nesting depth.
  let limits: ReaderLimits

  init(bytes: UnsafeRawBufferPointer, position: Int = 0, limits: ReaderLimits = ReaderLimits()) {
    self.bytes = bytes
    self.position = position
    self.limits = limits
  }

  /// NDJSON: errors name the line (one record a line).
  var lineMode = false
  /// The 0-based array index of the record being read, when reading an array of records.
  var recordIndex: Int?

  /// A syntax error at the current position, naming the line (NDJSON) or the record (an array index)
  /// and the byte.
  func error(_ what: String) -> SpreadsheetError {
    .invalidBody("\(location): \(what)")
  }

  /// Where the scanner is, for a message: `line 58 (byte 2714)`, or `record 3 (line 4, byte 57)`
  /// for the fourth element of an array of records.
  var location: String {
    let line = lineNumber(at: position)
    if lineMode { return "line \(line) (byte \(position))" }
    if let recordIndex { return "malformed JSON in record \(recordIndex) (array index; line \(line), byte \(position))" }
    return "malformed JSON at line \(line) (byte \(position))"
  }

  /// The 1-based line of byte `offset` (counted on the error path only).
  func lineNumber(at offset: Int) -> Int {
    var line = 1
    for i in 0..<min(offset, bytes.count) where bytes[i] == 10 { line += 1 }
    return line
  }

  @inline(__always) var atEnd: Bool { position >= bytes.count }

  @inline(__always) func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

  @inline(__always)
  mutating func skipWhitespace() {
    while position < bytes.count {
      let b = bytes[position]
      guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
      position += 1
    }
  }

  /// Consumes `byte` after optional white space.
  mutating func expect(_ byte: UInt8) throws(SpreadsheetError) {
    skipWhitespace()
    guard peek() == byte else { throw error("expected '\(Character(UnicodeScalar(byte)))'") }
    position += 1
  }

  /// Consumes `byte` if it comes next (after white space).
  mutating func consume(_ byte: UInt8) -> Bool {
    skipWhitespace()
    if peek() == byte {
      position += 1
      return true
    }
    return false
  }

  /// Reads a string and appends its decoded UTF-8 to `out`.
  mutating func readString(into out: OutputBytes) throws(SpreadsheetError) {
    try expect(UInt8(ascii: "\""))
    var runStart = position
    while position < bytes.count {
      let b = bytes[position]
      if b == UInt8(ascii: "\"") {
        out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
        position += 1
        return
      }
      if b == UInt8(ascii: "\\") {
        out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
        position += 1
        guard position < bytes.count else { break }
        let e = bytes[position]
        position += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "u"):
          var scalar = try readHex4()
          if (0xD800...0xDBFF).contains(scalar), position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
          {
            position += 2
            let low = try readHex4()
            if (0xDC00...0xDFFF).contains(low) {
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
              scalar = 0xFFFD
            }
          } else if (0xD800...0xDFFF).contains(scalar) {
            scalar = 0xFFFD
          }
          for unit in String(UnicodeScalar(scalar) ?? "\u{FFFD}").utf8 { out.append(unit) }
        default:
          position -= 1
          throw error("invalid escape")
        }
        runStart = position
        continue
      }
      position += 1
    }
    throw error("unterminated string")
  }

  private mutating func readHex4() throws(SpreadsheetError) -> UInt32 {
    guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[position]
      let digit: UInt32
      switch b {
      case 48...57: digit = UInt32(b - 48)
      case 65...70: digit = UInt32(b - 55)
      case 97...102: digit = UInt32(b - 87)
      default: throw error("invalid \\u escape")
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  /// Skips one value of any kind.
  mutating func skipValue() throws(SpreadsheetError) {
    try copyValue(into: nil, asText: false)
  }

  /// Reads one value as the text of a cell: strings decoded, numbers as written, `true`/`false`,
  /// `null` as nothing, objects and arrays as compact JSON.
  mutating func readCellText(into out: OutputBytes) throws(SpreadsheetError) {
    skipWhitespace()
    if peek() == UInt8(ascii: "\"") {
      try readString(into: out)
    } else if matchLiteral("null") {
      return
    } else {
      try copyValue(into: out, asText: true)
    }
  }

  private mutating func matchLiteral(_ literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    guard position + n <= bytes.count else { return false }
    for k in 0..<n where bytes[position + k] != literal.utf8Start[k] { return false }
    position += n
    return true
  }

  /// Copies (or skips, when `out` is nil) one value, dropping white space outside strings.
  private mutating func copyValue(into out: OutputBytes?, asText: Bool) throws(SpreadsheetError) {
    skipWhitespace()
    guard let first = peek() else { throw error("unexpected end of input") }
    switch first {
    case UInt8(ascii: "\""):
      let start = position
      try skipString()
      out?.append(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      repeat {
        skipWhitespace()
        guard let b = peek() else { throw error("unexpected end of input inside a value") }
        if b == UInt8(ascii: "\"") {
          let start = position
          try skipString()
          out?.append(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
          continue
        }
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
        if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { depth -= 1 }
        if depth > limits.maxNestingDepth {
          throw .limitExceeded(LimitExceeded(.nestingDepth, limits, at: "the value at byte \(position)"))
        }
        out?.append(b)
        position += 1
      } while depth > 0
    default:
      let start = position
      while position < bytes.count {
        let b = bytes[position]
        let isScalarByte = (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
          || (b | 0x20 >= 97 && b | 0x20 <= 122)
        if !isScalarByte { break }
        position += 1
      }
      guard position > start else { throw error("unexpected character") }
      let text = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
      if !Self.isLiteral(text) { position = start; throw error("invalid value") }
      out?.append(text)
    }
  }

  private static func isLiteral(_ text: UnsafeRawBufferPointer) -> Bool {
    if text.elementsEqual("true".utf8) || text.elementsEqual("false".utf8) || text.elementsEqual("null".utf8) { return true }
    // A JSON number.
    var i = 0
    let n = text.count
    if i < n && text[i] == UInt8(ascii: "-") { i += 1 }
    let intStart = i
    while i < n && text[i] >= 48 && text[i] <= 57 { i += 1 }
    if i == intStart { return false }
    if i < n && text[i] == UInt8(ascii: ".") {
      i += 1
      let fracStart = i
      while i < n && text[i] >= 48 && text[i] <= 57 { i += 1 }
      if i == fracStart { return false }
    }
    if i < n && text[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < n && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) { i += 1 }
      let expStart = i
      while i < n && text[i] >= 48 && text[i] <= 57 { i += 1 }
      if i == expStart { return false }
    }
    return i == n
  }

  private mutating func skipString() throws(SpreadsheetError) {
    position += 1
    while position < bytes.count {
      let b = bytes[position]
      if b == UInt8(ascii: "\\") {
        position += 2
        continue
      }
      position += 1
      if b == UInt8(ascii: "\"") { return }
    }
    throw error("unterminated string")
  }
}
