import Foundation
import NANP
import TableIO

/// The calling-window settings of a classify run (`--at`, `--calling-hours`, `--allowed-days`,
/// `--state-rules`, `--timezone-fallback`, `--filter-callable`).
public struct CallingWindowOptions: Sendable {
  /// The planned call time every row is judged at.
  public var at: Date
  /// Hours, days, state rules and fallback zone.
  public var policy: CallingPolicy
  /// Keep rows outside the window out of the filtered file.
  public var filterCallable: Bool

  /// Creates the settings.
  public init(at: Date, policy: CallingPolicy, filterCallable: Bool = false) {
    self.at = at
    self.policy = policy
    self.filterCallable = filterCallable
  }

  /// The columns appended after `classification` when calling windows are on.
  public static let columnNames = ["local_time", "callable", "next_callable_at"]
}

/// Renders the `local_time,callable,next_callable_at` columns of a worker's rows. Verdicts come from the
/// run's shared ``CallingWindowCache``; each worker keeps the rendered bytes per (zone set, area code,
/// region) so a row costs one dictionary lookup.
struct CallingColumns {
  let cache: CallingWindowCache
  let table: AreaCodeTable
  private var rendered: [Int: (bytes: [UInt8], callable: Bool)] = [:]

  init(cache: CallingWindowCache, table: AreaCodeTable) {
    self.cache = cache
    self.table = table
  }

  /// Appends the three columns for a valid number; returns whether it is callable now.
  mutating func appendValid(_ number: PhoneNumber, to out: OutputBytes) -> Bool {
    let zoneSet = table.timeZoneSetIndex(national: number.national)
    let key = zoneSet << 16 | number.npa << 5 | Int(number.region.index)
    if let known = rendered[key] {
      out.append(known.bytes)
      return known.callable
    }
    let verdict = cache.verdict(
      zoneSetIndex: zoneSet, zones: table.timeZoneSets[zoneSet], state: table.state(npa: number.npa),
      region: number.region.code)
    let text = "," + verdict.localTime + "," + (verdict.callable ? "true" : "false") + "," + verdict.nextCallableAtUTC
    let bytes = Array(text.utf8)
    rendered[key] = (bytes, verdict.callable)
    out.append(bytes)
    return verdict.callable
  }

  /// Appends three empty columns for an invalid row.
  func appendInvalid(to out: OutputBytes) {
    out.append(",,,")
  }
}
