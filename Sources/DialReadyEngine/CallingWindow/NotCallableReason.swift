/// Why a number cannot be called at the evaluated instant.
public enum NotCallableReason: Sendable, Hashable, CustomStringConvertible {
  /// The number has no time zone (toll-free, personal, unknown exchange) and no `--timezone-fallback` was given.
  case noTimeZone
  /// A candidate zone is not an IANA zone this system knows.
  case unknownTimeZone(String)
  /// In at least one candidate zone, today allows no calls (`--allowed-days`, or a state's closed day).
  case dayNotAllowed
  /// In at least one candidate zone, the local time is outside today's calling hours.
  case outsideCallingHours

  /// A stable snake_case code for output columns and scripts.
  public var code: String {
    switch self {
    case .noTimeZone: return "no_time_zone"
    case .unknownTimeZone: return "unknown_time_zone"
    case .dayNotAllowed: return "day_not_allowed"
    case .outsideCallingHours: return "outside_calling_hours"
    }
  }

  /// A short sentence for people.
  public var description: String {
    switch self {
    case .noTimeZone: return "the number has no time zone; give --timezone-fallback to call such numbers"
    case .unknownTimeZone(let id): return "unknown time zone '\(id)'"
    case .dayNotAllowed: return "no calls allowed on this day in the called party's time zone"
    case .outsideCallingHours: return "outside calling hours in the called party's time zone"
    }
  }
}
