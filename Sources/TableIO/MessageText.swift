/// Values quoted in error messages: every message is one line, whatever the input holds.
public enum MessageText {
  /// The longest value quoted in a message, in characters, before it is cut with `…`.
  public static let maxQuotedLength = 60

  /// `value` with control characters escaped (`\r`, `\n`, `\t`, others as `\u{…}`) and cut to
  /// ``maxQuotedLength`` characters with `…`.
  public static func sanitized(_ value: String, limit: Int = maxQuotedLength) -> String {
    var out = ""
    var count = 0
    for scalar in value.unicodeScalars {
      if count >= limit {
        out += "…"
        break
      }
      count += 1
      switch scalar {
      case "\r": out += "\\r"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
          out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// A whole message made safe for one line: control characters escaped, nothing cut.
  public static func oneLine(_ message: String) -> String {
    sanitized(message, limit: Int.max)
  }
}
