/// Why a phone field could not be turned into a dialable North American number.
///
/// The raw values are stable snake_case codes: they appear in `processed.csv`,
/// `rejects.csv` and the manifest, and users script against them.
public enum RejectReason: String, Sendable, CaseIterable, Hashable {
  /// The field is empty or holds only white space.
  case empty
  /// The field holds no digits, or letters inside the digits that are not vanity letters of a toll-free number.
  case notANumber = "not_a_number"
  /// Fewer than ten national digits, seven-digit local numbers included.
  case tooShort = "too_short"
  /// More than ten national digits, or an extension longer than fifteen digits.
  case tooLong = "too_long"
  /// Written with an international prefix for a country other than +1.
  case invalidCountryCode = "invalid_country_code"
  /// The area code is not assignable or not in service (N9X, 37X, 96X, N11, unassigned).
  case invalidAreaCode = "invalid_area_code"
  /// The exchange (central-office code) is not assignable: 0XX, 1XX, N11, or not valid in the area code.
  case invalidExchange = "invalid_exchange"
  /// 555-0100 through 555-0199, reserved for fiction.
  case fictionalNumber = "fictional_number"
  /// Scientific notation that lost digits when a spreadsheet rounded the number (`2.12555E+09`).
  case lossyExcelNumber = "lossy_excel_number"
  /// Two or more numbers in one field (`212-555-1234 / 646-555-9876`).
  case multipleNumbers = "multiple_numbers"
  /// A valid North American number in a region the run does not allow (Jamaica, Puerto Rico, … by default).
  case outsideAllowedRegions = "outside_allowed_regions"
}

extension RejectReason: CustomStringConvertible {
  /// The stable snake_case code.
  public var description: String { rawValue }
}
