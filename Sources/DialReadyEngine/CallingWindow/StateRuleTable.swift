/// The stricter US state calling rules of a run, by two-letter state code: the built-in table
/// (``StateRuleTable/builtIn``), possibly with states replaced from a user's rule file.
public struct StateRuleTable: Sendable, Hashable {
  /// The rules by uppercase state code.
  public private(set) var rules: [String: StateRule]

  /// Creates a table from rules; a later rule for the same state replaces an earlier one.
  public init(_ rules: [StateRule]) {
    var byState: [String: StateRule] = [:]
    for rule in rules { byState[rule.state] = rule }
    self.rules = byState
  }

  /// A table without rules: only the country default, `--calling-hours` and `--allowed-days` apply.
  public static let empty = StateRuleTable([])

  /// The rule of `state` (any case), if the table has one.
  public func rule(for state: String) -> StateRule? { rules[state.uppercased()] }

  /// The state codes with a rule, sorted.
  public var states: [String] { rules.keys.sorted() }

  /// This table with every state of `other` taking `other`'s rule: a user's file replaces the
  /// built-in rule of each state it names, whole, and leaves the other states as they are.
  public func replacing(with other: StateRuleTable) -> StateRuleTable {
    var copy = self
    for (state, rule) in other.rules { copy.rules[state] = rule }
    return copy
  }

  /// The table in the rule file format, states sorted (see ``parse(_:path:)``).
  public var fileText: String {
    states.flatMap { rules[$0]!.fileLines }.map { $0 + "\n" }.joined()
  }

  /// The two-letter codes a rule may name: the 50 states, DC and the five inhabited territories.
  static let knownStates: Set<String> = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
    "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "DC", "AS", "GU", "MP", "PR", "VI",
  ]
}
