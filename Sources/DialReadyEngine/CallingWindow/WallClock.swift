import Foundation

/// One candidate zone's wall clock and calling rules, in whole seconds since 1970 (UTC).
///
/// The window search steps from boundary to boundary instead of minute by minute: between two
/// instants where the local time reaches a window start, a window end or midnight, or where the
/// zone's UTC offset changes (DST), whether the zone is open cannot change.
struct WallClock {
  let zone: TimeZone
  let rules: CallingRules

  /// The zone's UTC offset in seconds at `t`.
  @inline(__always)
  func offset(at t: Int) -> Int {
    zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
  }

  /// The local day (days since 1970-01-01 on the wall clock), second of that day and offset at `t`.
  @inline(__always)
  func local(at t: Int) -> (day: Int, second: Int, offset: Int) {
    let offset = offset(at: t)
    let wall = t + offset
    let day = WallClock.floorDiv(wall, 86_400)
    return (day, wall - day * 86_400, offset)
  }

  /// Whether `t` is inside the window: the local time of day is within the hours of the local weekday.
  func isOpen(at t: Int) -> Bool {
    let here = local(at: t)
    guard let hours = rules.hours(for: Weekday(daysSince1970: here.day)) else { return false }
    return hours.contains(secondOfDay: here.second)
  }

  /// Whether today (in this zone, at `t`) allows calls at all.
  func dayAllowsCalls(at t: Int) -> Bool {
    rules.hours(for: Weekday(daysSince1970: local(at: t).day)) != nil
  }

  /// The earliest instant after `t` at which ``isOpen(at:)`` may change: the local time reaching
  /// today's window start or end or midnight, or the next change of the UTC offset, whichever is first.
  func nextBoundary(after t: Int) -> Int {
    let here = local(at: t)
    var target = 86_400
    if let hours = rules.hours(for: Weekday(daysSince1970: here.day)) {
      for edge in [hours.startMinute * 60, hours.endMinute * 60] where edge > here.second && edge < target {
        target = edge
      }
    }
    let candidate = t + (target - here.second)
    if offset(at: candidate) == here.offset { return candidate }
    // The offset changes before the wall clock reaches the target: find the first second with the
    // new offset. Offsets are constant over [t, lo] and changed by hi.
    var lo = t
    var hi = candidate
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if offset(at: mid) == here.offset { lo = mid } else { hi = mid }
    }
    return hi
  }

  /// `a / b` rounded towards negative infinity (`b > 0`).
  @inline(__always)
  static func floorDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
  }
}
