/// What the numbering data says of one area code (NPA).
public struct AreaCode: Sendable, Hashable {
  /// The three-digit area code, e.g. `212`.
  public let npa: Int
  /// The region that owns most of its exchanges.
  public let region: Region
  /// The kind of service most of its exchanges carry.
  public let kind: NumberKind
  /// Two-letter state, province or territory code (`NY`, `ON`, `PR`); `nil` for non-geographic codes and Caribbean countries.
  public let state: String?
  /// IANA time zones at area-code level; several when the area code spans zones. Empty for non-geographic kinds.
  public let timeZones: [String]
}

/// Namespace of the generated numbering data (see `Generated/AreaCodeData.swift`).
enum AreaCodeData {}
