/// One of the 25 regions that share country code +1: the United States, Canada,
/// the five US territories and the Caribbean countries.
public struct Region: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Index into ``Region/allCodes``; fits the bits of a ``RegionSet``.
  public let index: UInt8

  /// The ISO 3166-1 alpha-2 codes of every NANP region, United States and Canada first.
  public static let allCodes: [String] = [
    "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM",
    "KN", "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
  ]

  /// The United States.
  public static let us = Region(uncheckedIndex: 0)
  /// Canada.
  public static let ca = Region(uncheckedIndex: 1)

  init(uncheckedIndex: UInt8) { index = uncheckedIndex }

  /// Looks a region up by its two-letter code, ignoring case; `nil` for codes outside the NANP.
  public init?(code: some StringProtocol) {
    let upper = code.uppercased()
    guard let at = Region.allCodes.firstIndex(of: upper) else { return nil }
    index = UInt8(at)
  }

  /// The two-letter region code, e.g. `US`.
  public var code: String { Region.allCodes[Int(index)] }
  public var description: String { code }
  public static func < (a: Region, b: Region) -> Bool { a.index < b.index }
}

/// A set of NANP regions, used for the allowed regions of a run (`US,CA` by default).
public struct RegionSet: Sendable, Hashable, CustomStringConvertible {
  /// One bit per ``Region/index``.
  public var bits: UInt32

  /// Creates a set from raw bits.
  public init(bits: UInt32) { self.bits = bits }

  /// Creates a set holding the given regions.
  public init(_ regions: [Region]) {
    bits = regions.reduce(0) { $0 | (1 << UInt32($1.index)) }
  }

  /// `US,CA`, the default: territories and Caribbean countries are opt-in.
  public static let `default` = RegionSet([.us, .ca])
  /// Every NANP region.
  public static let all = RegionSet(bits: (1 << UInt32(Region.allCodes.count)) - 1)

  /// Parses a comma-separated list such as `US,CA,PR`; `ALL` (or `NANP`) means every region.
  /// Returns `nil` and the offending code when a code is not a NANP region.
  public static func parse(_ list: String) -> Result<RegionSet, UnknownRegionCode> {
    var set = RegionSet(bits: 0)
    for part in list.split(separator: ",") {
      let code = part.trimmingCharacters(in: " ")
      if code.isEmpty { continue }
      if code.uppercased() == "ALL" || code.uppercased() == "NANP" { return .success(.all) }
      guard let region = Region(code: code) else { return .failure(UnknownRegionCode(code: code)) }
      set.insert(region)
    }
    return .success(set)
  }

  /// Whether the set holds `region`.
  @inline(__always)
  public func contains(_ region: Region) -> Bool { bits & (1 << UInt32(region.index)) != 0 }

  /// Adds `region` to the set.
  public mutating func insert(_ region: Region) { bits |= 1 << UInt32(region.index) }

  /// The regions in the set, in ``Region/allCodes`` order.
  public var regions: [Region] {
    (0..<UInt8(Region.allCodes.count)).map(Region.init(uncheckedIndex:)).filter(contains)
  }

  /// The codes joined with commas, e.g. `US,CA`.
  public var description: String { regions.map(\.code).joined(separator: ",") }
}

/// A region code that is not one of the 25 NANP regions.
public struct UnknownRegionCode: Error, CustomStringConvertible {
  /// The code as the user wrote it.
  public let code: String
  public var description: String {
    "unknown region '\(code)': use NANP region codes such as US,CA,PR (or ALL)"
  }
}

extension Substring {
  func trimmingCharacters(in set: Character) -> String {
    var s = self
    while s.first == set { s.removeFirst() }
    while s.last == set { s.removeLast() }
    return String(s)
  }
}
