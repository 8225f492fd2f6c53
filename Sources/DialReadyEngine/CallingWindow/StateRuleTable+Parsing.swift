import Foundation

extension StateRuleTable {
  /// Parses a state rule file: one rule per line, `STATE DAYS HOURS`, fields separated by spaces
  /// or tabs; `#` starts a comment; blank lines and a leading byte order mark are ignored.
  ///
  /// ```
  /// # state  days     hours
  /// FL       mon-sun  08:00-20:00
  /// RI       mon-fri  09:00-18:00
  /// RI       sat      10:00-17:00
  /// RI       sun      none          # no calls on Sundays
  /// ```
  ///
  /// `STATE` is a two-letter US state, DC or territory code; `DAYS` is written as `--allowed-days`
  /// takes it, without spaces (`mon-fri`, `sat,sun`, `all`); `HOURS` is `HH:MM-HH:MM` or `none` for
  /// no calls. Several lines may describe one state, but each day at most once. Days a state's
  /// lines leave out keep the base window. The lines of a state replace the built-in rule of that
  /// state as a whole (see ``replacing(with:)``).
  ///
  /// - Parameters:
  ///   - text: the file's content.
  ///   - path: the file name used in error messages.
  /// - Throws: ``CallingRulesError/invalidStateRule(path:line:problem:)`` for the first bad line.
  public static func parse(_ text: String, path: String) throws -> StateRuleTable {
    var rules: [String: StateRule] = [:]
    var order: [String] = []
    var lineOfDay: [String: [Int]] = [:]
    var lineNumber = 0
    let body = text.unicodeScalars.first == "\u{FEFF}" ? Substring(text.unicodeScalars.dropFirst()) : Substring(text)
    for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
      lineNumber += 1
      func fail(_ problem: String) -> CallingRulesError {
        .invalidStateRule(path: path, line: lineNumber, problem: problem)
      }
      var line = rawLine
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if fields.isEmpty { continue }
      guard fields.count == 3 else {
        let found = fields.count == 1 ? "1 field" : "\(fields.count) fields"
        throw fail("expected STATE DAYS HOURS (e.g. FL mon-sun 08:00-20:00), found \(found)")
      }
      let state = fields[0].uppercased()
      guard knownStates.contains(state) else {
        throw fail("'\(fields[0])' is not a two-letter US state code")
      }
      let days: AllowedDays
      do {
        days = try AllowedDays.parse(String(fields[1]))
      } catch let error as CallingRulesError {
        throw fail(error.description)
      }
      let hours: CallingHours?
      if fields[2].lowercased() == "none" {
        hours = nil
      } else {
        do {
          hours = try CallingHours.parse(String(fields[2]))
        } catch let error as CallingRulesError {
          throw fail(error.description)
        }
      }
      var seen = lineOfDay[state] ?? Array(repeating: 0, count: 7)
      for day in days.days {
        let earlier = seen[day.rawValue - 1]
        if earlier != 0 {
          throw fail("\(state) \(day) already has a rule on line \(earlier)")
        }
        seen[day.rawValue - 1] = lineNumber
      }
      lineOfDay[state] = seen
      if rules[state] == nil {
        rules[state] = StateRule(state: state)
        order.append(state)
      }
      if let hours {
        rules[state]!.limit(days, to: hours)
      } else {
        rules[state]!.close(days)
      }
    }
    return StateRuleTable(order.map { rules[$0]! })
  }

  /// Reads and parses a state rule file (see ``parse(_:path:)``).
  ///
  /// - Throws: ``CallingRulesError/stateRulesUnreadable(path:)`` when the file cannot be read as
  ///   UTF-8, else the errors of ``parse(_:path:)``.
  public static func load(path: String) throws -> StateRuleTable {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw CallingRulesError.stateRulesUnreadable(path: path)
    }
    return try parse(text, path: path)
  }
}
