/// A day of the week, numbered as ISO 8601 and the reference API's `allowedDays` do: 1 = Monday … 7 = Sunday.
public enum Weekday: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
  /// Monday (1).
  case monday = 1
  /// Tuesday (2).
  case tuesday
  /// Wednesday (3).
  case wednesday
  /// Thursday (4).
  case thursday
  /// Friday (5).
  case friday
  /// Saturday (6).
  case saturday
  /// Sunday (7).
  case sunday

  /// The weekday of a day counted from 1970-01-01 (a Thursday), negative days included.
  @inline(__always)
  init(daysSince1970 day: Int) {
    let fromMonday = ((day % 7) + 7 + 3) % 7
    self = Weekday(rawValue: fromMonday + 1)!
  }

  /// Looks a day up by its English name or a prefix of at least three letters (`mon`, `tues`,
  /// `Thursday`), ignoring case.
  public init?(name: some StringProtocol) {
    let lower = name.lowercased()
    guard lower.count >= 3,
      let day = Weekday.allCases.first(where: { $0.fullName.hasPrefix(lower) })
    else { return nil }
    self = day
  }

  /// The lowercase three-letter name used in rule files and `--allowed-days`, e.g. `mon`.
  public var description: String { String(fullName.prefix(3)) }

  var fullName: String {
    switch self {
    case .monday: return "monday"
    case .tuesday: return "tuesday"
    case .wednesday: return "wednesday"
    case .thursday: return "thursday"
    case .friday: return "friday"
    case .saturday: return "saturday"
    case .sunday: return "sunday"
    }
  }

  /// Orders days Monday first.
  public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }
}
