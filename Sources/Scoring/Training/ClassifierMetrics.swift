#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How well predicted probabilities match observed yes/no outcomes: log-loss, Brier score, ROC AUC
/// and calibration.
///
/// Encodes as `{"log_loss", "brier", "auc", "calibration": [{"bin", "count", "mean_predicted",
/// "observed_rate"}], "ece"}`; `auc` is `null` when the outcomes are all one class.
public struct ClassifierMetrics: Sendable, Equatable, Codable {
  /// Mean negative log-likelihood, with the probability given to each outcome clamped at 1e-15.
  public var logLoss: Double
  /// Mean squared difference between probability and outcome.
  public var brier: Double
  /// Area under the ROC curve: the chance a random positive outranks a random negative, ties
  /// counting one half; nil when there are no positives or no negatives.
  public var auc: Double?
  /// Equal-width bins over [0, 1], lowest first; every bin is present, empty ones included.
  public var calibration: [CalibrationBin]
  /// Expected calibration error: the count-weighted mean of |observed rate − mean predicted| over
  /// the bins.
  public var expectedCalibrationError: Double

  /// The smallest probability an outcome is given before taking its logarithm.
  public static let logLossEpsilon = 1e-15

  enum CodingKeys: String, CodingKey {
    case logLoss = "log_loss"
    case brier
    case auc
    case calibration
    case expectedCalibrationError = "ece"
  }

  /// Scores `probabilities` against `outcomes`, row by row.
  ///
  /// - Parameters:
  ///   - probabilities: Predicted chances of a positive outcome, each in [0, 1].
  ///   - outcomes: What happened, one per prediction.
  ///   - binCount: The number of equal-width calibration bins (10 by default).
  /// - Throws: `TrainingError.noRows`, `.countMismatch` when the arrays differ in length,
  ///   `.probabilityOutOfRange` for a value outside [0, 1], or `.invalidParameter` for `binCount` < 1.
  public init(probabilities: [Double], outcomes: [Bool], binCount: Int = 10) throws(TrainingError) {
    let n = probabilities.count
    guard n > 0 else { throw .noRows }
    guard outcomes.count == n else { throw .countMismatch(input: "outcomes", expected: n, actual: outcomes.count) }
    guard binCount >= 1 else {
      throw .invalidParameter(name: "binCount", value: Double(binCount), allowed: "1 or more")
    }
    for (r, p) in probabilities.enumerated() where !(p >= 0 && p <= 1) {
      throw .probabilityOutOfRange(row: r, value: p)
    }

    var logLossSum = 0.0
    var brierSum = 0.0
    var binCounts = [Int](repeating: 0, count: binCount)
    var binPredicted = [Double](repeating: 0, count: binCount)
    var binPositive = [Int](repeating: 0, count: binCount)
    let epsilon = Self.logLossEpsilon
    for i in 0..<n {
      let p = probabilities[i]
      let y = outcomes[i]
      // Clamping the probability given to what happened (p or 1 − p, exact for p ≥ ½) makes a
      // certain mistake cost exactly −log 1e-15 either way.
      logLossSum -= log(max(y ? p : 1 - p, epsilon))
      let error = p - (y ? 1 : 0)
      brierSum += error * error
      let b = min(Int(p * Double(binCount)), binCount - 1)
      binCounts[b] += 1
      binPredicted[b] += p
      if y { binPositive[b] += 1 }
    }

    var bins = [CalibrationBin]()
    bins.reserveCapacity(binCount)
    var gapSum = 0.0
    for b in 0..<binCount {
      let count = binCounts[b]
      guard count > 0 else {
        bins.append(CalibrationBin(bin: b, count: 0, meanPredicted: nil, observedRate: nil))
        continue
      }
      let mean = binPredicted[b] / Double(count)
      let rate = Double(binPositive[b]) / Double(count)
      gapSum += Double(count) * abs(rate - mean)
      bins.append(CalibrationBin(bin: b, count: count, meanPredicted: mean, observedRate: rate))
    }

    logLoss = logLossSum / Double(n)
    brier = brierSum / Double(n)
    auc = Self.rocAUC(probabilities: probabilities, outcomes: outcomes)
    calibration = bins
    expectedCalibrationError = gapSum / Double(n)
  }

  /// Creates metrics from known values, for instance ones read back from a file.
  public init(
    logLoss: Double, brier: Double, auc: Double?, calibration: [CalibrationBin], expectedCalibrationError: Double
  ) {
    self.logLoss = logLoss
    self.brier = brier
    self.auc = auc
    self.calibration = calibration
    self.expectedCalibrationError = expectedCalibrationError
  }

  /// Encodes every key, writing `null` for an undefined AUC.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(logLoss, forKey: .logLoss)
    try container.encode(brier, forKey: .brier)
    try container.encode(auc, forKey: .auc)
    try container.encode(calibration, forKey: .calibration)
    try container.encode(expectedCalibrationError, forKey: .expectedCalibrationError)
  }

  /// ROC AUC by the rank-sum (Mann–Whitney) formula in O(n log n); tied probabilities share the
  /// mean of their ranks, which counts each positive–negative tie as one half.
  static func rocAUC(probabilities: [Double], outcomes: [Bool]) -> Double? {
    let n = probabilities.count
    let positives = outcomes.reduce(0) { $0 + ($1 ? 1 : 0) }
    let negatives = n - positives
    guard positives > 0, negatives > 0 else { return nil }
    let order = (0..<n).sorted { probabilities[$0] < probabilities[$1] }
    var positiveRankSum = 0.0
    var start = 0
    while start < n {
      var end = start + 1
      while end < n, probabilities[order[end]] == probabilities[order[start]] { end += 1 }
      // Ranks start..<end (1-based start + 1 ... end) share their mean.
      let meanRank = Double(start + 1 + end) / 2
      for i in start..<end where outcomes[order[i]] { positiveRankSum += meanRank }
      start = end
    }
    let p = Double(positives)
    return (positiveRankSum - p * (p + 1) / 2) / (p * Double(negatives))
  }
}
