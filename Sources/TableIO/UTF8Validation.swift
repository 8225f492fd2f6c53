/// Finds invalid UTF-8, eight ASCII bytes at a time.
public enum UTF8Validation {
  /// The offset of the first byte that does not start or continue a valid UTF-8 sequence, or `nil`.
  /// With `allowTruncatedEnd`, a sequence cut off by the end of the buffer is not an error.
  public static func firstInvalidByte(in bytes: UnsafeRawBufferPointer, allowTruncatedEnd: Bool = false) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let p = base.assumingMemoryBound(to: UInt8.self)
    let n = bytes.count
    var i = 0
    while i < n {
      if i &+ 8 <= n && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        i &+= 8
        continue
      }
      let b = p[i]
      if b < 0x80 {
        i &+= 1
        continue
      }
      let length: Int
      var minimum: UInt32
      var scalar: UInt32
      if b & 0xE0 == 0xC0 {
        length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
      } else if b & 0xF0 == 0xE0 {
        length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
      } else if b & 0xF8 == 0xF0 {
        length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
      } else {
        return i
      }
      if i &+ length > n {
        if allowTruncatedEnd {
          for k in (i &+ 1)..<n where p[k] & 0xC0 != 0x80 { return i }
          return nil
        }
        return i
      }
      for k in 1..<length {
        let c = p[i &+ k]
        guard c & 0xC0 == 0x80 else { return i }
        scalar = scalar << 6 | UInt32(c & 0x3F)
      }
      if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return i }
      i &+= length
    }
    return nil
  }

  /// Whether the bytes are valid UTF-8.
  @inline(__always)
  public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    firstInvalidByte(in: bytes) == nil
  }
}
