import Foundation

/// The calling-window settings of a run: `--calling-hours`, `--allowed-days`, the state rules and
/// `--timezone-fallback`. It turns a number's region and state into its ``CallingRules``.
public struct CallingPolicy: Sendable, Hashable {
  /// `--calling-hours`: replaces the country default's hours on every day, in both countries.
  /// State rules still narrow it.
  public var callingHours: CallingHours?
  /// `--allowed-days`: calls only on these days.
  public var allowedDays: AllowedDays
  /// The stricter US state rules; ``StateRuleTable/empty`` to apply none.
  public var stateRules: StateRuleTable
  /// `--timezone-fallback`: the IANA zone of numbers without one (toll-free, personal, unknown
  /// exchanges); `nil` marks such numbers not callable.
  public var timezoneFallback: String?

  /// Creates a policy; by default the country defaults with the built-in state rules, every day.
  public init(
    callingHours: CallingHours? = nil, allowedDays: AllowedDays = .all,
    stateRules: StateRuleTable = .builtIn, timezoneFallback: String? = nil
  ) {
    self.callingHours = callingHours
    self.allowedDays = allowedDays
    self.stateRules = stateRules
    self.timezoneFallback = timezoneFallback
  }

  /// The rules of a number: the country default (`CA`: CRTC; any other region: US federal), its
  /// hours replaced by ``callingHours``, narrowed by the state's rule (US only), restricted to
  /// ``allowedDays``.
  ///
  /// - Parameters:
  ///   - region: `US` or `CA` (any case); other NANP regions get the US federal window and no state rule.
  ///   - state: the two-letter state or province code, if known.
  public func rules(region: String, state: String?) -> CallingRules {
    var rules = CallingRules.countryDefault(region: region)
    if let callingHours { rules = rules.replacingHours(with: callingHours) }
    if region.uppercased() == "US", let state, let rule = stateRules.rule(for: state) {
      rules = rule.apply(to: rules)
    }
    return rules.restricted(to: allowedDays)
  }

  /// Checks that `id` names an IANA time zone this system knows, for `--timezone-fallback`.
  ///
  /// - Throws: ``CallingRulesError/unknownTimeZone(_:)``.
  public static func checkTimeZone(_ id: String) throws {
    guard TimeZone(identifier: id) != nil else { throw CallingRulesError.unknownTimeZone(id) }
  }
}
