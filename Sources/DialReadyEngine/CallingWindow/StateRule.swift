/// One US state's limits that are stricter than the federal window: at most some hours on some
/// days, and days without calls. Applying a rule only narrows a window, never widens it.
public struct StateRule: Sendable, Hashable {
  /// The two-letter state code, uppercase (`FL`).
  public let state: String
  /// The latest hours per ISO weekday, index 0 = Monday; `nil` where the rule sets no hours that day.
  private var hoursByDay: [CallingHours?] = Array(repeating: nil, count: 7)
  /// Days on which the state allows no calls.
  public private(set) var closedDays = AllowedDays.none

  /// Creates a rule for `state` that limits nothing yet.
  public init(state: String) { self.state = state.uppercased() }

  /// The hours the rule allows at most on `day`; `nil` when it sets none (see ``closedDays``).
  public func hours(on day: Weekday) -> CallingHours? { hoursByDay[day.rawValue - 1] }

  /// The days on which the rule says anything: hours or no calls.
  public var coveredDays: AllowedDays {
    AllowedDays(Weekday.allCases.filter { hoursByDay[$0.rawValue - 1] != nil }).union(closedDays)
  }

  /// Limits calls on `days` to `hours`, replacing what the rule said of those days.
  public mutating func limit(_ days: AllowedDays, to hours: CallingHours) {
    for day in days.days { hoursByDay[day.rawValue - 1] = hours }
    closedDays = closedDays.intersection(AllowedDays(bits: ~days.bits))
  }

  /// Allows no calls on `days`, replacing what the rule said of those days.
  public mutating func close(_ days: AllowedDays) {
    for day in days.days { hoursByDay[day.rawValue - 1] = nil }
    closedDays = closedDays.union(days)
  }

  /// `rules` narrowed by this state's limits.
  public func apply(to rules: CallingRules) -> CallingRules {
    var out = rules.restricted(to: AllowedDays(bits: ~closedDays.bits))
    for day in Weekday.allCases {
      if let hours = hoursByDay[day.rawValue - 1] { out = out.narrowed(to: hours, on: AllowedDays([day])) }
    }
    return out
  }

  /// The rule as lines of a state rule file (see ``StateRuleTable/parse(_:path:)``), days with
  /// equal hours grouped: `RI mon-fri 09:00-18:00`, `RI sat 10:00-17:00`, `RI sun none`.
  public var fileLines: [String] {
    var groups: [(days: AllowedDays, hours: CallingHours)] = []
    for day in Weekday.allCases {
      guard let h = hoursByDay[day.rawValue - 1] else { continue }
      if let at = groups.firstIndex(where: { $0.hours == h }) {
        groups[at].days.insert(day)
      } else {
        groups.append((AllowedDays([day]), h))
      }
    }
    var lines = groups.map { "\(state) \($0.days) \($0.hours)" }
    if !closedDays.isEmpty { lines.append("\(state) \(closedDays) none") }
    return lines
  }
}
