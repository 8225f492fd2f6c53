import Foundation
import Testing

@testable import Scoring

@Suite("Classifier metrics")
struct ClassifierMetricsTests {
  @Test func aucOfAKnownRankingWithTies() throws {
    // Positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4, 0.4: wins 1 + 3 + 1, two ties worth ½ each,
    // so 6 of 9 pairs.
    let metrics = try ClassifierMetrics(
      probabilities: [0.1, 0.4, 0.35, 0.8, 0.4, 0.4], outcomes: [false, false, true, true, true, false])
    #expect(metrics.auc == 6.0 / 9.0)
  }

  @Test(arguments: [
    ([0.1, 0.2, 0.3, 0.4], [false, false, true, true], 1.0),
    ([0.4, 0.3, 0.2, 0.1], [false, false, true, true], 0.0),
    ([0.5, 0.5, 0.5, 0.5], [false, true, false, true], 0.5),
  ])
  func aucOfSimpleRankings(_ probabilities: [Double], _ outcomes: [Bool], _ expected: Double) throws {
    #expect(try ClassifierMetrics(probabilities: probabilities, outcomes: outcomes).auc == expected)
  }

  @Test func aucIsUndefinedForOneClass() throws {
    #expect(try ClassifierMetrics(probabilities: [0.2, 0.9], outcomes: [true, true]).auc == nil)
  }

  @Test(arguments: [0.1, 0.3, 0.5, 0.9])
  func constantPredictorMatchesClosedForms(_ c: Double) throws {
    // 30 positives in 100 rows.
    let outcomes = (0..<100).map { $0 % 10 < 3 }
    let metrics = try ClassifierMetrics(probabilities: [Double](repeating: c, count: 100), outcomes: outcomes)
    let rate = 0.3
    #expect(abs(metrics.logLoss - -(rate * log(c) + (1 - rate) * log(1 - c))) < 1e-12)
    #expect(abs(metrics.brier - (rate * (1 - c) * (1 - c) + (1 - rate) * c * c)) < 1e-12)
    #expect(abs(metrics.expectedCalibrationError - abs(rate - c)) < 1e-12)
  }

  @Test func logLossClampsCertainMistakes() throws {
    let metrics = try ClassifierMetrics(probabilities: [0, 1], outcomes: [true, false])
    #expect(abs(metrics.logLoss - -log(1e-15)) < 1e-9)
    #expect(metrics.brier == 1)
  }

  @Test func calibrationOfWellCalibratedDataIsTight() throws {
    var rng = SplitMix64(seed: 2024)
    let n = 200_000
    var probabilities = [Double]()
    var outcomes = [Bool]()
    for _ in 0..<n {
      let p = rng.uniform()
      probabilities.append(p)
      outcomes.append(rng.uniform() < p)
    }
    let metrics = try ClassifierMetrics(probabilities: probabilities, outcomes: outcomes)
    #expect(metrics.calibration.count == 10)
    #expect(metrics.calibration.map(\.bin) == Array(0..<10))
    #expect(metrics.calibration.reduce(0) { $0 + $1.count } == n)
    #expect(metrics.expectedCalibrationError < 0.01)
    for bin in metrics.calibration {
      let mean = try #require(bin.meanPredicted)
      #expect(mean >= Double(bin.bin) / 10 && mean < Double(bin.bin + 1) / 10)
    }
    #expect(abs(try #require(metrics.auc) - 5.0 / 6.0) < 0.01)
  }

  @Test func edgeProbabilitiesLandInTheEndBins() throws {
    let metrics = try ClassifierMetrics(probabilities: [0, 0.1, 0.95, 1], outcomes: [false, false, true, true])
    #expect(metrics.calibration.map(\.count) == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2])
    #expect(metrics.calibration[2].meanPredicted == nil)
  }

  @Test func encodesTheDocumentedKeys() throws {
    let metrics = try ClassifierMetrics(probabilities: [0.05, 0.95], outcomes: [false, true])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(metrics), as: UTF8.self)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(Set(object.keys) == ["log_loss", "brier", "auc", "calibration", "ece"])
    let bins = try #require(object["calibration"] as? [[String: Any]])
    #expect(bins.count == 10)
    #expect(Set(bins[0].keys) == ["bin", "count", "mean_predicted", "observed_rate"])
    #expect(bins[1]["mean_predicted"] is NSNull)
    #expect(try JSONDecoder().decode(ClassifierMetrics.self, from: Data(json.utf8)) == metrics)
  }

  @Test func badInputsAreRejected() {
    #expect(throws: TrainingError.probabilityOutOfRange(row: 1, value: 1.5)) {
      try ClassifierMetrics(probabilities: [0.5, 1.5], outcomes: [true, false])
    }
    #expect(throws: TrainingError.countMismatch(input: "outcomes", expected: 2, actual: 1)) {
      try ClassifierMetrics(probabilities: [0.5, 0.5], outcomes: [true])
    }
    #expect(throws: TrainingError.noRows) { try ClassifierMetrics(probabilities: [], outcomes: []) }
  }
}
