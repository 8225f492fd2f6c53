extension StateRuleTable {
  /// US states whose telemarketing hours or days are stricter than the federal 08:00-21:00, as
  /// published in 2025. Informational, not legal advice: check each rule with counsel.
  ///
  /// Sources (secondary unless a statute is named):
  /// - [CP] ClickPoint Software, "Telemarketing Calling Restrictions & Hours by State", last reviewed July 2025.
  /// - [DC] Drop Cowboy, "State Calling Restrictions Guide", last updated 2025-11-01.
  ///
  /// Left out on purpose:
  /// - State holidays (Alabama, Louisiana and Rhode Island ban calls on legal holidays): the engine
  ///   has no holiday calendar, so those days are not blocked.
  /// - Texas (Sunday 12:00-21:00) and Pennsylvania: unverified or conflicting sources; add them with
  ///   a user rule file when your counsel confirms them.
  /// - Frequency caps (Florida, Oklahoma, Maryland: at most 3 calls per 24 hours on one subject):
  ///   they depend on call history, not on the time of day.
  public static let builtIn = StateRuleTable([
    // AL 08:00-20:00, no Sundays (and no holidays: not modelled). [CP] July 2025; [DC] 2025-11-01.
    rule("AL", .all, 8, 20, closed: [.sunday]),
    // CT 09:00-20:00 (mini-TCPA, in force since 2023-10-01). [DC] 2025-11-01; [CP] July 2025 lists
    // 09:00-21:00: the stricter reading is kept.
    rule("CT", .all, 9, 20),
    // FL 08:00-20:00 (Fla. Stat. § 501.616, Florida Telephone Solicitation Act). [CP] July 2025; [DC] 2025-11-01.
    rule("FL", .all, 8, 20),
    // KY 10:00-21:00. [CP] July 2025; [DC] 2025-11-01.
    rule("KY", .all, 10, 21),
    // LA 08:00-20:00, no Sundays (and no holidays: not modelled). [CP] July 2025; [DC] 2025-11-01.
    rule("LA", .all, 8, 20, closed: [.sunday]),
    // MA 08:00-20:00. [CP] July 2025; [DC] 2025-11-01.
    rule("MA", .all, 8, 20),
    // MD 08:00-20:00. [DC] 2025-11-01.
    rule("MD", .all, 8, 20),
    // MI 09:00-21:00. [CP] July 2025; [DC] 2025-11-01.
    rule("MI", .all, 9, 21),
    // MN 09:00-21:00. [DC] 2025-11-01.
    rule("MN", .all, 9, 21),
    // MS 08:00-20:00, no Sundays. [DC] 2025-11-01 (which states the hours in Central time: the
    // called party's local time is used here, as for every rule).
    rule("MS", .all, 8, 20, closed: [.sunday]),
    // NM 09:00-21:00. [DC] 2025-11-01.
    rule("NM", .all, 9, 21),
    // NV 09:00-20:00. [DC] 2025-11-01.
    rule("NV", .all, 9, 20),
    // OK 08:00-20:00. [DC] 2025-11-01.
    rule("OK", .all, 8, 20),
    // RI 09:00-18:00 Monday to Friday, 10:00-17:00 Saturday, no Sundays (no holidays: not modelled).
    // R.I. Gen. Laws § 5-61-2 ("hours of operation") and § 5-61-3.6; [CP] July 2025.
    rule("RI", .weekdays, 9, 18, closed: [.sunday], saturday: (10, 17)),
    // UT 09:00-20:00. [CP] July 2025.
    rule("UT", .all, 9, 20),
    // WA 08:00-20:00. RCW 19.158.040(2); [CP] July 2025.
    rule("WA", .all, 8, 20),
    // WY 08:00-20:00. [CP] July 2025.
    rule("WY", .all, 8, 20),
  ])

  /// A built-in entry: `hours` on `days`, optional Saturday hours, and closed days.
  private static func rule(
    _ state: String, _ days: AllowedDays, _ start: Int, _ end: Int,
    closed: [Weekday] = [], saturday: (Int, Int)? = nil
  ) -> StateRule {
    var rule = StateRule(state: state)
    rule.limit(days, to: CallingHours(hours: start, to: end))
    if let saturday { rule.limit(AllowedDays([.saturday]), to: CallingHours(hours: saturday.0, to: saturday.1)) }
    rule.close(AllowedDays(closed))  // after the hours: a closed day keeps no hours
    return rule
  }
}
