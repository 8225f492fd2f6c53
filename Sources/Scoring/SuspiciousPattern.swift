import NANP

/// Digit patterns that mark a number as probably made up or unassigned (form fillers type them).
public struct SuspiciousPattern: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Exchange 555 (outside the fictional 0100–0199 block): mostly unassigned or directory services.
  public static let exchange555 = SuspiciousPattern(rawValue: 1 << 0)
  /// The four line digits are all the same (`…-0000`, `…-7777`).
  public static let repeatedLine = SuspiciousPattern(rawValue: 1 << 1)
  /// The line digits run up or down (`…-1234`, `…-9876`).
  public static let sequentialLine = SuspiciousPattern(rawValue: 1 << 2)
  /// Exchange and line are one repeated digit (`555-5555`, `777-7777`).
  public static let allSameDigits = SuspiciousPattern(rawValue: 1 << 3)
  /// Exchange and line run as one sequence (`123-4567`, `234-5678`, `987-6543`).
  public static let sequentialNumber = SuspiciousPattern(rawValue: 1 << 4)

  /// The patterns `national` (ten digits) shows: two table reads (exchange and line digits), no division loop.
  @inline(__always)
  public init(national: UInt64) {
    let seven = Int(national % 10_000_000)
    let nxx = DigitRuns.exchanges[seven / 10_000]
    let line = DigitRuns.lines[seven % 10_000]
    var found: SuspiciousPattern = []
    if seven / 10_000 == 555 { found.insert(.exchange555) }
    if line & DigitRuns.same != 0 { found.insert(.repeatedLine) }
    if line & (DigitRuns.up | DigitRuns.down) != 0 { found.insert(.sequentialLine) }
    let nxxLast = Int(nxx >> 4)
    let lineFirst = Int(line >> 4)
    if nxx & DigitRuns.same != 0 && line & DigitRuns.same != 0 && nxxLast == lineFirst { found.insert(.allSameDigits) }
    if (nxx & DigitRuns.up != 0 && line & DigitRuns.up != 0 && lineFirst == nxxLast + 1)
      || (nxx & DigitRuns.down != 0 && line & DigitRuns.down != 0 && lineFirst == nxxLast - 1)
    {
      found.insert(.sequentialNumber)
    }
    self = found
  }
}

/// Digit runs of every exchange (3 digits) and line (4 digits), built once: whether the digits are
/// all the same or step up or down by one, and the boundary digit (the exchange's last, the line's first).
enum DigitRuns {
  static let same: UInt8 = 1
  static let up: UInt8 = 2
  static let down: UInt8 = 4

  /// Per exchange 000–999: run flags, and its last digit in the high nibble.
  static let exchanges: [UInt8] = (0..<1000).map { runs(of: $0, digits: 3, boundaryIsLast: true) }
  /// Per line 0000–9999: run flags, and its first digit in the high nibble.
  static let lines: [UInt8] = (0..<10_000).map { runs(of: $0, digits: 4, boundaryIsLast: false) }

  private static func runs(of value: Int, digits count: Int, boundaryIsLast: Bool) -> UInt8 {
    var digits: [Int] = []
    var rest = value
    for _ in 0..<count {
      digits.insert(rest % 10, at: 0)
      rest /= 10
    }
    var flags: UInt8 = 0
    if digits.allSatisfy({ $0 == digits[0] }) { flags |= same }
    if (1..<count).allSatisfy({ digits[$0] == digits[$0 - 1] + 1 }) { flags |= up }
    if (1..<count).allSatisfy({ digits[$0] == digits[$0 - 1] - 1 }) { flags |= down }
    let boundary = boundaryIsLast ? digits[count - 1] : digits[0]
    return flags | UInt8(boundary) << 4
  }
}
