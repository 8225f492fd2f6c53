import ArgumentParser
import DialReadyEngine
import Foundation

/// The calling-window options of `classify`.
struct CallingOptions: ParsableArguments {
  @Option(help: "Judge every row as if called at this instant: ISO 8601 with a zone (2026-11-26T14:00:00Z, 2026-11-26T09:00:00-05:00) or 'now'. Adds the local_time, callable and next_callable_at columns.")
  var at: String?

  @Option(help: "Calling hours HH:MM-HH:MM in the called party's local time, every day. Default: US federal 08:00-21:00; Canadian numbers 09:00-21:30 weekdays and 10:00-18:00 weekends.")
  var callingHours: String?

  @Option(help: "Days calls are allowed: names and ranges (mon-fri, sat,sun) or the reference API's [1,2,3,4,5] (1 = Monday).")
  var allowedDays: String?

  @Option(help: "Apply stricter US state windows: 'builtin' for the dated built-in table (see README; not legal advice), or a file in the same format.")
  var stateRules: String?

  @Option(help: "IANA time zone for numbers without one (toll-free, personal); without it they are not callable.")
  var timezoneFallback: String?

  @Flag(help: "Leave rows outside the calling window out of the filtered file (they stay in processed.csv).")
  var filterCallable = false

  /// Whether any calling-window option was given.
  var isActive: Bool {
    at != nil || callingHours != nil || allowedDays != nil || stateRules != nil || timezoneFallback != nil || filterCallable
  }

  mutating func validate() throws {
    _ = try makeOptions()
  }

  /// The engine's settings, or `nil` when calling windows are off.
  func makeOptions() throws -> CallingWindowOptions? {
    guard isActive else { return nil }
    do {
      var policy = CallingPolicy(stateRules: .empty)
      if let callingHours { policy.callingHours = try CallingHours.parse(callingHours) }
      if let allowedDays { policy.allowedDays = try AllowedDays.parse(allowedDays) }
      if let stateRules {
        policy.stateRules = stateRules.lowercased() == "builtin" ? .builtIn : try StateRuleTable.builtIn.replacing(with: StateRuleTable.load(path: stateRules))
      }
      if let timezoneFallback {
        try CallingPolicy.checkTimeZone(timezoneFallback)
        policy.timezoneFallback = timezoneFallback
      }
      return CallingWindowOptions(at: try Self.instant(at ?? "now"), policy: policy, filterCallable: filterCallable)
    } catch let error as ValidationError {
      throw error
    } catch {
      throw ValidationError("\(error)")
    }
  }

  /// Parses `--at`.
  static func instant(_ text: String) throws -> Date {
    if text.lowercased() == "now" { return ClassifyOptions.now() }
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    throw ValidationError("--at '\(text)' is not an ISO 8601 instant with a zone, such as 2026-11-26T14:00:00Z")
  }
}
