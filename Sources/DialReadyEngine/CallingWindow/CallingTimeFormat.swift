import Foundation

/// ISO 8601 renderings of instants for the calling-window columns, to the second.
public enum CallingTimeFormat {
  /// `date` in UTC: `2026-11-26T13:00:00Z`.
  public static func utc(_ date: Date) -> String {
    let t = Int(date.timeIntervalSince1970.rounded(.down))
    return dateTime(wallSeconds: t) + "Z"
  }

  /// `date` as local time in `zone` with its UTC offset at that instant: `2026-11-25T14:03:00-05:00`,
  /// `2026-07-01T10:30:00-02:30` in America/St_Johns.
  public static func local(_ date: Date, in zone: TimeZone) -> String {
    let t = Int(date.timeIntervalSince1970.rounded(.down))
    let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
    return dateTime(wallSeconds: t + offset) + offsetText(offset)
  }

  /// `±HH:MM`; `+00:00` for UTC.
  static func offsetText(_ seconds: Int) -> String {
    let minutes = abs(seconds) / 60
    return (seconds < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
  }

  /// `YYYY-MM-DDTHH:MM:SS` of seconds since 1970-01-01T00:00 on a wall clock.
  static func dateTime(wallSeconds w: Int) -> String {
    let day = WallClock.floorDiv(w, 86_400)
    let second = w - day * 86_400
    let (y, m, d) = civilDate(daysSince1970: day)
    let year = y >= 0 && y < 10_000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
    return year + "-" + two(m) + "-" + two(d) + "T" + two(second / 3600) + ":" + two(second / 60 % 60) + ":"
      + two(second % 60)
  }

  /// The proleptic Gregorian date of a day number (days since 1970-01-01), as in H. Hinnant's
  /// `civil_from_days`.
  static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  private static func two(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
}
