import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@testable import Scoring

@Suite("Logistic regression fitting")
struct LogisticRegressionTests {
  /// Rows of standard normal features with outcomes drawn from σ(intercept + β·x).
  static func simulate(
    rows: Int, coefficients: [Double], intercept: Double, seed: UInt64
  ) -> (features: [Double], labels: [Bool]) {
    let k = coefficients.count
    var rng = SplitMix64(seed: seed)
    var features = [Double](repeating: 0, count: rows * k)
    var labels = [Bool](repeating: false, count: rows)
    for r in 0..<rows {
      var eta = intercept
      for j in 0..<k {
        let value = rng.normal()
        features[r * k + j] = value
        eta += coefficients[j] * value
      }
      labels[r] = rng.uniform() < LogisticRegression.logistic(eta)
    }
    return (features, labels)
  }

  @Test func recoversKnownCoefficients() throws {
    let truth = [0.8, -0.5, 0.3, 0.0, 1.2]
    let (flat, labels) = Self.simulate(rows: 200_000, coefficients: truth, intercept: -0.4, seed: 42)
    let rows = (0..<labels.count).map { Array(flat[$0 * 5..<($0 + 1) * 5]) }
    let model = try LogisticRegression.fit(features: rows, labels: labels)
    #expect(model.converged)
    #expect(model.iterations < 15)
    for (fitted, expected) in zip(model.coefficients, truth) {
      #expect(abs(fitted - expected) < 0.05)
    }
    #expect(abs(model.intercept - -0.4) < 0.05)
    #expect(model.penalizedLogLikelihood < 0)
    let flatModel = try LogisticRegression.fit(flatFeatures: flat, featureCount: 5, labels: labels)
    #expect(flatModel == model)
  }

  @Test func fitIsDeterministic() throws {
    let (flat, labels) = Self.simulate(rows: 5_000, coefficients: [1, -1, 0.5], intercept: 0.2, seed: 9)
    let first = try LogisticRegression.fit(flatFeatures: flat, featureCount: 3, labels: labels)
    let second = try LogisticRegression.fit(flatFeatures: flat, featureCount: 3, labels: labels)
    #expect(first == second)
  }

  @Test func perfectSeparationStaysFiniteWithL2() throws {
    let features: [[Double]] = [[-2], [-1], [-0.5], [0.5], [1], [2]]
    let labels = [false, false, false, true, true, true]
    let model = try LogisticRegression.fit(features: features, labels: labels)
    #expect(model.converged)
    #expect(model.coefficients[0].isFinite && model.coefficients[0] > 0 && model.coefficients[0] < 10)
    #expect(abs(model.intercept) < 1e-9)
    // Without the penalty the maximum does not exist: the slope keeps growing and the fit says so.
    let unpenalized = try LogisticRegression.fit(features: features, labels: labels, l2: 0)
    #expect(!unpenalized.converged)
    #expect(unpenalized.coefficients[0].isFinite && unpenalized.coefficients[0] > model.coefficients[0])
  }

  @Test func interceptOnlyFitIsTheLogitOfTheMean() throws {
    let model = try LogisticRegression.fit(
      features: [[Double]](repeating: [], count: 4), labels: [true, false, true, true])
    #expect(model.converged)
    #expect(abs(model.intercept - log(3.0)) < 1e-10)
  }

  @Test func weightTwoEqualsADuplicatedRow() throws {
    let features: [[Double]] = [[0.1, 1], [0.7, -1], [-0.3, 0.4], [1.2, 0.2], [-1, -0.5]]
    let labels = [true, false, false, true, true]
    let weighted = try LogisticRegression.fit(
      features: features, labels: labels, weights: [1, 2, 1, 1, 1])
    let duplicated = try LogisticRegression.fit(
      features: features + [features[1]], labels: labels + [labels[1]])
    for (a, b) in zip(weighted.coefficients + [weighted.intercept], duplicated.coefficients + [duplicated.intercept]) {
      #expect(abs(a - b) < 1e-9)
    }
  }

  @Test func collinearFeaturesFallBackToARidge() throws {
    let model = try LogisticRegression.fit(
      features: [[1, 1], [2, 2], [3, 3], [4, 4]], labels: [false, true, false, true], l2: 0)
    #expect(model.coefficients.allSatisfy { $0.isFinite })
    #expect(abs(model.coefficients[0] - model.coefficients[1]) < 1e-6)
  }

  @Test func predictionsUseTheFittedCoefficients() throws {
    let model = LogisticRegression(coefficients: [2, -1], intercept: 0.5)
    #expect(abs(try model.probability([1, 1]) - LogisticRegression.logistic(1.5)) < 1e-15)
    #expect(try model.probabilities(flatFeatures: [1, 1, 0, 0]) == model.probabilities(features: [[1, 1], [0, 0]]))
    #expect(throws: TrainingError.countMismatch(input: "row", expected: 2, actual: 1)) {
      try model.probability([1])
    }
  }

  @Test func badInputsAreRejected() {
    #expect(throws: TrainingError.raggedRow(row: 1, expected: 2, actual: 1)) {
      try LogisticRegression.fit(features: [[1, 2], [3]], labels: [true, false])
    }
    #expect(throws: TrainingError.labelOutOfRange(row: 1, value: 2)) {
      try LogisticRegression.fit(features: [[1], [2]], labels: [0.0, 2.0])
    }
    #expect(throws: TrainingError.nonFiniteFeature(row: 1, column: 0)) {
      try LogisticRegression.fit(features: [[1], [.nan]], labels: [true, false])
    }
    #expect(throws: TrainingError.invalidWeight(row: 0, value: -1)) {
      try LogisticRegression.fit(features: [[1], [2]], labels: [true, false], weights: [-1, 1])
    }
    #expect(throws: TrainingError.countMismatch(input: "features", expected: 4, actual: 3)) {
      try LogisticRegression.fit(flatFeatures: [1, 2, 3], featureCount: 2, labels: [true, false])
    }
    #expect(throws: TrainingError.noRows) {
      try LogisticRegression.fit(features: [], labels: [Bool]())
    }
  }
}
