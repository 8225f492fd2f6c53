/// A split of row indices into a training set and a later holdout set, by time.
///
/// The holdout is the latest `holdoutFraction` of rows: rows are ordered by timestamp, equal
/// timestamps by row index (a later row counts as later), and the last
/// `round(holdoutFraction × n)` rows of that order are held out. Both index lists are ascending, so
/// the same timestamps always give the same split.
public struct TimeSplit: Sendable, Equatable, Codable {
  /// Indices of the rows to fit on, ascending.
  public var train: [Int]
  /// Indices of the latest rows, kept out of fitting to measure the model on, ascending.
  public var holdout: [Int]

  /// Splits rows `0..<timestamps.count` by their timestamps.
  ///
  /// - Parameters:
  ///   - timestamps: When each row happened, in any totally ordered unit (epoch seconds, dates).
  ///   - holdoutFraction: The share of rows, latest first, to hold out; 0.2 by default.
  /// - Throws: `TrainingError.invalidParameter` when `holdoutFraction` is outside [0, 1], or
  ///   `.unorderedTimestamp` for a timestamp not equal to itself (NaN).
  public init<Timestamp: Comparable>(timestamps: [Timestamp], holdoutFraction: Double = 0.2) throws(TrainingError) {
    guard holdoutFraction >= 0, holdoutFraction <= 1 else {
      throw .invalidParameter(name: "holdoutFraction", value: holdoutFraction, allowed: "between 0 and 1")
    }
    for (r, t) in timestamps.enumerated() where t != t { throw .unorderedTimestamp(row: r) }
    let n = timestamps.count
    let holdoutCount = min(n, Int((holdoutFraction * Double(n)).rounded()))
    let order = (0..<n).sorted { a, b in
      timestamps[a] < timestamps[b] || (timestamps[a] == timestamps[b] && a < b)
    }
    let cut = n - holdoutCount
    train = order[..<cut].sorted()
    holdout = order[cut...].sorted()
  }

  /// Creates a split from known index lists.
  public init(train: [Int], holdout: [Int]) {
    self.train = train
    self.holdout = holdout
  }
}
