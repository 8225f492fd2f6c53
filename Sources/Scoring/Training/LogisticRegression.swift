#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fitted L2-regularized logistic regression: P(y = 1 | x) = σ(b + β·x).
///
/// Fit one with `fit(features:labels:weights:l2:maxIterations:tolerance:)`; the fit maximizes the
/// penalized log-likelihood
///
///     ℓ(b, β) = Σᵢ wᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] − (λ/2) ‖β‖²,   ηᵢ = b + β·xᵢ
///
/// where wᵢ are the row weights (1 when none are given), yᵢ ∈ [0, 1] the labels and λ the `l2`
/// strength. The intercept b is not penalized, so the fitted mean matches the data's.
public struct LogisticRegression: Sendable, Equatable, Codable {
  /// The feature weights β, one per feature column.
  public var coefficients: [Double]
  /// The unpenalized intercept b.
  public var intercept: Double
  /// The number of Newton iterations run, counting a final one whose step fell within tolerance.
  public var iterations: Int
  /// Whether the last Newton step was within tolerance (false when `maxIterations` ran out first).
  public var converged: Bool
  /// The penalized log-likelihood ℓ(b, β) at the returned coefficients.
  public var penalizedLogLikelihood: Double
  /// The L2 strength λ the model was fitted with.
  public var l2: Double

  /// Creates a model from known coefficients, for instance ones read back from a file.
  public init(
    coefficients: [Double], intercept: Double, iterations: Int = 0, converged: Bool = true,
    penalizedLogLikelihood: Double = 0, l2: Double = 0
  ) {
    self.coefficients = coefficients
    self.intercept = intercept
    self.iterations = iterations
    self.converged = converged
    self.penalizedLogLikelihood = penalizedLogLikelihood
    self.l2 = l2
  }

  /// The number of feature columns the model expects.
  public var featureCount: Int { coefficients.count }

  /// The log-odds b + β·x of one row.
  ///
  /// - Throws: `TrainingError.countMismatch` when the row does not have `featureCount` values.
  public func linearPredictor(_ row: [Double]) throws(TrainingError) -> Double {
    guard row.count == coefficients.count else {
      throw .countMismatch(input: "row", expected: coefficients.count, actual: row.count)
    }
    var eta = intercept
    for j in 0..<row.count { eta += coefficients[j] * row[j] }
    return eta
  }

  /// The predicted probability σ(b + β·x) of one row.
  ///
  /// - Throws: `TrainingError.countMismatch` when the row does not have `featureCount` values.
  public func probability(_ row: [Double]) throws(TrainingError) -> Double {
    Self.logistic(try linearPredictor(row))
  }

  /// The predicted probabilities of many rows, in row order.
  ///
  /// - Throws: `TrainingError.raggedRow` when a row does not have `featureCount` values.
  public func probabilities(features: [[Double]]) throws(TrainingError) -> [Double] {
    var result = [Double]()
    result.reserveCapacity(features.count)
    for (r, row) in features.enumerated() {
      guard row.count == coefficients.count else {
        throw .raggedRow(row: r, expected: coefficients.count, actual: row.count)
      }
      var eta = intercept
      for j in 0..<row.count { eta += coefficients[j] * row[j] }
      result.append(Self.logistic(eta))
    }
    return result
  }

  /// The predicted probabilities of rows stored row-major in one flat array of `featureCount` columns.
  ///
  /// - Throws: `TrainingError.countMismatch` when the array is not a whole number of rows.
  public func probabilities(flatFeatures: [Double]) throws(TrainingError) -> [Double] {
    let k = coefficients.count
    let rows = k == 0 ? 0 : flatFeatures.count / k
    guard k > 0, rows * k == flatFeatures.count else {
      throw .countMismatch(input: "flat features", expected: rows * k, actual: flatFeatures.count)
    }
    var result = [Double]()
    result.reserveCapacity(rows)
    for r in 0..<rows {
      var eta = intercept
      for j in 0..<k { eta += coefficients[j] * flatFeatures[r * k + j] }
      result.append(Self.logistic(eta))
    }
    return result
  }

  /// The logistic function σ(η) = 1 / (1 + e^−η), computed without overflow for large |η|.
  @inlinable
  public static func logistic(_ eta: Double) -> Double {
    let e = exp(-abs(eta))
    return eta >= 0 ? 1 / (1 + e) : e / (1 + e)
  }
}
