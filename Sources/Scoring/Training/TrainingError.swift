/// Why fitting a model, scoring its predictions or splitting its rows could not start, with the row
/// a user needs to fix.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// There are no rows to work on.
  case noRows
  /// Two inputs that must describe the same rows have different lengths.
  case countMismatch(input: String, expected: Int, actual: Int)
  /// A feature row has a different number of columns from the first row.
  case raggedRow(row: Int, expected: Int, actual: Int)
  /// A feature value is NaN or infinite.
  case nonFiniteFeature(row: Int, column: Int)
  /// A label is not 0, 1 or a fraction between them.
  case labelOutOfRange(row: Int, value: Double)
  /// A row weight is negative, NaN or infinite.
  case invalidWeight(row: Int, value: Double)
  /// A predicted probability lies outside [0, 1] or is NaN.
  case probabilityOutOfRange(row: Int, value: Double)
  /// A timestamp cannot be ordered (NaN, usually).
  case unorderedTimestamp(row: Int)
  /// A tuning parameter is outside the range it allows.
  case invalidParameter(name: String, value: Double, allowed: String)

  /// The one-line message a user sees.
  public var description: String {
    switch self {
    case .noRows:
      return "no rows to work on; supply at least one row"
    case .countMismatch(let input, let expected, let actual):
      return "\(input) has \(actual) entries but there are \(expected) rows; give one per row"
    case .raggedRow(let row, let expected, let actual):
      return "row \(row) has \(actual) features but the first row has \(expected); give every row the same columns"
    case .nonFiniteFeature(let row, let column):
      return "row \(row), feature \(column) is NaN or infinite; impute or drop the value before fitting"
    case .labelOutOfRange(let row, let value):
      return "row \(row) has label \(value); labels must lie in [0, 1]"
    case .invalidWeight(let row, let value):
      return "row \(row) has weight \(value); weights must be finite and not negative"
    case .probabilityOutOfRange(let row, let value):
      return "row \(row) has predicted probability \(value); probabilities must lie in [0, 1]"
    case .unorderedTimestamp(let row):
      return "row \(row) has a timestamp that cannot be ordered (NaN); fix or drop that row"
    case .invalidParameter(let name, let value, let allowed):
      return "\(name) is \(value); it must be \(allowed)"
    }
  }
}
