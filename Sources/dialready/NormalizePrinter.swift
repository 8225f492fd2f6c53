import NANP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Formats `normalize` results as TSV or JSON lines into a reused buffer written to stdout in large blocks.
struct NormalizePrinter {
  let parser: PhoneNumberParser
  let json: Bool
  private var out = OutputBuffer(fd: 1)
  private var states: [String?]

  init(parser: PhoneNumberParser, json: Bool) {
    self.parser = parser
    self.json = json
    states = (0..<1000).map { parser.table.areaCode($0)?.state }
  }

  mutating func writeHeader() {
    if !json { out.append("input\te164\textension\tregion\tstate\tkind\treason\n") }
  }

  mutating func writeRow(for field: UnsafeBufferPointer<UInt8>) {
    let result = parser.parse(field)
    var e164 = ""
    var ext = ""
    var region = ""
    var state = ""
    var kind = ""
    var reason = ""
    switch result {
    case .valid(let number):
      e164 = number.e164
      ext = number.phoneExtension?.description ?? ""
      region = number.region.code
      state = states[number.npa] ?? ""
      kind = number.kind.name
    case .invalid(let why):
      reason = why.rawValue
    }
    if json {
      out.append("{\"input\":")
      out.appendJSONString(field)
      for (key, value) in [
        ("e164", e164), ("extension", ext), ("region", region), ("state", state), ("kind", kind),
        ("reason", reason),
      ] {
        out.append(",\"\(key)\":")
        if value.isEmpty { out.append("null") } else { out.append("\"\(value)\"") }
      }
      out.append("}\n")
    } else {
      out.appendTSVEscaped(field)
      out.append("\t\(e164)\t\(ext)\t\(region)\t\(state)\t\(kind)\t\(reason)\n")
    }
  }

  mutating func flush() { out.flush() }
}

/// A write buffer over a file descriptor, flushed in 64 KiB blocks.
struct OutputBuffer {
  let fd: Int32
  private var bytes: [UInt8] = []

  init(fd: Int32) {
    self.fd = fd
    bytes.reserveCapacity(1 << 16)
  }

  mutating func append(_ text: String) {
    bytes.append(contentsOf: text.utf8)
    if bytes.count >= 1 << 16 { flush() }
  }

  /// Appends bytes with tab, backslash, CR and LF escaped so a TSV row stays one line.
  mutating func appendTSVEscaped(_ field: UnsafeBufferPointer<UInt8>) {
    for b in field {
      switch b {
      case UInt8(ascii: "\t"): bytes.append(contentsOf: [92, UInt8(ascii: "t")])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
      case UInt8(ascii: "\r"): bytes.append(contentsOf: [92, UInt8(ascii: "r")])
      case UInt8(ascii: "\n"): bytes.append(contentsOf: [92, UInt8(ascii: "n")])
      default: bytes.append(b)
      }
    }
  }

  /// Appends a JSON string literal; invalid UTF-8 is replaced by U+FFFD so the output stays valid JSON.
  mutating func appendJSONString(_ field: UnsafeBufferPointer<UInt8>) {
    bytes.append(UInt8(ascii: "\""))
    for scalar in String(decoding: field, as: UTF8.self).unicodeScalars {
      switch scalar {
      case "\"": bytes.append(contentsOf: Array("\\\"".utf8))
      case "\\": bytes.append(contentsOf: Array("\\\\".utf8))
      case "\n": bytes.append(contentsOf: Array("\\n".utf8))
      case "\r": bytes.append(contentsOf: Array("\\r".utf8))
      case "\t": bytes.append(contentsOf: Array("\\t".utf8))
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          bytes.append(contentsOf: Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8))
        } else {
          bytes.append(contentsOf: Array(String(scalar).utf8))
        }
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func flush() {
    var offset = 0
    bytes.withUnsafeBytes { raw in
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += n
      }
    }
    bytes.removeAll(keepingCapacity: true)
  }
}

/// Reads a file descriptor in large blocks and hands out each line without its LF (and a CR before it).
struct LineReader {
  let fd: Int32

  func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var filled = 0
    var sawAny = false
    while true {
      if filled == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
      let n = buffer.withUnsafeMutableBytes { raw in
        read(fd, raw.baseAddress! + filled, raw.count - filled)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      sawAny = true
      filled += n
      var lineStart = 0
      buffer.withUnsafeBufferPointer { p in
        var i = 0
        while i < filled {
          if p[i] == UInt8(ascii: "\n") {
            var lineEnd = i
            if lineEnd > lineStart && p[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            body(UnsafeBufferPointer(rebasing: p[lineStart..<lineEnd]))
            lineStart = i + 1
          }
          i += 1
        }
      }
      if lineStart > 0 {
        buffer.withUnsafeMutableBufferPointer { p in
          for k in lineStart..<filled { p[k - lineStart] = p[k] }
        }
        filled -= lineStart
      }
    }
    if sawAny && filled > 0 {
      buffer.withUnsafeBufferPointer { p in
        var lineEnd = filled
        if p[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        body(UnsafeBufferPointer(rebasing: p[0..<lineEnd]))
      }
    }
  }
}
