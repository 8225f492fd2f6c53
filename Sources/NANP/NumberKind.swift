/// What kind of service an area code (or one of its exchanges) carries, per libphonenumber's metadata.
public enum NumberKind: UInt8, Sendable, CaseIterable, Hashable {
  /// An ordinary geographic number: fixed line or mobile, which cannot be told apart offline.
  case geographic
  /// Toll-free (800, 833, 844, 855, 866, 877, 888).
  case tollFree
  /// Premium rate (900).
  case premium
  /// Personal communication service numbers (500, 521–529, 533, …).
  case personal
  /// Non-geographic VoIP (Canada's 600).
  case voip
  /// Other non-geographic services (shared cost, UAN, pager).
  case nonGeographic

  /// The stable snake_case name used in outputs and in the generated table.
  public var name: String {
    switch self {
    case .geographic: "geographic"
    case .tollFree: "toll_free"
    case .premium: "premium"
    case .personal: "personal"
    case .voip: "voip"
    case .nonGeographic: "non_geographic"
    }
  }

  /// Looks a kind up by its snake_case name.
  public init?(name: some StringProtocol) {
    guard let kind = NumberKind.allCases.first(where: { $0.name == name }) else { return nil }
    self = kind
  }
}
