import ArgumentParser
import DialReadyEngine
import Foundation
import Scoring
import TableIO

/// The answer-model options of `classify`.
struct ModelOptions: ParsableArguments {
  @Option(help: "An answer model file from `dialready train`. Default: the built-in prior model.")
  var model: String?

  @Option(help: "Line-type lookups bought elsewhere: CSV with a phone column and a line_type column (mobile, landline, fixedVoip, nonFixedVoip, tollFree).")
  var lookup: String?

  @Flag(help: "Ignore --lookup, as the reference API's skip_mobile_lookup does.")
  var skipMobileLookup = false

  @Option(help: "Past call outcomes: CSV with phone, timestamp and outcome columns (answered/human, voicemail/machine, no_answer, busy, disconnected/invalid, do_not_call).")
  var history: String?

  @Flag(help: "Count how many rows share each number (the list_repeats feature); reads the input twice.")
  var countRepeats = false

  func apply(to options: inout ClassifyOptions) throws {
    if let model {
      do { options.model = try LogisticAnswerModel.load(path: model) } catch {
        standardError("dialready: \(error.description)")
        throw ExitCode(65)
      }
      options.modelPath = model
    }
    options.lookupPath = skipMobileLookup ? nil : lookup
    options.historyPath = history
    options.countRepeats = countRepeats
  }
}

/// Prints metrics as a table or as JSON objects (one per model).
enum MetricsReport {
  static func print(_ rows: [(String, ClassifierMetrics)], json: Bool) throws {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      var objects: [Any] = []
      for (name, metrics) in rows {
        guard var object = try JSONSerialization.jsonObject(with: encoder.encode(metrics)) as? [String: Any] else { continue }
        object["model"] = name
        objects.append(object)
      }
      let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      Swift.print(String(decoding: data, as: UTF8.self))
      return
    }
    for (name, m) in rows {
      Swift.print("\(name): log-loss \(String(format: "%.4f", m.logLoss)), Brier \(String(format: "%.4f", m.brier)), AUC \(m.auc.map { String(format: "%.4f", $0) } ?? "n/a"), ECE \(String(format: "%.4f", m.expectedCalibrationError))")
      Swift.print("  bin   calls  predicted  observed")
      for bin in m.calibration where bin.count > 0 {
        Swift.print("  \(bin.bin)".padding(toLength: 6, withPad: " ", startingAt: 0) + String(bin.count).leftPad(7) + String(format: "%11.3f", bin.meanPredicted ?? 0) + String(format: "%10.3f", bin.observedRate ?? 0))
      }
    }
  }
}

extension String {
  fileprivate func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// The history, lookup and output options `train` and `evaluate` share.
struct HistoryOptions: ParsableArguments {
  @Option(help: "Past call outcomes: phone, timestamp, outcome.")
  var history: String

  @Option(help: "Line-type lookups to use as features.")
  var lookup: String?

  @Flag(help: "Print the metrics as JSON, one object per model.")
  var json = false

  /// Loads the history (printing what it could not use) and the lookups.
  func load() throws(DialReadyError) -> (CallHistory, LineTypeLookup?) {
    let calls = try CallHistory(path: history)
    if let warning = calls.warning { standardError("dialready: note: \(history): \(warning)") }
    let lookups = try lookup.map { (path) throws(DialReadyError) in try LineTypeLookup(path: path) }
    return (calls, lookups)
  }
}

/// `dialready train`.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit an answer model on past call outcomes (L2 logistic regression, time-based holdout) and compare it with the built-in model.")

  @OptionGroup var inputs: HistoryOptions

  @Option(help: "The model file to write.")
  var out: String

  @Option(help: "L2 penalty (not applied to the intercept).")
  var l2: Double = 1.0

  @Flag(help: "Write the model even when it is worse than the built-in one on the holdout.")
  var force = false

  func run() throws {
    let history = inputs.history
    let json = inputs.json
    do {
      var reads = [PathSafety.ReadPath(history, role: "the --history file")]
      if let lookup = inputs.lookup { reads.append(PathSafety.ReadPath(lookup, role: "the --lookup file")) }
      try PathSafety.check(output: out, role: "model file", reads: reads)
      let (calls, lookups) = try inputs.load()
      let result = try ModelTraining.train(history: calls, lookup: lookups, historyName: history, l2: l2)
      try MetricsReport.print([(result.model.modelId, result.trained), (LogisticAnswerModel.default.modelId, result.defaultModel)], json: json)
      guard result.beatsDefault || force else {
        standardError("dialready: \(history): the trained model is worse than the built-in one on the holdout (log-loss \(String(format: "%.4f", result.trained.logLoss)) vs \(String(format: "%.4f", result.defaultModel.logLoss))); no model written (pass --force to write it anyway)")
        throw ExitCode(65)
      }
      let data = try result.model.jsonData()
      let code = data.withUnsafeBytes { FileIO.writeFileAtomically($0, to: out) }
      guard code == 0 else {
        standardError("dialready: \(out): cannot write the model file (\(String(cString: strerror(code)))); check the folder, its permissions and free space")
        throw ExitCode(DialReadyError.isIOError(code) ? 74 : 73)
      }
      if !json { print("wrote \(out) (\(result.trainingCalls) training calls, \(result.holdoutCalls) held out)") }
    } catch let error as DialReadyError {
      standardError("dialready: \(error.description)")
      throw ExitCode(error.exitCode)
    }
  }
}

/// `dialready evaluate`.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure an answer model on a call history: log-loss, Brier score, ROC AUC and a 10-bin calibration table.")

  @OptionGroup var inputs: HistoryOptions

  @Option(help: "The model file (default: the built-in model).")
  var model: String?

  func run() throws {
    do {
      let chosen: LogisticAnswerModel
      if let model {
        do { chosen = try LogisticAnswerModel.load(path: model) } catch { throw DialReadyError.model(error.description) }
      } else {
        chosen = .default
      }
      let (calls, lookups) = try inputs.load()
      let examples = ModelTraining.examples(history: calls, lookup: lookups)
      let metrics = try ModelTraining.metrics(of: chosen, on: examples, name: inputs.history)
      try MetricsReport.print([(chosen.modelId, metrics)], json: inputs.json)
    } catch let error as DialReadyError {
      standardError("dialready: \(error.description)")
      throw ExitCode(error.exitCode)
    }
  }
}
