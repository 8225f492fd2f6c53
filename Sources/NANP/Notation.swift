/// How a number was written in its field: prefixes, extension, letters and spreadsheet artefacts.
///
/// Downstream stages use it to explain a result (`+1` written, Excel damage repaired) without
/// re-reading the field.
public struct Notation: OptionSet, Sendable, Hashable {
  public let rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  /// Written with `+1`.
  public static let plusCountryCode = Notation(rawValue: 1 << 0)
  /// Written with the trunk prefix `1` and no `+`.
  public static let trunkPrefix = Notation(rawValue: 1 << 1)
  /// Written with the international prefix `011 1` as dialled from the US.
  public static let internationalPrefix = Notation(rawValue: 1 << 2)
  /// Carried an extension (`x89`, `ext. 89`, `#89`, `;ext=89`).
  public static let hadExtension = Notation(rawValue: 1 << 3)
  /// Vanity letters were turned into keypad digits (toll-free numbers only).
  public static let vanityLetters = Notation(rawValue: 1 << 4)
  /// A spreadsheet artefact was repaired: `.0` suffix, leading `'`, `="…"` or exact scientific notation.
  public static let excelArtefact = Notation(rawValue: 1 << 5)
  /// Written as a `tel:` URI.
  public static let telURI = Notation(rawValue: 1 << 6)
  /// Written with non-ASCII decimal digits (full-width, Arabic-Indic, …) or Unicode punctuation.
  public static let nonASCII = Notation(rawValue: 1 << 7)
  /// A word such as `cell` or `(mobile)` stood beside the number and was read as a label.
  public static let label = Notation(rawValue: 1 << 8)
}
