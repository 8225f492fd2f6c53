import Foundation
import Testing

@testable import DialReadyEngine

/// Zones, policies and instants shared by the calling-window tests.
enum CallingWindowFixture {
  static let newYork = "America/New_York"
  static let chicago = "America/Chicago"
  static let denver = "America/Denver"
  static let losAngeles = "America/Los_Angeles"
  static let phoenix = "America/Phoenix"
  static let toronto = "America/Toronto"
  static let stJohns = "America/St_Johns"

  /// Area codes whose exchanges lie in two zones.
  static let areaCode208 = ["America/Boise", losAngeles]
  static let areaCode850 = [chicago, newYork]
  static let areaCode605 = [chicago, denver]
  static let areaCode928 = [denver, phoenix]
  static let areaCode709 = [stJohns, "America/Halifax"]

  /// The country defaults with the built-in state rules, every day.
  static let defaults = CallingPolicy()

  /// The defaults with `--calling-hours text`.
  static func hours(_ text: String) -> CallingPolicy {
    CallingPolicy(callingHours: try! CallingHours.parse(text))
  }

  /// An instant written in UTC, `2026-03-08T06:30:00Z`.
  static func instant(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
  }
}

/// One evaluation and the verdict it must give.
struct CallingWindowCase: Sendable, CustomTestStringConvertible {
  let name: String
  let zones: [String]
  let state: String?
  let region: String
  let at: String
  let policy: CallingPolicy
  let callable: Bool
  /// `nextCallableAt` in UTC; `nil` when there must be none.
  let next: String?
  /// The expected `localTime`, when checked.
  let local: String?
  /// The expected reason, when checked; a callable verdict must never have one.
  let reason: NotCallableReason?

  init(
    _ name: String, _ zones: [String], _ state: String?, _ region: String, _ at: String,
    _ policy: CallingPolicy = CallingWindowFixture.defaults,
    callable: Bool, next: String?, local: String? = nil, reason: NotCallableReason? = nil
  ) {
    self.name = name
    self.zones = zones
    self.state = state
    self.region = region
    self.at = at
    self.policy = policy
    self.callable = callable
    self.next = next
    self.local = local
    self.reason = reason
  }

  var testDescription: String { name }

  /// Evaluates the case and records every difference from the expected verdict.
  func verify() {
    let verdict = CallingWindow.evaluate(
      zones: zones, state: state, region: region, at: CallingWindowFixture.instant(at), rules: policy)
    #expect(verdict.callable == callable, "\(name): callable")
    #expect(verdict.nextCallableAt.map(CallingTimeFormat.utc) == next, "\(name): next callable instant")
    #expect(verdict.nextCallableAtUTC == (next ?? ""), "\(name): next callable instant as text")
    if let local { #expect(verdict.localTime == local, "\(name): local time") }
    if let reason { #expect(verdict.reason == reason, "\(name): reason") }
    if callable { #expect(verdict.reason == nil, "\(name): a callable verdict has no reason") }
  }
}

/// The tables of evaluations, by theme.
enum CallingWindowCases {
  private static let NY = CallingWindowFixture.newYork
  private static let CHI = CallingWindowFixture.chicago
  private static let DEN = CallingWindowFixture.denver
  private static let PHX = CallingWindowFixture.phoenix
  private static let TOR = CallingWindowFixture.toronto
  private static let STJ = CallingWindowFixture.stJohns
  private static func hours(_ text: String) -> CallingPolicy { CallingWindowFixture.hours(text) }

  /// New York springs forward on 2026-03-08 (02:00 EST -> 03:00 EDT at 07:00Z) and falls back on
  /// 2026-11-01 (02:00 EDT -> 01:00 EST at 06:00Z); Denver changes two hours later in UTC.
  static let daylightSavingTime: [CallingWindowCase] = [
    .init(
      "NY spring, 01:30 before the gap", [NY], "NY", "US", "2026-03-08T06:30:00Z", callable: false,
      next: "2026-03-08T12:00:00Z", local: "2026-03-08T01:30:00-05:00", reason: .outsideCallingHours),
    .init(
      "NY spring, the evening before", [NY], "NY", "US", "2026-03-08T02:30:00Z", callable: false,
      next: "2026-03-08T12:00:00Z", local: "2026-03-07T21:30:00-05:00"),
    .init(
      "NY spring, 08:00 EDT", [NY], nil, "US", "2026-03-08T12:00:00Z", callable: true,
      next: "2026-03-08T12:00:00Z", local: "2026-03-08T08:00:00-04:00"),
    .init(
      "NY spring, 07:59:59 EDT", [NY], nil, "US", "2026-03-08T11:59:59Z", callable: false,
      next: "2026-03-08T12:00:00Z"),
    .init(
      "NY spring, window starting in the gap", [NY], nil, "US", "2026-03-08T06:30:00Z", hours("02:30-05:00"),
      callable: false, next: "2026-03-08T07:00:00Z"),
    .init(
      "NY spring, inside the window after the gap", [NY], nil, "US", "2026-03-08T07:00:00Z", hours("02:30-05:00"),
      callable: true, next: "2026-03-08T07:00:00Z", local: "2026-03-08T03:00:00-04:00"),
    .init(
      "NY spring, window inside the gap is skipped", [NY], nil, "US", "2026-03-08T06:00:00Z", hours("02:00-03:00"),
      callable: false, next: "2026-03-09T06:00:00Z"),
    .init(
      "NY fall, 01:30 EDT", [NY], nil, "US", "2026-11-01T05:30:00Z", callable: false,
      next: "2026-11-01T13:00:00Z", local: "2026-11-01T01:30:00-04:00"),
    .init(
      "NY fall, 01:30 EST", [NY], nil, "US", "2026-11-01T06:30:00Z", callable: false,
      next: "2026-11-01T13:00:00Z", local: "2026-11-01T01:30:00-05:00"),
    .init(
      "NY fall, the evening before", [NY], nil, "US", "2026-11-01T01:30:00Z", callable: false,
      next: "2026-11-01T13:00:00Z", local: "2026-10-31T21:30:00-04:00"),
    .init(
      "NY fall, repeated hour, first pass", [NY], nil, "US", "2026-11-01T05:30:00Z", hours("01:00-02:00"),
      callable: true, next: "2026-11-01T05:30:00Z"),
    .init(
      "NY fall, repeated hour, second pass", [NY], nil, "US", "2026-11-01T06:30:00Z", hours("01:00-02:00"),
      callable: true, next: "2026-11-01T06:30:00Z"),
    .init(
      "NY fall, after the repeated hour", [NY], nil, "US", "2026-11-01T07:00:00Z", hours("01:00-02:00"),
      callable: false, next: "2026-11-02T06:00:00Z"),
    .init(
      "Denver spring, 01:30 MST", [DEN], "CO", "US", "2026-03-08T08:30:00Z", callable: false,
      next: "2026-03-08T14:00:00Z", local: "2026-03-08T01:30:00-07:00"),
    .init(
      "Denver fall, 01:30 MDT", [DEN], "CO", "US", "2026-11-01T07:30:00Z", callable: false,
      next: "2026-11-01T15:00:00Z", local: "2026-11-01T01:30:00-06:00"),
    .init(
      "Denver fall, 01:30 MST", [DEN], "CO", "US", "2026-11-01T08:30:00Z", callable: false,
      next: "2026-11-01T15:00:00Z", local: "2026-11-01T01:30:00-07:00"),
  ]

  /// Area codes that span zones: the window must hold in every candidate zone.
  static let multiZoneAreaCodes: [CallingWindowCase] = [
    .init(
      "208, 08:30 Boise but 07:30 Los Angeles", CallingWindowFixture.areaCode208, "ID", "US", "2026-07-15T14:30:00Z",
      callable: false, next: "2026-07-15T15:00:00Z", local: "2026-07-15T08:30:00-06:00|2026-07-15T07:30:00-07:00"),
    .init(
      "208, both open", CallingWindowFixture.areaCode208, "ID", "US", "2026-07-15T15:00:00Z", callable: true,
      next: "2026-07-15T15:00:00Z"),
    .init(
      "208, evening", CallingWindowFixture.areaCode208, "ID", "US", "2026-07-16T03:00:00Z", callable: false,
      next: "2026-07-16T15:00:00Z"),
    .init(
      "850, morning", CallingWindowFixture.areaCode850, "FL", "US", "2026-07-15T12:30:00Z", callable: false,
      next: "2026-07-15T13:00:00Z"),
    .init(
      "850, Florida evening", CallingWindowFixture.areaCode850, "FL", "US", "2026-07-16T00:30:00Z", callable: false,
      next: "2026-07-16T13:00:00Z", local: "2026-07-15T19:30:00-05:00|2026-07-15T20:30:00-04:00"),
    .init(
      "850, no state, evening", CallingWindowFixture.areaCode850, nil, "US", "2026-07-16T00:30:00Z", callable: true,
      next: "2026-07-16T00:30:00Z"),
    .init(
      "850, no state, late", CallingWindowFixture.areaCode850, nil, "US", "2026-07-16T01:30:00Z", callable: false,
      next: "2026-07-16T13:00:00Z"),
    .init(
      "605, morning", CallingWindowFixture.areaCode605, "SD", "US", "2026-07-15T13:30:00Z", callable: false,
      next: "2026-07-15T14:00:00Z"),
    .init(
      "605, evening", CallingWindowFixture.areaCode605, "SD", "US", "2026-07-16T02:30:00Z", callable: false,
      next: "2026-07-16T14:00:00Z"),
  ]

  /// CRTC hours: 09:00-21:30 on weekdays, 10:00-18:00 on weekends; US state rules never apply.
  static let canada: [CallingWindowCase] = [
    .init(
      "Toronto, Saturday 09:30", [TOR], "ON", "CA", "2026-11-28T14:30:00Z", callable: false,
      next: "2026-11-28T15:00:00Z", local: "2026-11-28T09:30:00-05:00", reason: .outsideCallingHours),
    .init(
      "Toronto, Friday 09:30", [TOR], "ON", "CA", "2026-11-27T14:30:00Z", callable: true,
      next: "2026-11-27T14:30:00Z"),
    .init(
      "Toronto, Friday 21:29", [TOR], "ON", "CA", "2026-11-28T02:29:00Z", callable: true,
      next: "2026-11-28T02:29:00Z"),
    .init(
      "Toronto, Saturday 18:00", [TOR], "ON", "CA", "2026-11-28T23:00:00Z", callable: false,
      next: "2026-11-29T15:00:00Z"),
    .init(
      "Toronto, Sunday 18:30 to Monday 09:00", [TOR], "ON", "CA", "2026-11-29T23:30:00Z", callable: false,
      next: "2026-11-30T14:00:00Z"),
    .init(
      "CA region ignores a clashing US state code", [TOR], "FL", "CA", "2026-11-26T01:15:00Z", callable: true,
      next: "2026-11-26T01:15:00Z"),
  ]

  /// Stricter US state rules: Florida 08:00-20:00, Louisiana closed on Sundays, Rhode Island's
  /// Saturday hours and closed Sunday.
  static let stateRules: [CallingWindowCase] = [
    .init(
      "Florida 20:30", [NY], "FL", "US", "2026-11-26T01:30:00Z", callable: false,
      next: "2026-11-26T13:00:00Z", local: "2026-11-25T20:30:00-05:00", reason: .outsideCallingHours),
    .init(
      "New York 20:30, federal window", [NY], "NY", "US", "2026-11-26T01:30:00Z", callable: true,
      next: "2026-11-26T01:30:00Z"),
    .init(
      "Florida 14:03", [NY], "FL", "US", "2026-11-25T19:03:00Z", callable: true,
      next: "2026-11-25T19:03:00Z", local: "2026-11-25T14:03:00-05:00"),
    .init(
      "Louisiana, Sunday noon", [CHI], "LA", "US", "2026-11-29T18:00:00Z", callable: false,
      next: "2026-11-30T14:00:00Z", reason: .dayNotAllowed),
    .init(
      "Louisiana, Saturday 20:30", [CHI], "LA", "US", "2026-11-29T02:30:00Z", callable: false,
      next: "2026-11-30T14:00:00Z"),
    .init(
      "Rhode Island, Saturday 17:30 to Monday 09:00", [NY], "RI", "US", "2026-11-28T22:30:00Z", callable: false,
      next: "2026-11-30T14:00:00Z"),
    .init(
      "Rhode Island, Saturday 10:30", [NY], "RI", "US", "2026-11-28T15:30:00Z", callable: true,
      next: "2026-11-28T15:30:00Z"),
  ]

  /// `--allowed-days` and `--calling-hours`.
  static let userSettings: [CallingWindowCase] = [
    .init(
      "mon-fri, Friday 21:05 to Monday 08:00", [NY], "NY", "US", "2026-11-28T02:05:00Z",
      CallingPolicy(allowedDays: try! AllowedDays.parse("mon-fri")), callable: false,
      next: "2026-11-30T13:00:00Z", local: "2026-11-27T21:05:00-05:00"),
    .init(
      "mon-fri, Saturday noon", [NY], "NY", "US", "2026-11-28T17:00:00Z",
      CallingPolicy(allowedDays: try! AllowedDays.parse("mon-fri")), callable: false,
      next: "2026-11-30T13:00:00Z", reason: .dayNotAllowed),
    .init(
      "user hours replace the Canadian weekend hours", [TOR], "ON", "CA", "2026-11-28T15:30:00Z",
      CallingPolicy(
        callingHours: try! CallingHours.parse("09:00-17:00"), allowedDays: try! AllowedDays.parse("[1,2,3,4,5]")),
      callable: false, next: "2026-11-30T14:00:00Z"),
    .init(
      "Florida narrows user hours", [NY], "FL", "US", "2026-11-25T12:30:00Z", hours("07:00-22:00"),
      callable: false, next: "2026-11-25T13:00:00Z"),
    .init(
      "Sundays only, from a Monday", [NY], nil, "US", "2026-11-30T15:00:00Z",
      CallingPolicy(allowedDays: try! AllowedDays.parse("sun")), callable: false, next: "2026-12-06T13:00:00Z"),
  ]

  /// Phoenix keeps MST all year while Denver observes DST; St John's is 3:30 (2:30 in summer) behind UTC.
  static let offsets: [CallingWindowCase] = [
    .init(
      "Phoenix, summer 07:30", [PHX], "AZ", "US", "2026-07-15T14:30:00Z", callable: false,
      next: "2026-07-15T15:00:00Z", local: "2026-07-15T07:30:00-07:00"),
    .init(
      "Denver, summer 08:30", [DEN], "CO", "US", "2026-07-15T14:30:00Z", callable: true,
      next: "2026-07-15T14:30:00Z", local: "2026-07-15T08:30:00-06:00"),
    .init(
      "928, summer", CallingWindowFixture.areaCode928, "AZ", "US", "2026-07-15T14:30:00Z", callable: false,
      next: "2026-07-15T15:00:00Z"),
    .init(
      "Phoenix, winter 07:30", [PHX], "AZ", "US", "2026-01-14T14:30:00Z", callable: false,
      next: "2026-01-14T15:00:00Z", local: "2026-01-14T07:30:00-07:00"),
    .init(
      "Denver, winter 07:30", [DEN], "CO", "US", "2026-01-14T14:30:00Z", callable: false,
      next: "2026-01-14T15:00:00Z", local: "2026-01-14T07:30:00-07:00"),
    .init(
      "Phoenix and Denver on Denver's spring-forward day", [PHX, DEN], nil, "US", "2026-03-08T14:30:00Z",
      callable: false, next: "2026-03-08T15:00:00Z"),
    .init(
      "St John's, summer 08:30", [STJ], "NL", "CA", "2026-07-15T11:00:00Z", callable: false,
      next: "2026-07-15T11:30:00Z", local: "2026-07-15T08:30:00-02:30"),
    .init(
      "St John's, winter 08:30", [STJ], "NL", "CA", "2026-01-14T12:00:00Z", callable: false,
      next: "2026-01-14T12:30:00Z", local: "2026-01-14T08:30:00-03:30"),
    .init(
      "709, St John's and Halifax", CallingWindowFixture.areaCode709, "NL", "CA", "2026-01-14T12:45:00Z",
      callable: false, next: "2026-01-14T13:00:00Z"),
  ]

  /// Numbers without a usable zone, and windows that never open within the 8-day horizon.
  static let missingZonesAndHorizon: [CallingWindowCase] = [
    .init(
      "no zone", [], nil, "US", "2026-07-15T15:00:00Z", callable: false, next: nil, local: "",
      reason: .noTimeZone),
    .init(
      "no zone, with a fallback zone", [], nil, "US", "2026-07-15T15:00:00Z",
      CallingPolicy(timezoneFallback: CallingWindowFixture.losAngeles), callable: true,
      next: "2026-07-15T15:00:00Z", local: "2026-07-15T08:00:00-07:00"),
    .init(
      "unknown zone", ["Mars/Olympus"], nil, "US", "2026-07-15T15:00:00Z", callable: false, next: nil,
      local: "", reason: .unknownTimeZone("Mars/Olympus")),
    .init(
      "never callable within 8 days", [NY], "RI", "US", "2026-07-15T15:00:00Z", neverCallable, callable: false,
      next: nil, reason: .dayNotAllowed),
  ]

  /// A policy whose Rhode Island rule closes every day.
  static let neverCallable: CallingPolicy = {
    var closed = StateRule(state: "RI")
    closed.close(.all)
    return CallingPolicy(stateRules: StateRuleTable([closed]))
  }()
}

@Suite("Calling window")
struct CallingWindowTests {
  @Test("Daylight saving time days in New York and Denver", arguments: CallingWindowCases.daylightSavingTime)
  func daylightSavingTime(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("Area codes spanning two zones (208, 850, 605)", arguments: CallingWindowCases.multiZoneAreaCodes)
  func multiZoneAreaCodes(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("Canadian weekday and weekend hours", arguments: CallingWindowCases.canada)
  func canada(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("US state rules (Florida, Louisiana, Rhode Island)", arguments: CallingWindowCases.stateRules)
  func stateRules(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("Allowed days and calling hours", arguments: CallingWindowCases.userSettings)
  func userSettings(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("Phoenix against Denver, and St John's half-hour offset", arguments: CallingWindowCases.offsets)
  func offsets(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("Missing, fallback and unknown zones; nothing within 8 days", arguments: CallingWindowCases.missingZonesAndHorizon)
  func missingZonesAndHorizon(_ example: CallingWindowCase) {
    example.verify()
  }

  @Test("A fractional instant is judged by its whole second")
  func fractionalInstant() {
    let almost = CallingWindowFixture.instant("2026-03-08T11:59:59Z").addingTimeInterval(0.5)
    let verdict = CallingWindow.evaluate(zones: [CallingWindowFixture.newYork], rules: .usFederal, at: almost)
    #expect(!verdict.callable)
    #expect(verdict.nextCallableAtUTC == "2026-03-08T12:00:00Z")
  }
}

/// A region, state and the rules the default policy gives it.
struct CallingRulesCase: Sendable, CustomTestStringConvertible {
  let region: String
  let state: String
  let rules: String
  var testDescription: String { "\(region) \(state)" }
}

@Suite("Calling rules")
struct CallingRulesTests {
  @Test func countryDefaults() {
    #expect(CallingRules.canadaDefault.description == "mon-fri 09:00-21:30, sat-sun 10:00-18:00")
    #expect(CallingRules.usFederal.description == "all 08:00-21:00")
  }

  @Test(
    "Built-in state rules under the default policy",
    arguments: [
      CallingRulesCase(region: "US", state: "RI", rules: "mon-fri 09:00-18:00, sat 10:00-17:00, sun none"),
      CallingRulesCase(region: "US", state: "ky", rules: "all 10:00-21:00"),
      CallingRulesCase(region: "us", state: "TX", rules: "all 08:00-21:00"),
      CallingRulesCase(region: "US", state: "PA", rules: "all 08:00-21:00"),
    ])
  func builtInStateRules(_ example: CallingRulesCase) {
    #expect(CallingWindowFixture.defaults.rules(region: example.region, state: example.state).description == example.rules)
  }

  @Test func narrowingNeverWidens() throws {
    #expect(CallingRules.usFederal.narrowed(to: try CallingHours.parse("06:00-23:00"), on: .all) == .usFederal)
  }

  @Test func narrowingWithoutOverlapClosesEveryDay() throws {
    #expect(CallingRules.usFederal.narrowed(to: try CallingHours.parse("22:00-23:00"), on: .all).isNeverCallable)
  }

  @Test func builtInStates() {
    #expect(
      StateRuleTable.builtIn.states == [
        "AL", "CT", "FL", "KY", "LA", "MA", "MD", "MI", "MN", "MS", "NM", "NV", "OK", "RI", "UT", "WA", "WY",
      ])
  }
}

@Suite("Calling window cache")
struct CallingWindowCacheTests {
  @Test("Each key is computed once and reused")
  func computesEachKeyOnce() {
    let NY = CallingWindowFixture.newYork
    let cache = CallingWindowCache(
      at: CallingWindowFixture.instant("2026-11-26T01:30:00Z"), rules: CallingWindowFixture.defaults)
    let florida = cache.verdict(zoneSetIndex: 3, zones: [NY], state: "FL", region: "US")
    let again = cache.verdict(zoneSetIndex: 3, zones: [NY], state: "FL", region: "US")
    let newYork = cache.verdict(zoneSetIndex: 3, zones: [NY], state: "NY", region: "US")
    #expect(florida == again)
    #expect(!florida.callable)
    #expect(newYork.callable)
    #expect(cache.count == 2)
    // A known key returns the stored verdict without looking at the zones (17:30 in Los Angeles
    // would be callable in Florida's hours).
    let stored = cache.verdict(zoneSetIndex: 3, zones: [CallingWindowFixture.losAngeles], state: "FL", region: "US")
    #expect(stored == florida)
    #expect(cache.count == 2)
  }

  @Test("Shared between threads")
  func sharedBetweenThreads() {
    let at = CallingWindowFixture.instant("2026-11-26T01:30:00Z")
    let cache = CallingWindowCache(at: at, rules: CallingWindowFixture.defaults)
    @Sendable func zones(_ index: Int) -> [String] {
      index.isMultiple(of: 2) ? [CallingWindowFixture.newYork] : [CallingWindowFixture.chicago]
    }
    DispatchQueue.concurrentPerform(iterations: 1000) { i in
      _ = cache.verdict(zoneSetIndex: i % 7, zones: zones(i % 7), state: i % 2 == 0 ? "FL" : "NY", region: "US")
    }
    #expect(cache.count == 7 * 2)
    for index in 0..<7 {
      for state in ["FL", "NY"] {
        let fresh = CallingWindow.evaluate(
          zones: zones(index), state: state, region: "US", at: at, rules: CallingWindowFixture.defaults)
        #expect(cache.verdict(zoneSetIndex: index, zones: zones(index), state: state, region: "US") == fresh)
      }
    }
    #expect(cache.count == 7 * 2)
  }
}

/// Zones and a state whose next callable instant is checked against a minute-by-minute search.
struct CallingWindowSearchCase: Sendable, CustomTestStringConvertible {
  let zones: [String]
  let state: String?
  let region: String
  let seed: UInt64
  var testDescription: String { zones.joined(separator: "|") + " " + (state ?? "-") + " " + region }
}

@Suite("Calling window against slow references")
struct CallingWindowReferenceTests {
  static let clockZones = [
    "America/New_York", "America/Denver", "America/Phoenix", "America/St_Johns", "America/Adak", "Pacific/Honolulu",
    "America/Boise",
  ]

  @Test("Wall clock matches Calendar at random instants", arguments: zip(clockZones, UInt64(1)...UInt64(7)))
  func wallClockMatchesCalendar(zoneID: String, seed: UInt64) throws {
    let zone = try #require(TimeZone(identifier: zoneID))
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let clock = WallClock(zone: zone, rules: .usFederal)
    var rng = SplitMix64(state: seed)
    for _ in 0..<300 {
      let t = Int.random(in: 1_700_000_000...1_900_000_000, using: &rng)
      let c = calendar.dateComponents(
        [.year, .month, .day, .hour, .minute, .second, .weekday], from: Date(timeIntervalSince1970: TimeInterval(t)))
      let here = clock.local(at: t)
      let (year, month, day) = CallingTimeFormat.civilDate(daysSince1970: here.day)
      let isoWeekday = (c.weekday! + 5) % 7 + 1
      #expect(
        year == c.year && month == c.month && day == c.day
          && here.second == c.hour! * 3600 + c.minute! * 60 + c.second!
          && Weekday(daysSince1970: here.day).rawValue == isoWeekday,
        "\(zoneID) at \(t)")
    }
  }

  /// Around the 2026 DST changes and an ordinary summer week.
  static let searchBases = [1_772_900_000, 1_793_400_000, 1_784_000_000]

  static let searchCases: [CallingWindowSearchCase] = [
    .init(zones: ["America/New_York"], state: "FL", region: "US", seed: 11),
    .init(zones: CallingWindowFixture.areaCode208, state: nil, region: "US", seed: 12),
    .init(zones: CallingWindowFixture.areaCode850, state: "FL", region: "US", seed: 13),
    .init(zones: ["America/St_Johns"], state: nil, region: "CA", seed: 14),
    .init(zones: ["America/Toronto"], state: nil, region: "CA", seed: 15),
    .init(zones: ["America/Chicago"], state: "LA", region: "US", seed: 16),
    .init(zones: ["America/New_York"], state: "RI", region: "US", seed: 17),
    .init(zones: ["America/Phoenix", "America/Denver"], state: nil, region: "US", seed: 18),
  ]

  @Test("Next callable instant matches a minute-by-minute search", arguments: searchCases)
  func nextCallableMatchesMinuteSearch(_ example: CallingWindowSearchCase) throws {
    let policy = CallingWindowFixture.defaults
    let rules = policy.rules(region: example.region, state: example.state)
    var clocks: [WallClock] = []
    for id in example.zones { clocks.append(WallClock(zone: try #require(TimeZone(identifier: id)), rules: rules)) }
    var rng = SplitMix64(state: example.seed)
    for _ in 0..<40 {
      let t = Self.searchBases.randomElement(using: &rng)! + Int.random(in: 0...(3 * 86_400), using: &rng)
      let verdict = CallingWindow.evaluate(
        zones: example.zones, state: example.state, region: example.region,
        at: Date(timeIntervalSince1970: TimeInterval(t)), rules: policy)
      // Window edges fall on whole minutes, so checking `t` and then every minute after it is exact.
      var found: Int? = nil
      if clocks.allSatisfy({ $0.isOpen(at: t) }) {
        found = t
      } else {
        var s = (t / 60 + 1) * 60
        while s <= t + 8 * 86_400 {
          if clocks.allSatisfy({ $0.isOpen(at: s) }) {
            found = s
            break
          }
          s += 60
        }
      }
      #expect(verdict.nextCallableAt?.timeIntervalSince1970 == found.map(Double.init), "at \(t)")
      #expect(verdict.callable == (found == t), "at \(t)")
    }
  }
}
