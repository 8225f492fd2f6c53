/// The area-code table: every NPA and exchange libphonenumber knows, with region, kind, state and time zones.
///
/// Built once from the generated data in `Generated/AreaCodeData.swift`; lookups on the parsing
/// hot path are a couple of array reads (see ``AreaCodeTable/Packed``).
public final class AreaCodeTable: @unchecked Sendable {
  /// The table built from the numbering data that ships with DialReady.
  public static let shared = AreaCodeTable(
    areaCodeLines: AreaCodeData.areaCodeLines,
    exchangeOverrideLines: AreaCodeData.exchangeOverrideLines,
    zoneOverrideLines: AreaCodeData.zoneOverrideLines,
    sourceVersion: AreaCodeData.sourceVersion)

  /// The numbering-data version, e.g. `phonenumbers 9.0.43`.
  public let sourceVersion: String

  /// Packed per-NPA facts, read by the parser without touching Swift collections.
  let packed: Packed
  private let states: [String]
  private let zoneSets: [[String]]
  private let exchangeOverrides: [UInt32: (Region, NumberKind)]
  private let zoneOverrides: [UInt32: UInt16]

  /// Builds a table from lines in the generated format (`NPA|region|kind|state|zones|exchanges`).
  init(areaCodeLines: String, exchangeOverrideLines: String, zoneOverrideLines: String, sourceVersion: String) {
    self.sourceVersion = sourceVersion
    var states: [String] = [""]
    var zoneSets: [[String]] = [[]]
    func stateIndex(_ s: Substring) -> Int {
      if let at = states.firstIndex(where: { $0 == s }) { return at }
      states.append(String(s))
      return states.count - 1
    }
    func zoneIndex(_ s: Substring) -> Int {
      let zones = s.split(separator: ",").map(String.init)
      if let at = zoneSets.firstIndex(of: zones) { return at }
      zoneSets.append(zones)
      return zoneSets.count - 1
    }
    let packed = Packed()
    for line in areaCodeLines.split(separator: "\n") {
      let f = line.split(separator: "|", omittingEmptySubsequences: false)
      precondition(f.count == 6, "malformed generated area-code line: \(line)")
      let npa = Int(f[0])!
      let region = Region(code: f[1])!
      let kind = NumberKind(name: f[2])!
      packed.setInfo(
        npa: npa,
        NPAInfo(
          region: region, kind: kind, state: UInt16(stateIndex(f[3])), zones: UInt16(zoneIndex(f[4]))))
      for range in f[5].split(separator: ",") {
        let ends = range.split(separator: "-")
        let low = Int(ends[0])!
        let high = ends.count > 1 ? Int(ends[1])! : low
        for nxx in low...high { packed.setExchange(npa: npa, nxx: nxx) }
      }
    }
    var exchangeOverrides: [UInt32: (Region, NumberKind)] = [:]
    for line in exchangeOverrideLines.split(separator: "\n") {
      let f = line.split(separator: "|", omittingEmptySubsequences: false)
      precondition(f.count == 3, "malformed generated exchange override: \(line)")
      let key = UInt32(f[0])!
      exchangeOverrides[key] = (Region(code: f[1])!, NumberKind(name: f[2])!)
      packed.markExchangeOverrides(npa: Int(key / 1000))
    }
    var zoneOverrides: [UInt32: UInt16] = [:]
    for line in zoneOverrideLines.split(separator: "\n") {
      let f = line.split(separator: "|", omittingEmptySubsequences: false)
      precondition(f.count == 2, "malformed generated zone override: \(line)")
      zoneOverrides[UInt32(f[0])!] = UInt16(zoneIndex(f[1]))
      packed.markZoneOverrides(npa: Int(f[0])! / 1000)
    }
    self.packed = packed
    self.states = states
    self.zoneSets = zoneSets
    self.exchangeOverrides = exchangeOverrides
    self.zoneOverrides = zoneOverrides
  }

  /// Every area code in the table, ascending.
  public var areaCodes: [Int] { (200...999).filter { packed.info(npa: $0).isKnown } }

  /// The record of `npa`, or `nil` when the area code is not in service.
  public func areaCode(_ npa: Int) -> AreaCode? {
    guard (0...999).contains(npa) else { return nil }
    let info = packed.info(npa: npa)
    guard info.isKnown else { return nil }
    return AreaCode(
      npa: npa, region: info.region, kind: info.kind,
      state: info.state == 0 ? nil : states[Int(info.state)],
      timeZones: zoneSets[Int(info.zones)])
  }

  /// Whether libphonenumber's data has exchange `nxx` in service under area code `npa`.
  public func isExchangeValid(npa: Int, nxx: Int) -> Bool {
    guard (0...999).contains(npa), (0...999).contains(nxx) else { return false }
    return packed.isExchangeValid(npa: npa, nxx: nxx)
  }

  /// The region and kind of one exchange, honouring exchange-level overrides (e.g. 800-14X).
  @inline(__always)
  func regionAndKind(npa: Int, nxx: Int, info: NPAInfo) -> (Region, NumberKind) {
    if info.hasExchangeOverrides, let o = exchangeOverrides[UInt32(npa * 1000 + nxx)] { return o }
    return (info.region, info.kind)
  }

  /// The IANA time zones of a ten-digit national number: NPA-NXX override, else the area code's.
  public func timeZones(national: UInt64) -> [String] {
    zoneSets[timeZoneSetIndex(national: national)]
  }

  /// Every distinct set of time zones in the table; index 0 is the empty set.
  public var timeZoneSets: [[String]] { zoneSets }

  /// The index into ``timeZoneSets`` of a ten-digit national number's zones, without allocating.
  public func timeZoneSetIndex(national: UInt64) -> Int {
    let npanxx = UInt32(national / 10_000)
    let npa = Int(npanxx / 1000)
    guard npa < 1000 else { return 0 }
    let info = packed.info(npa: npa)
    guard info.isKnown, info.kind.hasLocalTime else { return 0 }
    if info.hasZoneOverrides, let zone = zoneOverrides[npanxx] { return Int(zone) }
    return Int(info.zones)
  }

  /// The state or province of a number's area code, or `nil`.
  public func state(npa: Int) -> String? { areaCode(npa)?.state }
}

extension NumberKind {
  /// Whether numbers of this kind have a called party's local time (geographic numbers only).
  var hasLocalTime: Bool { self == .geographic }
}
