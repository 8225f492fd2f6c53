import NANP

/// The line type of a number as the output contract names it.
///
/// Offline, only the number kind is known: a geographic number may be mobile or landline (numbers
/// port between the two), so it is `unknown` until a lookup file says otherwise.
public enum LineType: String, Sendable, CaseIterable {
  case mobile, landline, voip
  case tollFree = "toll_free"
  case premium, personal, unknown

  /// The line type the numbering data alone implies for `kind`.
  public init(kind: NumberKind) {
    switch kind {
    case .geographic, .nonGeographic: self = .unknown
    case .tollFree: self = .tollFree
    case .premium: self = .premium
    case .personal: self = .personal
    case .voip: self = .voip
    }
  }
}
