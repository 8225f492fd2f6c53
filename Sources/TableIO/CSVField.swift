/// Helpers for one CSV field's bytes: unquoting, and quoting for output.
public enum CSVField {
  /// Whether the raw field is quoted (starts with `"`).
  @inline(__always)
  public static func isQuoted(_ raw: UnsafeRawBufferPointer) -> Bool {
    raw.count > 0 && raw[0] == UInt8(ascii: "\"")
  }

  /// Calls `body` with the field's value: quotes removed and doubled quotes undoubled. Text after a
  /// closing quote is kept, as spreadsheets do. Unquoted fields are passed through without copying.
  @inline(__always)
  public static func withValue<R>(
    _ raw: UnsafeRawBufferPointer, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> R
  ) -> R {
    guard isQuoted(raw) else { return body(raw) }
    scratch.removeAll(keepingCapacity: true)
    var i = 1
    let n = raw.count
    var inQuotes = true
    while i < n {
      let b = raw[i]
      if inQuotes && b == UInt8(ascii: "\"") {
        if i + 1 < n && raw[i + 1] == UInt8(ascii: "\"") {
          scratch.append(b)
          i += 2
          continue
        }
        inQuotes = false
        i += 1
        continue
      }
      scratch.append(b)
      i += 1
    }
    return scratch.withUnsafeBytes(body)
  }

  /// Whether the raw bytes of a comma-separated field are a valid RFC 4180 field on their own, so they
  /// can be copied byte for byte: unquoted without `"`, CR or LF, or enclosed in quotes from first byte
  /// to last with every quote inside doubled. `"abc"x`, `ab"c` and a quote left open are not.
  @inline(__always)
  public static func isValidRaw(_ raw: UnsafeRawBufferPointer) -> Bool {
    let quote = UInt8(ascii: "\"")
    guard isQuoted(raw) else {
      for b in raw where b == quote || b == 10 || b == 13 { return false }
      return true
    }
    let n = raw.count
    guard n >= 2 else { return false }
    var i = 1
    while i < n &- 1 {
      if raw[i] == quote {
        guard raw[i &+ 1] == quote, i &+ 1 < n &- 1 else { return false }
        i &+= 2
        continue
      }
      i &+= 1
    }
    return raw[n &- 1] == quote
  }

  /// Appends a field of a comma-separated input: its raw bytes when they are a valid field on their
  /// own, else its value (as ``withValue(_:scratch:_:)`` reads it) quoted anew.
  @inline(__always)
  public static func appendCommaField(_ raw: UnsafeRawBufferPointer, scratch: inout [UInt8], to out: OutputBytes) {
    if isValidRaw(raw) {
      out.append(raw)
    } else {
      withValue(raw, scratch: &scratch) { appendQuoted($0, to: out) }
    }
  }

  /// Whether a value must be quoted in comma-separated output.
  @inline(__always)
  public static func needsQuoting(_ value: UnsafeRawBufferPointer) -> Bool {
    for b in value where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 10 || b == 13 {
      return true
    }
    return false
  }

  /// Appends `value` to `out` as a comma-separated field, quoted only where needed.
  public static func appendQuoted(_ value: UnsafeRawBufferPointer, to out: OutputBytes) {
    guard needsQuoting(value) else {
      out.append(value)
      return
    }
    out.append(UInt8(ascii: "\""))
    for b in value {
      if b == UInt8(ascii: "\"") { out.append(b) }
      out.append(b)
    }
    out.append(UInt8(ascii: "\""))
  }
}
