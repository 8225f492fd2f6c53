import Foundation

extension AllowedDays {
  /// Parses a list of days as `--allowed-days` takes it: names and ranges joined by commas
  /// (`mon-fri`, `mon,wed,fri`, `sat-sun`, `fri-mon` wraps over the weekend), `all`, `weekdays`,
  /// `weekend`, or the reference API's ISO numbers (`[1,2,3,4,5]`, 1 = Monday … 7 = Sunday).
  ///
  /// - Throws: ``CallingRulesError/invalidDays(text:problem:)`` naming the part that is wrong.
  public static func parse(_ text: String) throws -> AllowedDays {
    var body = Substring(text.trimmingCharacters(in: .whitespaces))
    if body.first == "[" && body.last == "]" { body = body.dropFirst().dropLast() }
    var set = AllowedDays.none
    for rawItem in body.split(separator: ",", omittingEmptySubsequences: false) {
      let item = rawItem.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
      if item.isEmpty {
        throw CallingRulesError.invalidDays(text: text, problem: "an empty day in the list")
      }
      switch item.lowercased() {
      case "all", "every", "daily": set = set.union(.all)
      case "weekdays": set = set.union(.weekdays)
      case "weekend", "weekends": set = set.union(.weekend)
      default:
        let ends = item.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count <= 2 else {
          throw CallingRulesError.invalidDays(text: text, problem: "'\(item)' is not a day or a range of days")
        }
        let first = try day(ends[0], whole: text)
        let last = ends.count == 2 ? try day(ends[1], whole: text) : first
        var d = first
        while true {
          set.insert(d)
          if d == last { break }
          d = Weekday(rawValue: d.rawValue % 7 + 1)!
        }
      }
    }
    if set.isEmpty {
      throw CallingRulesError.invalidDays(text: text, problem: "no days given")
    }
    return set
  }

  /// One day as a name (`mon`, `Monday`) or an ISO number (1 = Monday … 7 = Sunday).
  private static func day(_ raw: Substring, whole: String) throws -> Weekday {
    let text = raw.trimmingCharacters(in: .whitespaces)
    if let number = Int(text) {
      guard let day = Weekday(rawValue: number) else {
        throw CallingRulesError.invalidDays(
          text: whole, problem: "day number \(number) is outside 1-7 (ISO numbering: 1 = Monday … 7 = Sunday)")
      }
      return day
    }
    guard let day = Weekday(name: text) else {
      throw CallingRulesError.invalidDays(
        text: whole, problem: "'\(text)' is not a day; use mon tue wed thu fri sat sun, ranges like mon-fri, or all")
    }
    return day
  }
}
