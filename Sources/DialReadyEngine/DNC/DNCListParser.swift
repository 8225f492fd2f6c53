#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the numbers out of a do-not-call list file, straight from its bytes (no string per line:
/// a 200-million-line registry file is a few seconds of work).
///
/// One number per line (LF or CRLF), in any of these forms, with spaces or tabs allowed around
/// the number and the comma:
/// - `AAA,NNNNNNN`: the US National DNC Registry and Canadian DNCL full-list record (area code,
///   comma, seven digits);
/// - `NXXNXXXXXX`: ten digits; `1NXXNXXXXXX`: eleven digits starting with 1; `+1NXXNXXXXXX`.
///
/// Blank lines are skipped, and so is line 1 when it holds a letter and is not a number (a header
/// such as `area_code,phone`); a UTF-8 byte order mark before it is ignored. The area code and the
/// exchange must both be 200…999. Every other line is a bad line: counted, and the first
/// ``DNCParseReport/keptBadLines`` kept with their line number and reason.
public enum DNCListParser {
  /// Why a line was refused.
  private enum Reason: UInt8 {
    case notNumber, areaCodeDigits, lineDigits, digitCount, notNANP

    var text: String {
      switch self {
      case .notNumber: return "not a phone number"
      case .areaCodeDigits: return "area code before the comma must have 3 digits"
      case .lineDigits: return "number after the comma must have 7 digits"
      case .digitCount: return "expected 10 digits, optionally after 1 or +1"
      case .notNANP: return "not a NANP number"
      }
    }
  }

  /// What one line held.
  private enum Outcome {
    case number(UInt64)
    case blank
    case bad(Reason)
  }

  /// Parses a whole list and adds its numbers to `builder`.
  ///
  /// - Parameters:
  ///   - bytes: The list file's contents (mapped or read), already unzipped.
  ///   - builder: Receives every accepted number, repeats included.
  /// - Returns: Line, number and bad-line counts, with the first bad lines and why.
  public static func parse(_ bytes: UnsafeRawBufferPointer, into builder: inout DNCIndexBuilder) -> DNCParseReport {
    var report = DNCParseReport()
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
      return report
    }
    let end = base + bytes.count
    var p = base
    if bytes.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { p += 3 }
    var lines = 0
    var numbers = 0
    var skipped = 0
    while p < end {
      lines &+= 1
      if let national = registryRecord(at: p, end) {
        builder.insert(national)
        numbers &+= 1
        p += p[11] == 0x0D ? 13 : 12
        continue
      }
      let start = p
      switch scanLine(&p, end) {
      case .number(let national):
        builder.insert(national)
        numbers &+= 1
        if p < end && p.pointee == 0x0D { p += 1 }
        if p < end { p += 1 }
      case .blank:
        skipped &+= 1
        if p < end && p.pointee == 0x0D { p += 1 }
        if p < end { p += 1 }
      case .bad(let reason):
        p = lineEnd(from: p, end)
        if lines == 1 && hasLetter(start, p) {
          skipped &+= 1
        } else {
          report.badLines &+= 1
          if report.firstBadLines.count < DNCParseReport.keptBadLines {
            report.firstBadLines.append((line: lines, reason: reason.text))
          }
        }
        if p < end { p += 1 }
      }
    }
    report.lines = lines
    report.numbers = numbers
    report.skippedLines = skipped
    return report
  }

  /// The number in an exact `AAA,NNNNNNN` line (LF or CRLF), the bulk of registry files, read without
  /// the general scanner's branches; `nil` sends the line to ``scanLine(_:_:)``.
  @inline(__always)
  private static func registryRecord(at p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UInt64? {
    guard end - p >= 12, p[3] == UInt8(ascii: ","),
      p[11] == 0x0A || (p[11] == 0x0D && end - p >= 13 && p[12] == 0x0A)
    else { return nil }
    let a0 = p[0] &- 48, a1 = p[1] &- 48, a2 = p[2] &- 48
    let e0 = p[4] &- 48, e1 = p[5] &- 48, e2 = p[6] &- 48
    let s0 = p[7] &- 48, s1 = p[8] &- 48, s2 = p[9] &- 48, s3 = p[10] &- 48
    // Every digit below 10, and the area code and exchange start with 2…9.
    guard max(max(max(a1, a2), max(e1, e2)), max(max(s0, s1), max(s2, s3))) < 10,
      a0 &- 2 < 8, e0 &- 2 < 8
    else { return nil }
    let npa = UInt64(a0) &* 100 &+ UInt64(a1) &* 10 &+ UInt64(a2)
    let exchange = UInt32(e0) &* 100 &+ UInt32(e1) &* 10 &+ UInt32(e2)
    let station = UInt32(s0) &* 1000 &+ UInt32(s1) &* 100 &+ UInt32(s2) &* 10 &+ UInt32(s3)
    return npa &* 10_000_000 &+ UInt64(exchange &* 10_000 &+ station)
  }

  /// Reads one line from `p`, leaving `p` on its line ending (for a number or a blank line) or
  /// somewhere inside it (for a bad line).
  @inline(__always)
  private static func scanLine(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Outcome {
    skipBlanks(&p, end)
    if isLineEnd(p, end) { return .blank }
    var plus = false
    if p.pointee == UInt8(ascii: "+") {
      plus = true
      p += 1
    }
    var (value, digits) = readDigits(&p, end)
    skipBlanks(&p, end)
    let national: UInt64
    if p < end && p.pointee == UInt8(ascii: ",") && !plus && digits > 0 {
      p += 1
      skipBlanks(&p, end)
      let (line, lineDigits) = readDigits(&p, end)
      skipBlanks(&p, end)
      guard isLineEnd(p, end) else { return .bad(.notNumber) }
      guard digits == 3 else { return .bad(.areaCodeDigits) }
      guard lineDigits == 7 else { return .bad(.lineDigits) }
      national = value &* 10_000_000 &+ line
    } else {
      guard digits > 0, isLineEnd(p, end) else { return .bad(.notNumber) }
      if digits == 11 && value / 10_000_000_000 == 1 {
        value &-= 10_000_000_000
      } else if digits != 10 || plus {
        return .bad(.digitCount)
      }
      national = value
    }
    let npa = national / 10_000_000
    let exchange = (national / 10_000) % 1000
    guard npa >= 200, exchange >= 200 else { return .bad(.notNANP) }
    return .number(national)
  }

  /// Reads a run of ASCII digits; the value keeps only the first 12 (enough to tell that there are too many).
  @inline(__always)
  private static func readDigits(
    _ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
  ) -> (value: UInt64, digits: Int) {
    var value: UInt64 = 0
    var digits = 0
    while p < end {
      let digit = p.pointee &- UInt8(ascii: "0")
      if digit >= 10 { break }
      if digits < 12 { value = value &* 10 &+ UInt64(digit) }
      digits &+= 1
      p += 1
    }
    return (value, digits)
  }

  @inline(__always)
  private static func skipBlanks(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
    while p < end && (p.pointee == 0x20 || p.pointee == 0x09) { p += 1 }
  }

  /// Whether `p` is at the end of a line: the end of the bytes, LF, or CR before LF or the end.
  @inline(__always)
  private static func isLineEnd(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
    if p == end { return true }
    let byte = p.pointee
    return byte == 0x0A || (byte == 0x0D && (p + 1 == end || p[1] == 0x0A))
  }

  /// The LF ending the line that `p` is in, or `end`.
  private static func lineEnd(from p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
    guard let found = memchr(p, 0x0A, end - p) else { return end }
    return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
  }

  private static func hasLetter(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
    var p = start
    while p < end {
      if (p.pointee | 0x20) &- UInt8(ascii: "a") < 26 { return true }
      p += 1
    }
    return false
  }
}
