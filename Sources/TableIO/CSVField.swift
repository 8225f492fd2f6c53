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
