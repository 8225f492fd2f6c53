import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads an upload's JSON body from its spool file through a 1 MiB window, so a large body is never
/// parsed whole: the top-level object's fields are read one by one, and the elements of its
/// `phone_numbers` or `contacts` array are handed over one at a time, each parsed on its own. Each
/// field and element is bounded (``maximumValueBytes``); the structure between them (braces,
/// brackets, commas, colons) is checked here, the values themselves by `JSONSerialization`.
struct JSONBodyReader {
  /// Why a body is refused.
  enum Refusal: Error {
    case malformed(String)
    case valueTooLarge(String)
    case unreadable
  }

  /// The arrays whose elements are streamed.
  static let streamedArrays: Set<String> = ["phone_numbers", "contacts"]
  /// The largest field value or array element.
  static let maximumValueBytes = 1 << 20

  private let fd: Int32
  private var buffer = [UInt8](repeating: 0, count: 1 << 20)
  private var index = 0
  private var count = 0
  private var consumed = 0

  private init(fd: Int32) { self.fd = fd }

  /// Reads the body at `path`: `field` gets every top-level field but the streamed arrays (`null`
  /// ones included), `element` every element of a streamed array, in order.
  static func read(
    path: String, field: (String, Any) throws -> Void, element: (String, Any) throws -> Void
  ) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Refusal.unreadable }
    defer { close(fd) }
    var reader = JSONBodyReader(fd: fd)
    try reader.readObject(field: field, element: element)
  }

  private mutating func readObject(field: (String, Any) throws -> Void, element: (String, Any) throws -> Void) throws {
    try skipWhitespace()
    guard try next() == UInt8(ascii: "{") else { throw Refusal.malformed("the body must be an object") }
    try skipWhitespace()
    var streamed = Set<String>()
    if try peek() == UInt8(ascii: "}") {
      _ = try next()
    } else {
      while true {
        try skipWhitespace()
        guard try peek() == UInt8(ascii: "\"") else { throw malformed("expected a field name") }
        guard let key = try parse(try capture(limit: 4096, field: "a field name")) as? String else {
          throw malformed("expected a field name")
        }
        try skipWhitespace()
        guard try next() == UInt8(ascii: ":") else { throw malformed("expected ':'") }
        try skipWhitespace()
        if Self.streamedArrays.contains(key), try peek() == UInt8(ascii: "[") {
          guard streamed.insert(key).inserted else { throw Refusal.malformed("\(key) appears twice") }
          _ = try next()
          try skipWhitespace()
          if try peek() == UInt8(ascii: "]") {
            _ = try next()
          } else {
            while true {
              try element(key, try parse(try capture(limit: Self.maximumValueBytes, field: "an element of \(key)")))
              try skipWhitespace()
              let separator = try next()
              if separator == UInt8(ascii: "]") { break }
              guard separator == UInt8(ascii: ",") else { throw malformed("expected ',' or ']' in \(key)") }
              try skipWhitespace()
            }
          }
          try field(key, [Any]())  // present, as an array (its elements went to `element`)
        } else {
          try field(key, try parse(try capture(limit: Self.maximumValueBytes, field: key)))
        }
        try skipWhitespace()
        let separator = try next()
        if separator == UInt8(ascii: "}") { break }
        guard separator == UInt8(ascii: ",") else { throw malformed("expected ',' or '}'") }
      }
    }
    try skipWhitespace()
    guard try peek() == nil else { throw malformed("text after the object") }
  }

  private func malformed(_ what: String) -> Refusal { .malformed("\(what) at byte \(consumed + index)") }

  private func parse(_ bytes: [UInt8]) throws -> Any {
    // The common value, a plain string (no escapes, no control characters), needs no parser.
    if bytes.count >= 2, bytes.first == 34, bytes.last == 34,
      !bytes[1..<(bytes.count - 1)].contains(where: { $0 == 92 || $0 < 32 || $0 == 34 }),
      let text = String(bytes: bytes[1..<(bytes.count - 1)], encoding: .utf8)
    {
      return text
    }
    do { return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) } catch {
      throw malformed("invalid value ending")
    }
  }

  /// The raw bytes of the next value (a string, object, array or scalar), at most `limit`.
  private mutating func capture(limit: Int, field: String) throws -> [UInt8] {
    var bytes: [UInt8] = []
    func append(_ byte: UInt8) throws {
      bytes.append(byte)
      if bytes.count > limit { throw Refusal.valueTooLarge(field) }
    }
    guard let first = try peek() else { throw malformed("expected a value") }
    switch first {
    case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      var inString = false
      var escaped = false
      while let byte = try next() {
        try append(byte)
        if inString {
          if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
            inString = false
            if depth == 0 { return bytes }
          }
        } else if byte == UInt8(ascii: "\"") {
          inString = true
        } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
          depth += 1
        } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
          depth -= 1
          if depth == 0 { return bytes }
        }
      }
      throw Refusal.malformed("the body ends inside a value")
    default:
      while let byte = try peek(), !Self.ends(byte) {
        _ = try next()
        try append(byte)
      }
      return bytes
    }
  }

  private static func ends(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 32 || byte == 9 || byte == 10
      || byte == 13
  }

  private mutating func skipWhitespace() throws {
    while let byte = try peek(), byte == 32 || byte == 9 || byte == 10 || byte == 13 { index += 1 }
  }

  private mutating func peek() throws -> UInt8? {
    if index == count {
      consumed += count
      count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      index = 0
      if count < 0 {
        count = 0
        throw Refusal.unreadable
      }
      if count == 0 { return nil }
    }
    return buffer[index]
  }

  private mutating func next() throws -> UInt8? {
    let byte = try peek()
    if byte != nil { index += 1 }
    return byte
  }
}
