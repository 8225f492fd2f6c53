/// Why a calling-window setting or a state rule file was refused; the description is the one-line
/// message users see.
public enum CallingRulesError: Error, Equatable, CustomStringConvertible {
  /// `--calling-hours` (or an hours field of a rule file) is not a window `HH:MM-HH:MM` inside 00:00-24:00.
  case invalidHours(text: String, problem: String)
  /// `--allowed-days` (or a days field of a rule file) names no valid set of days.
  case invalidDays(text: String, problem: String)
  /// A line of a state rule file is malformed; `line` is 1-based.
  case invalidStateRule(path: String, line: Int, problem: String)
  /// A state rule file cannot be read.
  case stateRulesUnreadable(path: String)
  /// `--timezone-fallback` is not an IANA time zone known to this system.
  case unknownTimeZone(String)

  /// A stable snake_case code for scripts.
  public var code: String {
    switch self {
    case .invalidHours: return "invalid_calling_hours"
    case .invalidDays: return "invalid_allowed_days"
    case .invalidStateRule: return "invalid_state_rule"
    case .stateRulesUnreadable: return "state_rules_unreadable"
    case .unknownTimeZone: return "unknown_time_zone"
    }
  }

  /// The message users see, e.g. `invalid calling hours '21:00-08:00': the start must be before the end`.
  public var description: String {
    switch self {
    case .invalidHours(let text, let problem):
      return "invalid calling hours '\(text)': \(problem)"
    case .invalidDays(let text, let problem):
      return "invalid allowed days '\(text)': \(problem)"
    case .invalidStateRule(let path, let line, let problem):
      return "\(path):\(line): \(problem)"
    case .stateRulesUnreadable(let path):
      return "\(path): cannot read the state rule file"
    case .unknownTimeZone(let id):
      return "unknown time zone '\(id)': use an IANA zone such as America/New_York"
    }
  }
}
