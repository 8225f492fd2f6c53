/// Receives the pieces of an XML document from ``XMLScanner``.
protocol XMLHandler {
  /// An element opens (`selfClosing` when written `<x/>`); `name` has its namespace prefix removed.
  mutating func startElement(_ name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool) throws(SpreadsheetError)
  /// An element closes.
  mutating func endElement(_ name: UnsafeRawBufferPointer) throws(SpreadsheetError)
  /// Character data between tags, raw (entities not decoded); CDATA content comes with `isCDATA`.
  mutating func text(_ raw: UnsafeRawBufferPointer, isCDATA: Bool)
  /// Whether the scanner should stop after the current element (the consumer is full).
  var wantsPause: Bool { get }
}

/// How deep the elements open at the scanner's position nest, against the limit.
struct XMLNesting {
  /// Elements open now.
  var depth = 0
  /// The deepest nesting allowed.
  let limit: ReaderLimits

  init(limits: ReaderLimits = ReaderLimits()) { self.limit = limits }

  /// Bytes a single unfinished token (text or tag) may hold beyond the field limit before the input
  /// is refused: a cell's text can be escaped (`&amp;` is five bytes for one).
  static let tokenSlack = 1 << 20
}

/// A streaming XML tokenizer for the small dialect spreadsheets use: elements, attributes, text,
/// CDATA; declarations, comments and processing instructions are skipped. It consumes only complete
/// constructs and reports how far it got, so the caller can append more bytes and continue.
enum XMLScanner {
  /// Scans `bytes`, returning how many were consumed (the rest is an incomplete construct, or the
  /// handler asked to pause). With `isFinal`, an incomplete construct is an error.
  /// Document type declarations are skipped and entities other than the five predefined ones and
  /// character references are never expanded, so no "billion laughs" or external entity can be read.
  static func scan<H: XMLHandler>(
    _ bytes: UnsafeRawBufferPointer, isFinal: Bool, handler: inout H, nesting: inout XMLNesting
  ) throws(SpreadsheetError) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    let p = base.assumingMemoryBound(to: UInt8.self)
    let n = bytes.count
    var i = 0
    while i < n {
      if p[i] != UInt8(ascii: "<") {
        var j = i
        while j < n && p[j] != UInt8(ascii: "<") { j &+= 1 }
        if j == n && !isFinal { return i }
        handler.text(UnsafeRawBufferPointer(start: p + i, count: j &- i), isCDATA: false)
        i = j
        continue
      }
      // A markup construct starting at i.
      guard i &+ 1 < n else { return try incomplete(i, isFinal) }
      let next = p[i &+ 1]
      if next == UInt8(ascii: "?") {
        guard let end = find(p, n, from: i &+ 2, "?>") else { return try incomplete(i, isFinal) }
        i = end &+ 2
        continue
      }
      if next == UInt8(ascii: "!") {
        if hasPrefix(p, n, at: i, "<!--") {
          guard let end = find(p, n, from: i &+ 4, "-->") else { return try incomplete(i, isFinal) }
          i = end &+ 3
        } else if hasPrefix(p, n, at: i, "<![CDATA[") {
          guard let end = find(p, n, from: i &+ 9, "]]>") else { return try incomplete(i, isFinal) }
          handler.text(UnsafeRawBufferPointer(start: p + (i &+ 9), count: end &- i &- 9), isCDATA: true)
          i = end &+ 3
        } else {
          // <!DOCTYPE …>: skipped (entity declarations are not honoured).
          guard let end = find(p, n, from: i &+ 2, ">") else { return try incomplete(i, isFinal) }
          i = end &+ 1
        }
        continue
      }
      // A tag: find its closing '>' outside attribute quotes.
      var j = i &+ 1
      var quote: UInt8 = 0
      while j < n {
        let b = p[j]
        if quote != 0 {
          if b == quote { quote = 0 }
        } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
          quote = b
        } else if b == UInt8(ascii: ">") {
          break
        }
        j &+= 1
      }
      if j == n { return try incomplete(i, isFinal) }
      if next == UInt8(ascii: "/") {
        let name = trimmedName(p, from: i &+ 2, to: j)
        nesting.depth = max(0, nesting.depth &- 1)
        try handler.endElement(name)
      } else {
        var end = j
        let selfClosing = p[j &- 1] == UInt8(ascii: "/")
        if selfClosing { end &-= 1 }
        var k = i &+ 1
        while k < end && !isSpace(p[k]) { k &+= 1 }
        let name = localName(UnsafeRawBufferPointer(start: p + (i &+ 1), count: k &- i &- 1))
        try handler.startElement(name, attributes: UnsafeRawBufferPointer(start: p + k, count: end &- k), selfClosing: selfClosing)
        if selfClosing {
          try handler.endElement(name)
        } else {
          nesting.depth &+= 1
          if nesting.depth > nesting.limit.maxNestingDepth {
            throw .limitExceeded(LimitExceeded(.nestingDepth, nesting.limit, at: "an element"))
          }
        }
      }
      i = j &+ 1
      if handler.wantsPause { return i }
    }
    return i
  }

  private static func incomplete(_ at: Int, _ isFinal: Bool) throws(SpreadsheetError) -> Int {
    if isFinal { throw .corrupt("XML ends inside a tag") }
    return at
  }

  @inline(__always)
  static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

  private static func trimmedName(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> UnsafeRawBufferPointer {
    var end = to
    while end > from && isSpace(p[end &- 1]) { end &-= 1 }
    return localName(UnsafeRawBufferPointer(start: p + from, count: end &- from))
  }

  /// The name without its namespace prefix (`x:row` → `row`).
  @inline(__always)
  static func localName(_ name: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    guard let colon = name.lastIndex(of: UInt8(ascii: ":")) else { return name }
    return UnsafeRawBufferPointer(rebasing: name[(colon + 1)...])
  }

  private static func hasPrefix(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int, _ literal: StaticString) -> Bool {
    let m = literal.utf8CodeUnitCount
    guard i &+ m <= n else { return false }
    for k in 0..<m where p[i &+ k] != literal.utf8Start[k] { return false }
    return true
  }

  private static func find(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int, _ literal: StaticString) -> Int? {
    let m = literal.utf8CodeUnitCount
    var i = from
    while i &+ m <= n {
      if p[i] == literal.utf8Start[0] && hasPrefix(p, n, at: i, literal) { return i }
      i &+= 1
    }
    return nil
  }

  /// The value of attribute `name` (matched without namespace prefix unless `name` has one), raw.
  static func attribute(_ name: StaticString, in attributes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    let n = attributes.count
    var i = 0
    while i < n {
      while i < n && isSpace(attributes[i]) { i &+= 1 }
      let nameStart = i
      while i < n && attributes[i] != UInt8(ascii: "=") && !isSpace(attributes[i]) { i &+= 1 }
      let attrName = UnsafeRawBufferPointer(rebasing: attributes[nameStart..<i])
      while i < n && attributes[i] != UInt8(ascii: "\"") && attributes[i] != UInt8(ascii: "'") { i &+= 1 }
      guard i < n else { return nil }
      let quote = attributes[i]
      i &+= 1
      let valueStart = i
      while i < n && attributes[i] != quote { i &+= 1 }
      let value = UnsafeRawBufferPointer(rebasing: attributes[valueStart..<min(i, n)])
      i &+= 1
      let wanted = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
      if attrName.elementsEqual(wanted) { return value }
      if !wanted.contains(UInt8(ascii: ":")) && localName(attrName).elementsEqual(wanted) { return value }
    }
    return nil
  }

  /// Whether `name` equals `literal`.
  @inline(__always)
  static func isName(_ name: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    guard name.count == literal.utf8CodeUnitCount else { return false }
    for k in 0..<name.count where name[k] != literal.utf8Start[k] { return false }
    return true
  }
}

/// Decodes XML character data and OOXML `_xHHHH_` escapes into UTF-8.
enum XMLText {
  /// Appends the decoded text of `raw` to `out`: line ends normalized to LF as XML requires (a CR
  /// written as `&#13;` or `_x000D_` stays), entities and `_xHHHH_` escapes (surrogate pairs joined) decoded.
  static func decode(_ raw: UnsafeRawBufferPointer, into out: OutputBytes, isCDATA: Bool = false) {
    var hasSpecial = false
    for b in raw where b == UInt8(ascii: "&") || b == UInt8(ascii: "_") || b == 13 {
      hasSpecial = true
      break
    }
    guard hasSpecial else {
      out.append(raw)
      return
    }
    let n = raw.count
    var i = 0
    while i < n {
      let b = raw[i]
      if b == 13 {
        out.append(10)
        i += (i + 1 < n && raw[i + 1] == 10) ? 2 : 1
        continue
      }
      if isCDATA {
        out.append(b)
        i += 1
        continue
      }
      if b == UInt8(ascii: "&"), let semicolon = raw[i..<min(n, i + 12)].firstIndex(of: UInt8(ascii: ";")) {
        let entity = UnsafeRawBufferPointer(rebasing: raw[(i + 1)..<semicolon])
        if let scalar = entityScalar(entity) {
          appendScalar(scalar, to: out)
          i = semicolon + 1
          continue
        }
      }
      if let value = escape(raw, at: i) {
        if (0xD800...0xDBFF).contains(value), let low = escape(raw, at: i + 7), (0xDC00...0xDFFF).contains(low) {
          appendScalar(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00), to: out)
          i += 14
        } else {
          appendScalar(value, to: out)
          i += 7
        }
        continue
      }
      out.append(b)
      i += 1
    }
  }

  /// The value of an `_xHHHH_` escape starting at `i`, if one does.
  private static func escape(_ raw: UnsafeRawBufferPointer, at i: Int) -> UInt32? {
    guard i + 6 < raw.count, raw[i] == UInt8(ascii: "_"), raw[i + 1] == UInt8(ascii: "x"), raw[i + 6] == UInt8(ascii: "_") else {
      return nil
    }
    return hex(UnsafeRawBufferPointer(rebasing: raw[(i + 2)..<(i + 6)]))
  }

  private static func entityScalar(_ e: UnsafeRawBufferPointer) -> UInt32? {
    if e.elementsEqual("amp".utf8) { return 0x26 }
    if e.elementsEqual("lt".utf8) { return 0x3C }
    if e.elementsEqual("gt".utf8) { return 0x3E }
    if e.elementsEqual("quot".utf8) { return 0x22 }
    if e.elementsEqual("apos".utf8) { return 0x27 }
    guard e.count >= 2, e[0] == UInt8(ascii: "#") else { return nil }
    if e[1] | 0x20 == UInt8(ascii: "x") { return hex(UnsafeRawBufferPointer(rebasing: e[2...])) }
    var value: UInt32 = 0
    for b in e.dropFirst() {
      guard b >= 48 && b <= 57, value < 0x110000 else { return nil }
      value = value * 10 + UInt32(b - 48)
    }
    return value
  }

  private static func hex(_ digits: UnsafeRawBufferPointer) -> UInt32? {
    guard !digits.isEmpty, digits.count <= 6 else { return nil }
    var value: UInt32 = 0
    for b in digits {
      let d: UInt32
      switch b {
      case 48...57: d = UInt32(b - 48)
      case 65...70: d = UInt32(b - 55)
      case 97...102: d = UInt32(b - 87)
      default: return nil
      }
      value = value << 4 | d
    }
    return value
  }

  private static func appendScalar(_ value: UInt32, to out: OutputBytes) {
    let scalar = UnicodeScalar(value) ?? "\u{FFFD}"
    for unit in String(scalar).utf8 { out.append(unit) }
  }
}
