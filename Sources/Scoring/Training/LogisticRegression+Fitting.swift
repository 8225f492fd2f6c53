#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension LogisticRegression {
  /// Fits a model to rows of features and yes/no outcomes by Newton's method (IRLS).
  ///
  /// Maximizes ℓ(b, β) = Σᵢ wᵢ [yᵢ ηᵢ − log(1 + e^ηᵢ)] − (λ/2) ‖β‖² (see `LogisticRegression`).
  /// Each iteration solves (X̃ᵀVX̃ + λI′) Δ = ∇ℓ by Cholesky, where I′ is the identity with a zero
  /// in the intercept's place, and halves the step while it would lower ℓ. The result is deterministic:
  /// the same inputs give bit-identical coefficients.
  ///
  /// - Parameters:
  ///   - features: One row of k feature values per observation; every row must have the same length.
  ///   - labels: Whether each observation was a success (answered).
  ///   - weights: Non-negative row weights; nil weighs every row 1.
  ///   - l2: The ridge strength λ ≥ 0 on the coefficients (never on the intercept). With λ > 0 the
  ///     optimum is finite even when the classes are perfectly separable.
  ///   - maxIterations: The most Newton iterations to run (at least 1).
  ///   - tolerance: Iteration stops once every step component is at most
  ///     `tolerance × (1 + max |coefficient|)`.
  /// - Throws: `TrainingError` when the inputs disagree in length, hold NaN or infinite values,
  ///   labels or weights are out of range, or a parameter is invalid.
  public static func fit(
    features: [[Double]], labels: [Bool], weights: [Double]? = nil,
    l2: Double = 1.0, maxIterations: Int = 50, tolerance: Double = 1e-8
  ) throws(TrainingError) -> LogisticRegression {
    let (flat, k) = try flatten(features)
    return try fitRowMajor(
      flat, featureCount: k, labels: labels.map { $0 ? 1 : 0 }, weights: weights,
      l2: l2, maxIterations: maxIterations, tolerance: tolerance)
  }

  /// Fits a model to rows of features and labels in [0, 1] (0/1 outcomes, or observed rates).
  ///
  /// The same fit as `fit(features:labels:weights:l2:maxIterations:tolerance:)` with Boolean labels.
  ///
  /// - Throws: `TrainingError` as the Boolean-label fit does, and `.labelOutOfRange` for a label
  ///   outside [0, 1].
  public static func fit(
    features: [[Double]], labels: [Double], weights: [Double]? = nil,
    l2: Double = 1.0, maxIterations: Int = 50, tolerance: Double = 1e-8
  ) throws(TrainingError) -> LogisticRegression {
    let (flat, k) = try flatten(features)
    return try fitRowMajor(
      flat, featureCount: k, labels: labels, weights: weights,
      l2: l2, maxIterations: maxIterations, tolerance: tolerance)
  }

  /// Fits a model to features stored row-major in one flat array of `featureCount` columns.
  ///
  /// The fastest way in: the array is read in place, with no copy.
  ///
  /// - Throws: `TrainingError` as the row-array fit does, and `.countMismatch` when the array is not
  ///   `labels.count × featureCount` long.
  public static func fit(
    flatFeatures: [Double], featureCount: Int, labels: [Bool], weights: [Double]? = nil,
    l2: Double = 1.0, maxIterations: Int = 50, tolerance: Double = 1e-8
  ) throws(TrainingError) -> LogisticRegression {
    try fitRowMajor(
      flatFeatures, featureCount: featureCount, labels: labels.map { $0 ? 1 : 0 }, weights: weights,
      l2: l2, maxIterations: maxIterations, tolerance: tolerance)
  }

  /// Fits a model to row-major flat features and labels in [0, 1].
  ///
  /// - Throws: `TrainingError` as the other fits do.
  public static func fit(
    flatFeatures: [Double], featureCount: Int, labels: [Double], weights: [Double]? = nil,
    l2: Double = 1.0, maxIterations: Int = 50, tolerance: Double = 1e-8
  ) throws(TrainingError) -> LogisticRegression {
    try fitRowMajor(
      flatFeatures, featureCount: featureCount, labels: labels, weights: weights,
      l2: l2, maxIterations: maxIterations, tolerance: tolerance)
  }

  private static func flatten(_ features: [[Double]]) throws(TrainingError) -> ([Double], Int) {
    guard let k = features.first?.count else { throw .noRows }
    var flat = [Double]()
    flat.reserveCapacity(features.count * k)
    for (r, row) in features.enumerated() {
      guard row.count == k else { throw .raggedRow(row: r, expected: k, actual: row.count) }
      flat.append(contentsOf: row)
    }
    return (flat, k)
  }

  private static func validate(
    _ x: [Double], featureCount k: Int, labels: [Double], weights: [Double]?,
    l2: Double, maxIterations: Int, tolerance: Double
  ) throws(TrainingError) {
    guard k >= 0 else { throw .invalidParameter(name: "featureCount", value: Double(k), allowed: "0 or more") }
    guard l2 >= 0, l2.isFinite else { throw .invalidParameter(name: "l2", value: l2, allowed: "finite and 0 or more") }
    guard maxIterations >= 1 else {
      throw .invalidParameter(name: "maxIterations", value: Double(maxIterations), allowed: "1 or more")
    }
    guard tolerance > 0, tolerance.isFinite else {
      throw .invalidParameter(name: "tolerance", value: tolerance, allowed: "finite and greater than 0")
    }
    let n = labels.count
    guard n > 0 else { throw .noRows }
    guard x.count == n * k else { throw .countMismatch(input: "features", expected: n * k, actual: x.count) }
    if let weights, weights.count != n { throw .countMismatch(input: "weights", expected: n, actual: weights.count) }
    for (r, label) in labels.enumerated() where !(label >= 0 && label <= 1) {
      throw .labelOutOfRange(row: r, value: label)
    }
    for (r, weight) in (weights ?? []).enumerated() where !(weight >= 0 && weight.isFinite) {
      throw .invalidWeight(row: r, value: weight)
    }
    for (i, value) in x.enumerated() where !value.isFinite {
      throw .nonFiniteFeature(row: i / k, column: i % k)
    }
  }

  private static func fitRowMajor(
    _ x: [Double], featureCount k: Int, labels y: [Double], weights: [Double]?,
    l2: Double, maxIterations: Int, tolerance: Double
  ) throws(TrainingError) -> LogisticRegression {
    try validate(
      x, featureCount: k, labels: y, weights: weights, l2: l2, maxIterations: maxIterations, tolerance: tolerance)
    let padded = k == 0 ? [0] : x
    return padded.withUnsafeBufferPointer { xs in
      y.withUnsafeBufferPointer { ys in
        let fit: (UnsafeBufferPointer<Double>?) -> LogisticRegression = { ws in
          let pass = LogisticNewtonPass(features: xs, labels: ys, weights: ws, rows: y.count, featureCount: k)
          return newton(pass, l2: l2, maxIterations: maxIterations, tolerance: tolerance)
        }
        guard let weights else { return fit(nil) }
        return weights.withUnsafeBufferPointer { fit($0) }
      }
    }
  }

  /// Runs damped Newton iterations from β = 0 and the intercept at the logit of the mean label.
  private static func newton(
    _ pass: LogisticNewtonPass, l2: Double, maxIterations: Int, tolerance: Double
  ) -> LogisticRegression {
    let d = pass.featureCount + 1
    var beta = [Double](repeating: 0, count: d)
    beta[0] = startingIntercept(pass)
    var gradient = [Double](repeating: 0, count: d)
    var information = [Double](repeating: 0, count: d * d)

    // Penalized objective at `point`, leaving its penalized gradient and upper information triangle.
    func evaluate(_ point: [Double]) -> Double {
      var value = point.withUnsafeBufferPointer { b in
        gradient.withUnsafeMutableBufferPointer { g in
          information.withUnsafeMutableBufferPointer { h in pass.evaluate(beta: b, gradient: g, information: h) }
        }
      }
      for j in 1..<d {
        value -= 0.5 * l2 * point[j] * point[j]
        gradient[j] -= l2 * point[j]
        information[j * d + j] += l2
      }
      return value
    }

    var objective = evaluate(beta)
    var iterations = 0
    var converged = false
    while iterations < maxIterations {
      for i in 0..<d { for j in 0..<i { information[i * d + j] = information[j * d + i] } }
      guard let step = CholeskySolver.solve(matrix: information, rhs: gradient, size: d) else { break }
      iterations += 1
      let stepSize = step.reduce(0) { max($0, abs($1)) }
      let scale = 1 + beta.reduce(0) { max($0, abs($1)) }
      if stepSize <= tolerance * scale {
        converged = true
        break
      }
      // Newton steps on this concave objective almost always raise it; halve the rare one that does
      // not, allowing for rounding in a sum over many rows.
      let slack = 1e-12 * (1 + abs(objective))
      var fraction = 1.0
      var accepted = false
      for _ in 0..<40 {
        let candidate = (0..<d).map { beta[$0] + fraction * step[$0] }
        let value = evaluate(candidate)
        if value >= objective - slack {
          beta = candidate
          objective = value
          accepted = true
          break
        }
        fraction *= 0.5
      }
      if !accepted { break }
    }
    return LogisticRegression(
      coefficients: Array(beta[1...]), intercept: beta[0], iterations: iterations, converged: converged,
      penalizedLogLikelihood: objective, l2: l2)
  }

  private static func startingIntercept(_ pass: LogisticNewtonPass) -> Double {
    var positive = 0.0
    var total = 0.0
    for r in 0..<pass.rows {
      let weight = pass.weights?[r] ?? 1
      positive += weight * pass.labels[r]
      total += weight
    }
    guard total > 0 else { return 0 }
    let mean = min(max(positive / total, 1e-6), 1 - 1e-6)
    return log(mean / (1 - mean))
  }
}
