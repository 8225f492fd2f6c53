/// A daily calling window in the called party's local time, such as `08:00-21:00`: the start is
/// inclusive, the end exclusive, both in minutes since local midnight.
public struct CallingHours: Sendable, Hashable, CustomStringConvertible {
  /// Minutes since midnight at which calls may start (0…1439).
  public let startMinute: Int
  /// Minutes since midnight at which calls must have stopped (1…1440; 1440 is `24:00`).
  public let endMinute: Int

  /// Creates a window; `nil` unless `0 <= startMinute < endMinute <= 1440`.
  public init?(startMinute: Int, endMinute: Int) {
    guard startMinute >= 0, endMinute <= 24 * 60, startMinute < endMinute else { return nil }
    self.startMinute = startMinute
    self.endMinute = endMinute
  }

  /// Creates a window from whole hours, e.g. `CallingHours(hours: 8, to: 21)`; only for literals
  /// known to be valid.
  init(hours start: Int, to end: Int) {
    self.init(uncheckedStart: start * 60, end: end * 60)
  }

  init(uncheckedStart start: Int, end: Int) {
    precondition(start >= 0 && start < end && end <= 24 * 60, "calling hours out of range")
    startMinute = start
    endMinute = end
  }

  /// Whether a local time of day, in seconds since midnight, falls inside the window.
  @inline(__always)
  public func contains(secondOfDay: Int) -> Bool {
    secondOfDay >= startMinute * 60 && secondOfDay < endMinute * 60
  }

  /// The hours both windows allow; `nil` when they do not overlap.
  public func intersection(_ other: CallingHours) -> CallingHours? {
    CallingHours(startMinute: max(startMinute, other.startMinute), endMinute: min(endMinute, other.endMinute))
  }

  /// The window as the command line writes it, e.g. `08:00-21:00`.
  public var description: String {
    CallingHours.clock(startMinute) + "-" + CallingHours.clock(endMinute)
  }

  static func clock(_ minute: Int) -> String {
    let h = minute / 60
    let m = minute % 60
    return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
  }
}
