/// Turns BIFF8 string characters — compressed 8-bit (Latin-1) or UTF-16LE — into UTF-8.
///
/// A UTF-16 surrogate pair may be split by a CONTINUE boundary, so a high surrogate waits here for
/// its partner; an unpaired surrogate becomes U+FFFD.
struct XLSTextBuilder {
  /// The UTF-8 written so far.
  var bytes: [UInt8] = []
  /// A high surrogate waiting for its low surrogate, or 0.
  private var highSurrogate: UInt32 = 0

  /// Starts with room for `capacity` bytes.
  init(capacity: Int = 0) {
    bytes.reserveCapacity(capacity)
  }

  /// Appends compressed characters: each byte is the code point U+0000...U+00FF.
  mutating func appendLatin1(_ source: [UInt8], _ range: Range<Int>) {
    flushSurrogate()
    for index in range {
      let byte = source[index]
      if byte < 0x80 {
        bytes.append(byte)
      } else {
        bytes.append(0xC0 | byte >> 6)
        bytes.append(0x80 | byte & 0x3F)
      }
    }
  }

  /// Appends UTF-16LE characters from `range`, whose length the caller has made even.
  mutating func appendUTF16(_ source: [UInt8], _ range: Range<Int>) {
    var index = range.lowerBound
    while index + 1 < range.upperBound {
      let unit = UInt32(source[index]) | UInt32(source[index + 1]) << 8
      index += 2
      if highSurrogate != 0 {
        if unit >= 0xDC00 && unit <= 0xDFFF {
          appendScalar(0x10000 + ((highSurrogate - 0xD800) << 10) + (unit - 0xDC00))
          highSurrogate = 0
          continue
        }
        flushSurrogate()
      }
      if unit >= 0xD800 && unit <= 0xDBFF {
        highSurrogate = unit
      } else if unit >= 0xDC00 && unit <= 0xDFFF {
        appendScalar(0xFFFD)
      } else {
        appendScalar(unit)
      }
    }
  }

  /// Ends the current string: a high surrogate still waiting becomes U+FFFD.
  mutating func finishString() {
    flushSurrogate()
  }

  private mutating func flushSurrogate() {
    if highSurrogate != 0 {
      highSurrogate = 0
      appendScalar(0xFFFD)
    }
  }

  private mutating func appendScalar(_ value: UInt32) {
    switch value {
    case 0..<0x80:
      bytes.append(UInt8(value))
    case 0x80..<0x800:
      bytes.append(UInt8(0xC0 | value >> 6))
      bytes.append(UInt8(0x80 | value & 0x3F))
    case 0x800..<0x10000:
      bytes.append(UInt8(0xE0 | value >> 12))
      bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
      bytes.append(UInt8(0x80 | value & 0x3F))
    default:
      bytes.append(UInt8(0xF0 | value >> 18))
      bytes.append(UInt8(0x80 | (value >> 12) & 0x3F))
      bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
      bytes.append(UInt8(0x80 | value & 0x3F))
    }
  }
}
