import Foundation
import NANP
import Scoring

/// What the engine says about one number (`POST /api/v1/contacts`, support tools): the same parser,
/// region check, do-not-call lists and answer model as a `classify` run, for a single value.
public struct NumberClassification: Sendable, Equatable {
  /// `+1NXXNXXXXXX` when the value holds one valid number in the allowed regions.
  public var e164: String?
  /// The reject reason (`not_a_number`, `outside_allowed_regions`, …) when it does not.
  public var reason: String?
  /// The number's region (`US`, `CA`, …).
  public var region: String?
  /// On one of the do-not-call lists.
  public var dnc: Bool
  /// The answer probability (valid numbers not on a list).
  public var score: Double?
  /// `Likely Answer`, `Likely Voicemail`, `Likely Disconnected`, `Do Not Call` or `Invalid`.
  public var classification: String
  /// The features that moved the score most.
  public var reasons: [String]
}

/// Classifies single numbers with the lists, lookups, history and model of ``ClassifyOptions``, loaded
/// once. Thread-safe: each call builds its own scorer state.
public final class NumberClassifier: @unchecked Sendable {  // Immutable after `init`; DNCIndex holds a mapping.
  private let parser: PhoneNumberParser
  private let dnc: [DNCIndex]
  private let lookup: LineTypeLookup?
  private let history: CallHistory?
  private let model: LogisticAnswerModel

  /// Opens `options.dncPaths`, `lookupPath`, `historyPath` and takes `options.model` and `regions`.
  public init(options: ClassifyOptions) throws(DialReadyError) {
    parser = PhoneNumberParser(allowedRegions: options.regions)
    dnc = try DNCLists.open(options.dncPaths)
    lookup = try options.lookupPath.map { (path) throws(DialReadyError) in try LineTypeLookup(path: path) }
    history = try options.historyPath.map { (path) throws(DialReadyError) in try CallHistory(path: path, keepCalls: false) }
    model = options.model
  }

  /// Classifies `text` for a call planned at `at`.
  public func classify(_ text: String, at: Date) -> NumberClassification {
    switch parser.parse(text) {
    case .invalid(let reason):
      return NumberClassification(
        e164: nil, reason: reason.rawValue, region: nil, dnc: false, score: nil, classification: AnswerClass.invalid.rawValue,
        reasons: [])
    case .valid(let number):
      let region = number.region.description
      if dnc.contains(where: { $0.contains(number.national) }) {
        return NumberClassification(
          e164: number.e164, reason: nil, region: region, dnc: true, score: nil,
          classification: AnswerClass.doNotCall.rawValue, reasons: [])
      }
      var scorer = AnswerScorer(
        model: model, lookup: lookup, history: history, table: parser.table, at: Int64(at.timeIntervalSince1970))
      let scored = scorer.score(number)
      let names = [scored.reasons.0, scored.reasons.1, scored.reasons.2].filter { $0 >= 0 }.map { model.features[$0] }
      return NumberClassification(
        e164: number.e164, reason: nil, region: region, dnc: false, score: scored.score,
        classification: scored.answerClass.rawValue, reasons: names)
    }
  }
}
