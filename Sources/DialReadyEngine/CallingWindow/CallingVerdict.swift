import Foundation

/// Whether a number may be called at an instant, and if not, when it may be next.
public struct CallingVerdict: Sendable, Hashable {
  /// The instant's local time in each candidate zone, ISO 8601 with offset
  /// (`2026-11-25T14:03:00-05:00`), several zones joined with `|`; empty without a zone.
  public let localTime: String
  /// Whether the instant is inside the calling window in every candidate zone.
  public let callable: Bool
  /// The earliest instant at or after the evaluated one that is inside the window in every
  /// candidate zone; `nil` when none falls within ``CallingWindow/searchHorizon`` or the number has no zone.
  public let nextCallableAt: Date?
  /// Why the number is not callable now; `nil` when it is.
  public let reason: NotCallableReason?

  /// Creates a verdict.
  public init(localTime: String, callable: Bool, nextCallableAt: Date?, reason: NotCallableReason?) {
    self.localTime = localTime
    self.callable = callable
    self.nextCallableAt = nextCallableAt
    self.reason = reason
  }

  /// ``nextCallableAt`` in UTC, ISO 8601 (`2026-11-26T13:00:00Z`); empty when there is none.
  public var nextCallableAtUTC: String {
    nextCallableAt.map(CallingTimeFormat.utc) ?? ""
  }
}
