import Foundation

/// Decides whether a number may be called at an instant, in every time zone it may be in, and
/// when it may be called next.
public enum CallingWindow {
  /// How far ahead ``evaluate(zones:state:region:at:rules:)`` looks for the next callable instant: 8 days.
  public static let searchHorizon: TimeInterval = 8 * 86_400

  /// Evaluates a number's calling window at `at` under a run's policy.
  ///
  /// The window must hold in every candidate zone (the most restrictive reading of area codes
  /// that span zones). A number without a zone uses the policy's `--timezone-fallback`; without
  /// one it is not callable and has no next instant.
  ///
  /// - Parameters:
  ///   - zones: the number's candidate IANA zones (`["America/Boise", "America/Los_Angeles"]`); may be empty.
  ///   - state: its two-letter state or province code, if known.
  ///   - region: `US` or `CA`.
  ///   - at: the instant to evaluate, usually the run's start.
  ///   - rules: the run's calling policy.
  public static func evaluate(
    zones: [String], state: String?, region: String, at: Date, rules: CallingPolicy
  ) -> CallingVerdict {
    var zones = zones
    if zones.isEmpty, let fallback = rules.timezoneFallback { zones = [fallback] }
    return evaluate(zones: zones, rules: rules.rules(region: region, state: state), at: at)
  }

  /// Evaluates explicit rules at `at` in every zone of `zones` (see
  /// ``evaluate(zones:state:region:at:rules:)``); an empty `zones` gives ``NotCallableReason/noTimeZone``.
  public static func evaluate(zones: [String], rules: CallingRules, at: Date) -> CallingVerdict {
    if zones.isEmpty {
      return CallingVerdict(localTime: "", callable: false, nextCallableAt: nil, reason: .noTimeZone)
    }
    var clocks: [WallClock] = []
    clocks.reserveCapacity(zones.count)
    for id in zones {
      guard let zone = TimeZone(identifier: id) else {
        return CallingVerdict(localTime: "", callable: false, nextCallableAt: nil, reason: .unknownTimeZone(id))
      }
      clocks.append(WallClock(zone: zone, rules: rules))
    }
    let localTime = clocks.map { CallingTimeFormat.local(at, in: $0.zone) }.joined(separator: "|")
    // Window edges fall on whole seconds, so the second holding `at` decides for `at` itself.
    let start = Int(at.timeIntervalSince1970.rounded(.down))
    if clocks.allSatisfy({ $0.isOpen(at: start) }) {
      return CallingVerdict(localTime: localTime, callable: true, nextCallableAt: at, reason: nil)
    }
    let reason: NotCallableReason =
      clocks.allSatisfy { $0.dayAllowsCalls(at: start) } ? .outsideCallingHours : .dayNotAllowed
    let next = firstOpenInstant(clocks, after: start, until: start + Int(searchHorizon))
    return CallingVerdict(
      localTime: localTime, callable: false,
      nextCallableAt: next.map { Date(timeIntervalSince1970: TimeInterval($0)) }, reason: reason)
  }

  /// The first boundary instant in `(t, limit]` at which every clock is open; `nil` if none.
  static func firstOpenInstant(_ clocks: [WallClock], after t: Int, until limit: Int) -> Int? {
    var t = t
    while true {
      var next = Int.max
      for clock in clocks { next = min(next, clock.nextBoundary(after: t)) }
      t = next
      if t > limit { return nil }
      if clocks.allSatisfy({ $0.isOpen(at: t) }) { return t }
    }
  }
}
