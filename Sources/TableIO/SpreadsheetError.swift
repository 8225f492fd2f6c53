/// Why a spreadsheet (XLSX or XLS) or JSON document could not be read.
public enum SpreadsheetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The container or its content is damaged or truncated; the text says what and where.
  case corrupt(String)
  /// A kind of file the readers do not support (it names itself and what to do).
  case unsupported(String)
  /// The workbook is password-protected.
  case encrypted
  /// `--sheet` names no sheet.
  case sheetNotFound(requested: String, available: [String])
  /// The workbook has no worksheet.
  case noWorksheet
  /// A sheet has more rows than a spreadsheet allows.
  case tooManyRows(limit: Int)
  /// The document exceeds one of the reader limits.
  case limitExceeded(LimitExceeded)
  /// The JSON body does not have the shape of the reference upload API (its 400 errors).
  case invalidBody(String)

  /// The most rows a worksheet may have (Excel's limit).
  public static let maxRows = 1_048_576

  public var description: String {
    switch self {
    case .corrupt(let detail):
      return "the file is damaged or truncated (\(detail)); export it again from the spreadsheet application"
    case .unsupported(let what):
      return "unsupported file: \(what)"
    case .encrypted:
      return "the workbook is password-protected; save an unprotected copy and run again"
    case .sheetNotFound(let requested, let available):
      return "no sheet '\(MessageText.sanitized(requested))'; the sheets are \(available.map { "'\(MessageText.sanitized($0))'" }.joined(separator: ", "))"
    case .noWorksheet:
      return "the workbook has no worksheet"
    case .tooManyRows(let limit):
      return "a sheet has more than \(limit) rows, more than a spreadsheet can hold; the file is damaged"
    case .invalidBody(let message):
      return message
    case .limitExceeded(let violation):
      return violation.description
    }
  }
}
