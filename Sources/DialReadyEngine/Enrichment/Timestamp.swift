/// Reads ISO 8601 timestamps from history files without allocating: `2026-11-25T14:03:00Z`,
/// `2026-11-25 14:03:00-05:00`, `2026-11-25T14:03Z`, fractional seconds; a time without a zone is UTC.
enum Timestamp {
  /// Unix seconds, or `nil` when the bytes are not such a timestamp.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    // A cursor struct rather than local functions over a captured index: captured variables cost a
    // dynamic exclusivity check on every access, and this runs once per history row.
    var c = Cursor(bytes: bytes)
    let n = bytes.count
    while c.i < n && bytes[c.i] == 0x20 { c.i += 1 }
    guard let year = c.digits(4), c.expect(UInt8(ascii: "-")), let month = c.digits(2), c.expect(UInt8(ascii: "-")),
      let day = c.digits(2), (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var seconds = 0
    if c.i < n && (bytes[c.i] == UInt8(ascii: "T") || bytes[c.i] == UInt8(ascii: "t") || bytes[c.i] == 0x20) {
      c.i += 1
      guard let hour = c.digits(2), c.expect(UInt8(ascii: ":")), let minute = c.digits(2), hour < 24, minute < 60 else {
        return nil
      }
      var second = 0
      if c.expect(UInt8(ascii: ":")) {
        guard let s = c.digits(2), s < 61 else { return nil }
        second = s
        if c.expect(UInt8(ascii: ".")) || c.expect(UInt8(ascii: ",")) {
          while c.i < n, bytes[c.i] >= 48 && bytes[c.i] <= 57 { c.i += 1 }
        }
      }
      seconds = hour * 3600 + minute * 60 + second
    }
    var offset = 0
    if c.i < n {
      let sign = bytes[c.i]
      if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
        c.i += 1
      } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        c.i += 1
        guard let oh = c.digits(2) else { return nil }
        _ = c.expect(UInt8(ascii: ":"))
        let om = c.digits(2) ?? 0
        offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
      }
    }
    while c.i < n && (bytes[c.i] == 0x20 || bytes[c.i] == 0x0D) { c.i += 1 }
    guard c.i == n else { return nil }
    return Int64(daysFromCivil(year, month, day)) * 86_400 + Int64(seconds) - Int64(offset)
  }

  /// A read position in a timestamp's bytes.
  private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var i = 0

    /// `count` decimal digits as a number, or `nil` (the position is then past the digits read).
    @inline(__always)
    mutating func digits(_ count: Int) -> Int? {
      guard i + count <= bytes.count else { return nil }
      var value = 0
      for _ in 0..<count {
        let d = Int(bytes[i]) - 48
        guard d >= 0 && d <= 9 else { return nil }
        value = value * 10 + d
        i += 1
      }
      return value
    }

    /// Consumes `byte` if it comes next.
    @inline(__always)
    mutating func expect(_ byte: UInt8) -> Bool {
      guard i < bytes.count, bytes[i] == byte else { return false }
      i += 1
      return true
    }
  }

  static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
    let year = m <= 2 ? y - 1 : y
    let era = (year >= 0 ? year : year - 399) / 400
    let yoe = year - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
