/// The text of BIFF8 cell values that are not strings: numbers, booleans and error codes.
enum XLSCellText {
  /// A number as text, by the rule every spreadsheet reader shares (``NumberText/format(_:)``).
  static func number(_ value: Double) -> [UInt8] {
    Array(NumberText.format(value).utf8)
  }

  /// A boolean as Excel shows it.
  static func boolean(_ value: Bool) -> [UInt8] {
    Array((value ? "TRUE" : "FALSE").utf8)
  }

  /// An error code as Excel shows it (`#N/A`, `#DIV/0!`, …); an unknown code as `#ERR` and its number.
  static func error(code: UInt8) -> [UInt8] {
    let text: String
    switch code {
    case 0x00: text = "#NULL!"
    case 0x07: text = "#DIV/0!"
    case 0x0F: text = "#VALUE!"
    case 0x17: text = "#REF!"
    case 0x1D: text = "#NAME?"
    case 0x24: text = "#NUM!"
    case 0x2A: text = "#N/A"
    case 0x2B: text = "#GETTING_DATA"
    default: text = "#ERR\(code)"
    }
    return Array(text.utf8)
  }
}
