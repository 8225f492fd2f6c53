/// The calling window of one number for each day of the week, in its local time: the country's
/// default, replaced by `--calling-hours`, narrowed by state rules and restricted to `--allowed-days`.
public struct CallingRules: Sendable, Hashable, CustomStringConvertible {
  /// Hours per ISO weekday, index 0 = Monday; `nil` means no calls that day.
  private var byDay: [CallingHours?]

  /// Creates rules with the same hours every day.
  public init(every hours: CallingHours) {
    byDay = Array(repeating: hours, count: 7)
  }

  /// Creates rules from hours per day; days missing from `hours` get no calls.
  public init(_ hours: [Weekday: CallingHours]) {
    byDay = Weekday.allCases.map { hours[$0] }
  }

  /// US federal default (47 CFR 64.1200(c)(1), FTC Telemarketing Sales Rule 16 CFR 310.4(c)):
  /// 08:00-21:00 every day at the called party's location.
  public static let usFederal = CallingRules(every: CallingHours(hours: 8, to: 21))

  /// Canadian default (CRTC Unsolicited Telecommunications Rules, telemarketing rules):
  /// 09:00-21:30 Monday to Friday, 10:00-18:00 Saturday and Sunday, called party's local time.
  public static let canadaDefault: CallingRules = {
    var rules = CallingRules(every: CallingHours(uncheckedStart: 9 * 60, end: 21 * 60 + 30))
    rules.limit(.weekend, to: CallingHours(hours: 10, to: 18), narrowing: false)
    return rules
  }()

  /// The default for a region: Canada (`CA`) gets the CRTC hours, every other region the US federal hours.
  public static func countryDefault(region: String) -> CallingRules {
    region.uppercased() == "CA" ? .canadaDefault : .usFederal
  }

  /// The window on `day`; `nil` when no calls are allowed that day.
  @inline(__always)
  public func hours(for day: Weekday) -> CallingHours? { byDay[day.rawValue - 1] }

  /// The same days with `hours` on each of them (what `--calling-hours` does).
  public func replacingHours(with hours: CallingHours) -> CallingRules {
    var copy = self
    copy.byDay = byDay.map { $0 == nil ? nil : hours }
    return copy
  }

  /// These rules with no calls on days outside `days` (what `--allowed-days` does).
  public func restricted(to days: AllowedDays) -> CallingRules {
    var copy = self
    for day in Weekday.allCases where !days.contains(day) { copy.byDay[day.rawValue - 1] = nil }
    return copy
  }

  /// These rules narrowed to at most `hours` on `days`: the overlap of both windows, or no calls
  /// where they do not overlap. Never widens a window.
  public func narrowed(to hours: CallingHours, on days: AllowedDays) -> CallingRules {
    var copy = self
    copy.limit(days, to: hours, narrowing: true)
    return copy
  }

  private mutating func limit(_ days: AllowedDays, to hours: CallingHours, narrowing: Bool) {
    for day in days.days {
      let i = day.rawValue - 1
      byDay[i] = narrowing ? byDay[i].flatMap { $0.intersection(hours) } : hours
    }
  }

  /// Whether calls are allowed on no day at all.
  public var isNeverCallable: Bool { byDay.allSatisfy { $0 == nil } }

  /// The rules as text, days with equal hours grouped: `mon-fri 09:00-21:30, sat-sun 10:00-18:00`;
  /// days without calls are listed as `none`.
  public var description: String {
    var groups: [(days: AllowedDays, hours: CallingHours?)] = []
    for day in Weekday.allCases {
      let h = hours(for: day)
      if let at = groups.firstIndex(where: { $0.hours == h }) {
        groups[at].days.insert(day)
      } else {
        groups.append((AllowedDays([day]), h))
      }
    }
    return groups.map { "\($0.days) \($0.hours.map(String.init(describing:)) ?? "none")" }.joined(separator: ", ")
  }
}
