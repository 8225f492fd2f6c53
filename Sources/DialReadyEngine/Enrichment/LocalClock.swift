import Foundation
import NANP

/// The local hour and weekday of a number at an instant, through its first candidate time zone;
/// offsets are cached per zone set and UTC hour, so millions of calls cost a dictionary lookup each.
final class LocalClock {
  private let table: AreaCodeTable
  @exclusivity(unchecked) private var zones: [Int: TimeZone] = [:]
  @exclusivity(unchecked) private var offsets: [Int64: Int] = [:]
  /// The last UTC hour looked up per zone set and its offset: history files are mostly in time order,
  /// so most calls hit this instead of the dictionary.
  @exclusivity(unchecked) private var lastHour: [Int64]
  @exclusivity(unchecked) private var lastOffset: [Int]

  init(table: AreaCodeTable) {
    self.table = table
    lastHour = Array(repeating: .min, count: table.timeZoneSets.count)
    lastOffset = Array(repeating: 0, count: table.timeZoneSets.count)
  }

  /// (hour 0–23, weekend) of `national` at unix second `time`, or `nil` for numbers without a zone.
  func local(national: UInt64, at time: Int64) -> (hour: Int, weekend: Bool)? {
    let zoneSet = table.timeZoneSetIndex(national: national)
    guard zoneSet != 0 else { return nil }
    let hourIndex = time >= 0 ? time / 3600 : (time - 3599) / 3600
    let key = hourIndex << 12 | Int64(zoneSet)
    let offset: Int
    if lastHour[zoneSet] == hourIndex {
      offset = lastOffset[zoneSet]
    } else if let known = offsets[key] {
      offset = known
    } else {
      let zone: TimeZone?
      if let cached = zones[zoneSet] {
        zone = cached
      } else {
        zone = table.timeZoneSets[zoneSet].first.flatMap(TimeZone.init(identifier:))
        if let zone { zones[zoneSet] = zone }
      }
      guard let zone else { return nil }
      offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hourIndex * 3600)))
      offsets[key] = offset
    }
    lastHour[zoneSet] = hourIndex
    lastOffset[zoneSet] = offset
    let local = time + Int64(offset)
    let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    let hour = Int((local - days * 86_400) / 3600)
    // 1970-01-01 was a Thursday: weekday 0 = Thursday … 2 = Saturday, 3 = Sunday.
    let weekday = Int(((days % 7) + 7) % 7)
    return (hour, weekday == 2 || weekday == 3)
  }
}
