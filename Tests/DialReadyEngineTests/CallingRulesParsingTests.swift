import Foundation
import Testing

@testable import DialReadyEngine

@Suite("Calling-window settings parsing")
struct CallingRulesParsingTests {
  // MARK: --calling-hours

  @Test(
    "Valid calling hours",
    arguments: [
      ("08:00-21:00", "08:00-21:00"),
      (" 9:30-24:00 ", "09:30-24:00"),
      (#"{"start":"09:00","end":"17:00"}"#, "09:00-17:00"),
    ])
  func validHours(text: String, written: String) throws {
    #expect(try CallingHours.parse(text).description == written)
  }

  @Test(
    "Invalid calling hours",
    arguments: [
      (
        "21:00-08:00",
        "invalid calling hours '21:00-08:00': the start must be before the end (windows that cross midnight are not supported)"
      ),
      ("8-21", "invalid calling hours '8-21': '8' is not a time of day HH:MM"),
      ("08:00-24:30", "invalid calling hours '08:00-24:30': '24:30' is outside 00:00-24:00"),
      ("24:00-24:00", "invalid calling hours '24:00-24:00': the start must be before 24:00"),
      ("08:60-21:00", "invalid calling hours '08:60-21:00': '08:60' is outside 00:00-24:00"),
      ("08:00", "invalid calling hours '08:00': expected HH:MM-HH:MM, e.g. 08:00-21:00"),
      (
        "09:00-09:00",
        "invalid calling hours '09:00-09:00': the start must be before the end (windows that cross midnight are not supported)"
      ),
    ])
  func invalidHours(text: String, message: String) {
    let error = #expect(throws: CallingRulesError.self) { try CallingHours.parse(text) }
    #expect(error?.description == message)
    #expect(error?.code == "invalid_calling_hours")
  }

  // MARK: --allowed-days

  @Test(
    "Valid allowed days",
    arguments: [
      ("mon,wed,fri", "mon,wed,fri"),
      ("sat-sun", "sat-sun"),
      ("all", "all"),
      ("[1,2,3,4,5]", "mon-fri"),
      ("[6, 7]", "sat-sun"),
      ("fri-mon", "mon,fri-sun"),
      ("Monday-Wednesday", "mon-wed"),
    ])
  func validDays(text: String, written: String) throws {
    #expect(try AllowedDays.parse(text).description == written)
  }

  @Test func namedDaySets() throws {
    #expect(try AllowedDays.parse("sat-sun") == .weekend)
    #expect(try AllowedDays.parse("all") == .all)
    #expect(try AllowedDays.parse("[1,2,3,4,5]") == .weekdays)
    #expect(try AllowedDays.parse("[6, 7]") == .weekend)
  }

  @Test(
    "Invalid allowed days",
    arguments: [
      (
        "mon-fry",
        "invalid allowed days 'mon-fry': 'fry' is not a day; use mon tue wed thu fri sat sun, ranges like mon-fri, or all"
      ),
      (
        "[0,1]",
        "invalid allowed days '[0,1]': day number 0 is outside 1-7 (ISO numbering: 1 = Monday … 7 = Sunday)"
      ),
      ("", "invalid allowed days '': an empty day in the list"),
      ("mon,,tue", "invalid allowed days 'mon,,tue': an empty day in the list"),
      (
        "mo",
        "invalid allowed days 'mo': 'mo' is not a day; use mon tue wed thu fri sat sun, ranges like mon-fri, or all"
      ),
    ])
  func invalidDays(text: String, message: String) {
    let error = #expect(throws: CallingRulesError.self) { try AllowedDays.parse(text) }
    #expect(error?.description == message)
    #expect(error?.code == "invalid_allowed_days")
  }

  // MARK: State rule files

  @Test(
    "Invalid state rule files",
    arguments: [
      ("FL mon-sun 08:00-20:00\nXX all 08:00-20:00\n", "rules.txt:2: 'XX' is not a two-letter US state code"),
      ("# c\nRI sat 10:00-17:00\n\nRI sat none\n", "rules.txt:4: RI sat already has a rule on line 2"),
      ("FL 08:00-20:00\n", "rules.txt:1: expected STATE DAYS HOURS (e.g. FL mon-sun 08:00-20:00), found 2 fields"),
      ("FL", "rules.txt:1: expected STATE DAYS HOURS (e.g. FL mon-sun 08:00-20:00), found 1 field"),
      ("RI all 09:00-18:00\nRI sun none", "rules.txt:2: RI sun already has a rule on line 1"),
      (
        "FL mon-sun 20:00-08:00",
        "rules.txt:1: invalid calling hours '20:00-08:00': the start must be before the end (windows that cross midnight are not supported)"
      ),
      (
        "\n\nFL mon-sundy 08:00-20:00",
        "rules.txt:3: invalid allowed days 'mon-sundy': 'sundy' is not a day; use mon tue wed thu fri sat sun, ranges like mon-fri, or all"
      ),
    ])
  func invalidStateRuleFile(text: String, message: String) {
    let error = #expect(throws: CallingRulesError.self) { try StateRuleTable.parse(text, path: "rules.txt") }
    #expect(error?.description == message)
    #expect(error?.code == "invalid_state_rule")
  }

  @Test func unreadableStateRuleFile() {
    let error = #expect(throws: CallingRulesError.self) { try StateRuleTable.load(path: "/nonexistent/rules.txt") }
    #expect(error?.description == "/nonexistent/rules.txt: cannot read the state rule file")
    #expect(error?.code == "state_rules_unreadable")
  }

  @Test func userStateRuleFile() throws {
    let text = "\u{FEFF}# state days hours\nTX mon-sat 09:00-21:00  # SB 140\nTX sun 12:00-21:00\nfl\tall\t09:00-19:00\r\n"
    let user = try StateRuleTable.parse(text, path: "u")
    #expect(user.fileText == "FL all 09:00-19:00\nTX mon-sat 09:00-21:00\nTX sun 12:00-21:00\n")

    let policy = CallingPolicy(stateRules: StateRuleTable.builtIn.replacing(with: user))
    #expect(policy.rules(region: "US", state: "TX").description == "mon-sat 09:00-21:00, sun 12:00-21:00")
    #expect(policy.rules(region: "US", state: "FL").description == "all 09:00-19:00")
    #expect(policy.rules(region: "US", state: "LA").description == "mon-sat 08:00-20:00, sun none")
  }

  @Test func builtInTableRoundTripsThroughFileText() throws {
    #expect(try StateRuleTable.parse(StateRuleTable.builtIn.fileText, path: "b") == StateRuleTable.builtIn)
  }

  // MARK: --timezone-fallback

  @Test func unknownTimeZone() {
    let error = #expect(throws: CallingRulesError.self) { try CallingPolicy.checkTimeZone("Mars/Olympus") }
    #expect(error?.description == "unknown time zone 'Mars/Olympus': use an IANA zone such as America/New_York")
    #expect(error?.code == "unknown_time_zone")
  }

  @Test func knownTimeZone() {
    #expect(throws: Never.self) { try CallingPolicy.checkTimeZone("America/Boise") }
  }
}
