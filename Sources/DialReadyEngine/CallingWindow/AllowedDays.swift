/// A set of weekdays on which calls are allowed (`--allowed-days`), or on which a rule applies.
public struct AllowedDays: Sendable, Hashable, CustomStringConvertible {
  /// One bit per day: bit 0 is Monday … bit 6 is Sunday.
  public private(set) var bits: UInt8

  /// Creates a set from raw bits; bits above the seventh are dropped.
  public init(bits: UInt8) { self.bits = bits & 0x7F }

  /// Creates a set holding `days`.
  public init(_ days: [Weekday]) {
    bits = days.reduce(0) { $0 | AllowedDays.bit($1) }
  }

  /// Every day of the week.
  public static let all = AllowedDays(bits: 0x7F)
  /// Monday to Friday.
  public static let weekdays = AllowedDays([.monday, .tuesday, .wednesday, .thursday, .friday])
  /// Saturday and Sunday.
  public static let weekend = AllowedDays([.saturday, .sunday])
  /// No day.
  public static let none = AllowedDays(bits: 0)

  /// Whether `day` is in the set.
  @inline(__always)
  public func contains(_ day: Weekday) -> Bool { bits & AllowedDays.bit(day) != 0 }

  /// Adds `day`.
  public mutating func insert(_ day: Weekday) { bits |= AllowedDays.bit(day) }

  /// The days in both sets.
  public func intersection(_ other: AllowedDays) -> AllowedDays { AllowedDays(bits: bits & other.bits) }

  /// The days in either set.
  public func union(_ other: AllowedDays) -> AllowedDays { AllowedDays(bits: bits | other.bits) }

  /// Whether the set holds no day.
  public var isEmpty: Bool { bits == 0 }

  /// The days in the set, Monday first.
  public var days: [Weekday] { Weekday.allCases.filter(contains) }

  /// The set written as `--allowed-days` takes it, runs of consecutive days as ranges:
  /// `all`, `mon-fri`, `mon,wed,fri`, `sat-sun`, `none`.
  public var description: String {
    if self == .all { return "all" }
    if isEmpty { return "none" }
    var parts: [String] = []
    var day = 1
    while day <= 7 {
      guard contains(Weekday(rawValue: day)!) else {
        day += 1
        continue
      }
      var last = day
      while last < 7 && contains(Weekday(rawValue: last + 1)!) { last += 1 }
      let first = Weekday(rawValue: day)!.description
      parts.append(last == day ? first : first + "-" + Weekday(rawValue: last)!.description)
      day = last + 1
    }
    return parts.joined(separator: ",")
  }

  @inline(__always)
  static func bit(_ day: Weekday) -> UInt8 { 1 << UInt8(day.rawValue - 1) }
}
