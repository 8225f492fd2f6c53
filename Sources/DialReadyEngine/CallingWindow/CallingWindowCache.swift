import Foundation

/// Calling verdicts of one run, at one instant and policy, computed once per distinct
/// (zone set, state, region): a list has many rows but few such combinations. Safe to share
/// between worker threads.
public final class CallingWindowCache: @unchecked Sendable {  // `verdicts` is read and written under `lock`.
  /// The instant every verdict is evaluated at.
  public let at: Date
  /// The run's calling policy.
  public let rules: CallingPolicy
  private var verdicts: [CallingWindowKey: CallingVerdict] = [:]
  private let lock = NSLock()

  /// Creates an empty cache for verdicts at `at` under `rules`.
  public init(at: Date, rules: CallingPolicy) {
    self.at = at
    self.rules = rules
  }

  /// The verdict of a number, computed on the first call for its key and reused after.
  ///
  /// - Parameters:
  ///   - zoneSetIndex: an index that identifies `zones` within the run (e.g. the area-code table's
  ///     zone-set index); equal indexes must mean equal zone lists.
  ///   - zones: the candidate IANA zones, used only when the key is new.
  ///   - state: the two-letter state or province code, compared as given.
  ///   - region: `US` or `CA`, compared as given.
  public func verdict(zoneSetIndex: Int, zones: [String], state: String?, region: String) -> CallingVerdict {
    let key = CallingWindowKey(zoneSetIndex: zoneSetIndex, state: state, region: region)
    lock.lock()
    defer { lock.unlock() }
    if let known = verdicts[key] { return known }
    let verdict = CallingWindow.evaluate(zones: zones, state: state, region: region, at: at, rules: rules)
    verdicts[key] = verdict
    return verdict
  }

  /// How many distinct combinations have been evaluated.
  public var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return verdicts.count
  }
}
