/// Reads ISO 8601 timestamps from history files without allocating: `2026-11-25T14:03:00Z`,
/// `2026-11-25 14:03:00-05:00`, `2026-11-25T14:03Z`, fractional seconds; a time without a zone is UTC.
enum Timestamp {
  /// Unix seconds, or `nil` when the bytes are not such a timestamp.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    var i = 0
    let n = bytes.count
    func digits(_ count: Int) -> Int? {
      guard i + count <= n else { return nil }
      var value = 0
      for _ in 0..<count {
        let d = Int(bytes[i]) - 48
        guard d >= 0 && d <= 9 else { return nil }
        value = value * 10 + d
        i += 1
      }
      return value
    }
    func expect(_ byte: UInt8) -> Bool {
      guard i < n, bytes[i] == byte else { return false }
      i += 1
      return true
    }
    while i < n && bytes[i] == 0x20 { i += 1 }
    guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
      let day = digits(2), (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var seconds = 0
    if i < n && (bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") || bytes[i] == 0x20) {
      i += 1
      guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), hour < 24, minute < 60 else { return nil }
      var second = 0
      if expect(UInt8(ascii: ":")) {
        guard let s = digits(2), s < 61 else { return nil }
        second = s
        if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
          while i < n, bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
        }
      }
      seconds = hour * 3600 + minute * 60 + second
    }
    var offset = 0
    if i < n {
      let sign = bytes[i]
      if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
        i += 1
      } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        i += 1
        guard let oh = digits(2) else { return nil }
        _ = expect(UInt8(ascii: ":"))
        let om = digits(2) ?? 0
        offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
      }
    }
    while i < n && (bytes[i] == 0x20 || bytes[i] == 0x0D) { i += 1 }
    guard i == n else { return nil }
    return Int64(daysFromCivil(year, month, day)) * 86_400 + Int64(seconds) - Int64(offset)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
    let year = m <= 2 ? y - 1 : y
    let era = (year >= 0 ? year : year - 399) / 400
    let yoe = year - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
