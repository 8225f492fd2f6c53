import Foundation

/// An answer model file: a logistic regression over ``AnswerFeatures``, its class threshold and where
/// it came from. `dialready train` writes one; `--model FILE` uses one; ``default`` ships built in.
public struct LogisticAnswerModel: Codable, Sendable {
  /// A stable identifier recorded in every manifest.
  public var modelId: String
  /// Feature names, in the order of ``weights`` (must be ``AnswerFeatures/names``).
  public var features: [String]
  /// One weight per feature (logit scale).
  public var weights: [Double]
  /// The logit of a call with every feature at 0.
  public var intercept: Double
  /// Scores at or above it are `Likely Answer`; below, `Likely Voicemail`.
  public var answerThreshold: Double
  /// How the model was made (training data, holdout metrics), or the sources of a prior model.
  public var training: TrainingRecord?

  enum CodingKeys: String, CodingKey {
    case modelId = "model_id", features, weights, intercept, answerThreshold = "answer_threshold", training
  }

  /// How a model was made.
  public struct TrainingRecord: Codable, Sendable {
    enum CodingKeys: String, CodingKey {
      case trainedAt = "trained_at", historyFile = "history_file", trainingCalls = "training_calls"
      case holdoutCalls = "holdout_calls", l2, holdout, defaultModelHoldout = "default_model_holdout", notes
    }

    public var trainedAt: String?
    public var historyFile: String?
    public var trainingCalls: Int?
    public var holdoutCalls: Int?
    public var l2: Double?
    public var holdout: ClassifierMetrics?
    public var defaultModelHoldout: ClassifierMetrics?
    public var notes: String?

    public init(
      trainedAt: String? = nil, historyFile: String? = nil, trainingCalls: Int? = nil, holdoutCalls: Int? = nil,
      l2: Double? = nil, holdout: ClassifierMetrics? = nil, defaultModelHoldout: ClassifierMetrics? = nil, notes: String? = nil
    ) {
      self.trainedAt = trainedAt
      self.historyFile = historyFile
      self.trainingCalls = trainingCalls
      self.holdoutCalls = holdoutCalls
      self.l2 = l2
      self.holdout = holdout
      self.defaultModelHoldout = defaultModelHoldout
      self.notes = notes
    }
  }

  /// Creates a model.
  public init(modelId: String, weights: [Double], intercept: Double, answerThreshold: Double, training: TrainingRecord?) {
    self.modelId = modelId
    self.features = AnswerFeatures.names
    self.weights = weights
    self.intercept = intercept
    self.answerThreshold = answerThreshold
    self.training = training
  }

  /// The answer probability of a feature vector.
  @inline(__always)
  public func score(_ vector: UnsafeBufferPointer<Double>) -> Double {
    var logit = intercept
    weights.withUnsafeBufferPointer { w in
      for i in 0..<w.count { logit += w[i] * vector[i] }
    }
    return 1 / (1 + exp(-logit))
  }

  /// The probability and the three strongest features in one pass over the vector (what a row needs).
  @inline(__always)
  public func scoreAndReasons(_ vector: UnsafeBufferPointer<Double>) -> (score: Double, reasons: (Int, Int, Int)) {
    var logit = intercept
    var best = (-1, -1, -1)
    var size = (0.0, 0.0, 0.0)
    weights.withUnsafeBufferPointer { w in
      for i in 0..<w.count {
        let x = vector[i]
        if x == 0 { continue }
        let contribution = w[i] * x
        logit += contribution
        let c = abs(contribution)
        if c < 1e-9 { continue }
        if c > size.0 {
          (best.2, size.2) = (best.1, size.1)
          (best.1, size.1) = (best.0, size.0)
          (best.0, size.0) = (i, c)
        } else if c > size.1 {
          (best.2, size.2) = (best.1, size.1)
          (best.1, size.1) = (i, c)
        } else if c > size.2 {
          (best.2, size.2) = (i, c)
        }
      }
    }
    return (1 / (1 + exp(-logit)), best)
  }

  /// Reads and checks a model file.
  public static func load(path: String) throws(ModelFileError) -> LogisticAnswerModel {
    let data: Data
    // Foundation's reader leaks its buffer on an empty file: an empty file is read as no bytes here.
    let empty = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0
    do { data = empty ? Data() : try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw .unreadable(path: path) }
    let model: LogisticAnswerModel
    do {
      model = try JSONDecoder().decode(LogisticAnswerModel.self, from: data)
    } catch {
      throw .invalid(path: path, detail: "not a model file (\(error))")
    }
    guard model.features == AnswerFeatures.names, model.weights.count == model.features.count else {
      throw .invalid(path: path, detail: "its features do not match this version's: \(AnswerFeatures.names.joined(separator: ","))")
    }
    guard model.weights.allSatisfy(\.isFinite), model.intercept.isFinite, (0...1).contains(model.answerThreshold) else {
      throw .invalid(path: path, detail: "weights must be finite and answer_threshold within 0...1")
    }
    return model
  }

  /// The model as pretty JSON with sorted, snake_case keys.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(10)
    return data
  }
}

/// Why a model file cannot be used.
public enum ModelFileError: Error, CustomStringConvertible {
  case unreadable(path: String)
  case invalid(path: String, detail: String)

  public var description: String {
    switch self {
    case .unreadable(let path): return "\(path): cannot read the model file; check the path"
    case .invalid(let path, let detail): return "\(path): \(detail); train it again with `dialready train`"
    }
  }
}
