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

  /// The patterns `national` (ten digits) shows.
  public init(national: UInt64) {
    var found: SuspiciousPattern = []
    let seven = Int(national % 10_000_000)
    if seven / 10_000 == 555 { found.insert(.exchange555) }
    // Differences between neighbouring digits of the seven-digit subscriber number, last first.
    var rest = seven
    var previous = rest % 10
    rest /= 10
    var lineSteps = (same: 0, up: 0, down: 0)
    var allSteps = (same: 0, up: 0, down: 0)
    for position in 0..<6 {
      let digit = rest % 10
      rest /= 10
      let step = previous - digit
      if position < 3 {
        if step == 0 { lineSteps.same += 1 }
        if step == 1 { lineSteps.up += 1 }
        if step == -1 { lineSteps.down += 1 }
      }
      if step == 0 { allSteps.same += 1 }
      if step == 1 { allSteps.up += 1 }
      if step == -1 { allSteps.down += 1 }
      previous = digit
    }
    if lineSteps.same == 3 { found.insert(.repeatedLine) }
    if lineSteps.up == 3 || lineSteps.down == 3 { found.insert(.sequentialLine) }
    if allSteps.same == 6 { found.insert(.allSameDigits) }
    if allSteps.up == 6 || allSteps.down == 6 { found.insert(.sequentialNumber) }
    self = found
  }
}
