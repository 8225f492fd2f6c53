import Foundation
import NANP
import Scoring

/// Trains and evaluates answer models on call histories: every call becomes one example whose features
/// are what was known before it (the number's earlier calls, its looked-up line type, the call's local
/// time) and whose label is whether it was answered.
public enum ModelTraining {
  /// Examples built from a history file.
  public struct Examples {
    /// Row-major features, ``AnswerFeatures/count`` per call.
    public var features: [Double] = []
    public var answered: [Bool] = []
    public var times: [Int64] = []
    public var count: Int { answered.count }
  }

  /// The result of `dialready train`.
  public struct Result {
    public var model: LogisticAnswerModel
    public var trained: ClassifierMetrics
    public var defaultModel: ClassifierMetrics
    public var trainingCalls: Int
    public var holdoutCalls: Int
    /// Whether the trained model beats the default on the holdout (lower log-loss).
    public var beatsDefault: Bool { trained.logLoss <= defaultModel.logLoss }
  }

  /// Builds one example per call of `history`, in time order.
  public static func examples(history: CallHistory, lookup: LineTypeLookup?, table: AreaCodeTable = .shared) -> Examples {
    let order = history.calls.indices.sorted { (history.calls[$0].time, $0) < (history.calls[$1].time, $1) }
    let parser = PhoneNumberParser(allowedRegions: .all)
    let clock = LocalClock(table: table)
    var running: [UInt64: NumberHistory] = [:]
    var examples = Examples()
    examples.features.reserveCapacity(order.count * AnswerFeatures.count)
    let vector = UnsafeMutableBufferPointer<Double>.allocate(capacity: AnswerFeatures.count)
    defer { vector.deallocate() }
    var numberCache: [UInt64: PhoneNumber] = [:]
    for index in order {
      let call = history.calls[index]
      let number: PhoneNumber
      if let known = numberCache[call.national] {
        number = known
      } else {
        guard case .valid(let parsed) = parser.parse(Self.digits(call.national)) else { continue }
        numberCache[call.national] = parsed
        number = parsed
      }
      let local = clock.local(national: call.national, at: call.time)
      AnswerFeatures.fill(
        vector, number: NumberFeatures(number: number), lineType: lookup?.lineType(call.national) ?? .unknown,
        history: running[call.national], localHour: local?.hour, weekend: local?.weekend ?? false, now: call.time)
      examples.features.append(contentsOf: vector)
      examples.answered.append(call.outcome == .answered)
      examples.times.append(call.time)
      running[call.national, default: NumberHistory()].record(call.outcome, at: call.time, localHour: local?.hour)
    }
    return examples
  }

  /// Fits a model on the earlier 80% of calls (by time) and compares it with the default on the rest.
  public static func train(
    history: CallHistory, lookup: LineTypeLookup?, historyName: String, l2: Double = 1.0, holdoutFraction: Double = 0.2,
    holdoutFrom: Int64? = nil
  ) throws(DialReadyError) -> Result {
    let examples = examples(history: history, lookup: lookup)
    let k = AnswerFeatures.count
    var split: (train: [Int], holdout: [Int])
    if let holdoutFrom {
      split = ([], [])
      for i in 0..<examples.count {
        if examples.times[i] >= holdoutFrom { split.holdout.append(i) } else { split.train.append(i) }
      }
    } else {
      do {
        let byFraction = try TimeSplit(timestamps: examples.times, holdoutFraction: holdoutFraction)
        split = (byFraction.train, byFraction.holdout)
      } catch {
        throw .model("\(historyName): cannot split the history for a holdout (\(error))")
      }
    }
    guard !split.train.isEmpty, !split.holdout.isEmpty else {
      throw .model("\(historyName): too few calls to train and hold out (\(examples.count))")
    }
    var trainFeatures: [Double] = []
    trainFeatures.reserveCapacity(split.train.count * k)
    for i in split.train { trainFeatures.append(contentsOf: examples.features[(i * k)..<((i + 1) * k)]) }
    let labels = split.train.map { examples.answered[$0] }
    let fit: LogisticRegression
    do { fit = try LogisticRegression.fit(flatFeatures: trainFeatures, featureCount: k, labels: labels, l2: l2) } catch {
      throw .model("\(historyName): training failed (\(error))")
    }
    let baseRate = Double(labels.filter { $0 }.count) / Double(max(labels.count, 1))
    var model = LogisticAnswerModel(
      modelId: "trained-\(Int(ClassifyOptions.now().timeIntervalSince1970))", weights: fit.coefficients, intercept: fit.intercept,
      answerThreshold: baseRate, training: nil)
    let trained = try metrics(of: model, on: examples, rows: split.holdout, name: historyName)
    let prior = try metrics(of: .default, on: examples, rows: split.holdout, name: historyName)
    model.training = .init(
      trainedAt: ClassifyOptions.now().ISO8601Format(), historyFile: historyName, trainingCalls: split.train.count,
      holdoutCalls: split.holdout.count, l2: l2, holdout: trained, defaultModelHoldout: prior,
      notes: "answer threshold = the training base rate; holdout = the latest \(Int(holdoutFraction * 100))% of calls by time")
    return Result(model: model, trained: trained, defaultModel: prior, trainingCalls: split.train.count, holdoutCalls: split.holdout.count)
  }

  /// A model's metrics on the examples at `rows` (all of them when `nil`).
  public static func metrics(of model: LogisticAnswerModel, on examples: Examples, rows: [Int]? = nil, name: String) throws(DialReadyError) -> ClassifierMetrics {
    let k = AnswerFeatures.count
    let indexes = rows ?? Array(0..<examples.count)
    var probabilities: [Double] = []
    probabilities.reserveCapacity(indexes.count)
    examples.features.withUnsafeBufferPointer { all in
      for i in indexes {
        probabilities.append(model.score(UnsafeBufferPointer(rebasing: all[(i * k)..<((i + 1) * k)])))
      }
    }
    do {
      return try ClassifierMetrics(probabilities: probabilities, outcomes: indexes.map { examples.answered[$0] })
    } catch {
      throw .model("\(name): cannot compute metrics (\(error))")
    }
  }

  private static func digits(_ national: UInt64) -> String { String(national) }
}
