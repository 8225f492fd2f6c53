import Foundation

extension CallingHours {
  /// Parses a window as `--calling-hours` takes it: `HH:MM-HH:MM` (`08:00-21:00`, `9:30-17:00`,
  /// `00:00-24:00`), or the reference API's `callingHour` object `{"start":"09:00","end":"17:00"}`.
  ///
  /// - Throws: ``CallingRulesError/invalidHours(text:problem:)`` naming what is wrong.
  public static func parse(_ text: String) throws -> CallingHours {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let start: Substring
    let end: Substring
    if trimmed.hasPrefix("{") {
      guard let data = trimmed.data(using: .utf8),
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
        let s = object["start"] as? String, let e = object["end"] as? String
      else {
        throw CallingRulesError.invalidHours(text: text, problem: #"expected {"start":"HH:MM","end":"HH:MM"}"#)
      }
      start = Substring(s)
      end = Substring(e)
    } else {
      let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw CallingRulesError.invalidHours(text: text, problem: "expected HH:MM-HH:MM, e.g. 08:00-21:00")
      }
      start = parts[0]
      end = parts[1]
    }
    let from = try minuteOfDay(start, whole: text)
    let to = try minuteOfDay(end, whole: text)
    if from == 24 * 60 {
      throw CallingRulesError.invalidHours(text: text, problem: "the start must be before 24:00")
    }
    guard let hours = CallingHours(startMinute: from, endMinute: to) else {
      throw CallingRulesError.invalidHours(
        text: text, problem: "the start must be before the end (windows that cross midnight are not supported)")
    }
    return hours
  }

  /// `H:MM` or `HH:MM` from `00:00` to `24:00`, as minutes since midnight.
  private static func minuteOfDay(_ raw: Substring, whole: String) throws -> Int {
    let text = raw.trimmingCharacters(in: .whitespaces)
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0 >= "0" && $0 <= "9" } }),
      let hour = Int(parts[0]), let minute = Int(parts[1])
    else {
      throw CallingRulesError.invalidHours(text: whole, problem: "'\(text)' is not a time of day HH:MM")
    }
    guard minute < 60, hour < 24 || (hour == 24 && minute == 0) else {
      throw CallingRulesError.invalidHours(text: whole, problem: "'\(text)' is outside 00:00-24:00")
    }
    return hour * 60 + minute
  }
}
