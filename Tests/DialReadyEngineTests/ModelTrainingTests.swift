import Foundation
import Scoring
import Testing

@testable import DialReadyEngine

/// Trains on histories from `Scripts/simulate-history.py` (a documented generating process, seed 11,
/// 5,000 numbers) and compares with the best log-loss a model could reach on the same holdout.
@Suite("Answer model training", .serialized)
struct ModelTrainingTests {
  struct Bound: Decodable {
    let holdout_start: String
    let bayes_log_loss: Double
    let constant_log_loss: Double
  }

  static let bound: Bound = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: Repository.path("Fixtures/history/simulated-bound.json")))
    return try! JSONDecoder().decode(Bound.self, from: data)
  }()

  static func holdoutStart() -> Int64 {
    var text = bound.holdout_start
    return text.withUTF8 { Timestamp.parse(UnsafeRawBufferPointer($0)) }!
  }

  @Test func trainedModelApproachesTheBayesBoundAndIsCalibrated() throws {
    let history = try CallHistory(path: Repository.path("Fixtures/history/simulated-history.csv"))
    let lookup = try LineTypeLookup(path: Repository.path("Fixtures/history/simulated-lookup.csv"))
    let result = try ModelTraining.train(
      history: history, lookup: lookup, historyName: "simulated", holdoutFrom: Self.holdoutStart())
    #expect(result.trained.logLoss <= Self.bound.bayes_log_loss * 1.02, "log-loss \(result.trained.logLoss) vs bound \(Self.bound.bayes_log_loss)")
    #expect(result.trained.logLoss >= Self.bound.bayes_log_loss * 0.98)
    #expect(result.trained.expectedCalibrationError < 0.02)
    #expect(result.beatsDefault)
  }

  @Test func defaultModelBeatsAConstantPredictor() throws {
    let history = try CallHistory(path: Repository.path("Fixtures/history/simulated-history.csv"))
    let lookup = try LineTypeLookup(path: Repository.path("Fixtures/history/simulated-lookup.csv"))
    let result = try ModelTraining.train(
      history: history, lookup: lookup, historyName: "simulated", holdoutFrom: Self.holdoutStart())
    #expect(result.defaultModel.logLoss < Self.bound.constant_log_loss)
    #expect((result.defaultModel.auc ?? 0) > 0.6)
  }

  @Test func unusableRowsAreCountedNotSkippedSilently() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let path = scratch.write("history.csv", Array("""
      phone,timestamp,outcome
      (212) 368-2049,2026-11-01T15:00:00Z,answered
      (212) 368-2049,yesterday,voicemail
      (212) 368-2049,2026-11-02T15:00:00Z,callback
      646-291-7730,2026-11-02 10:30:00-05:00,machine

      """.utf8))
    let history = try CallHistory(path: path)
    #expect(history.calls.count == 2)
    #expect(history.badTimestamps == 1 && history.firstBadTimestampRows == [3])
    #expect(history.unknownOutcomes == 1 && history.firstUnknownOutcomeRows == [4])
    #expect(history.history(6_462_917_730)?.voicemails == 1)
    #expect(history.warning?.contains("1 rows with unreadable timestamps (first rows 3)") == true)
    let missing = scratch.write("bad.csv", Array("phone,when\n2123682049,2026-11-01T15:00:00Z\n".utf8))
    #expect(throws: DialReadyError.self) { _ = try CallHistory(path: missing) }
  }

  @Test func outcomeAndLineTypeSynonyms() {
    #expect(CallOutcome(word: "Human") == .answered)
    #expect(CallOutcome(word: "answering_machine") == .voicemail)
    #expect(CallOutcome(word: "NO-ANSWER") == .noAnswer)
    #expect(CallOutcome(word: "invalid") == .disconnected)
    #expect(CallOutcome(word: "DNC") == .doNotCall)
    #expect(CallOutcome(word: "callback") == nil)
    #expect(LineType(vendorName: "fixedVoip") == .voip)
    #expect(LineType(vendorName: "nonFixedVoip") == .voip)
    #expect(LineType(vendorName: "tollFree") == .tollFree)
    #expect(LineType(vendorName: "Mobile") == .mobile)
    #expect(LineType(vendorName: "satellite") == nil)
  }

  @Test func timestampsParse() {
    func parse(_ text: String) -> Int64? {
      var text = text
      return text.withUTF8 { Timestamp.parse(UnsafeRawBufferPointer($0)) }
    }
    #expect(parse("1970-01-01T00:00:00Z") == 0)
    #expect(parse("2026-11-25T17:00:00Z") == 1_795_626_000)
    #expect(parse("2026-11-25 12:00:00-05:00") == 1_795_626_000)
    #expect(parse("2026-11-25T17:00Z") == 1_795_626_000)
    #expect(parse("2026-11-25T17:00:00.250Z") == 1_795_626_000)
    #expect(parse("2026-13-25T17:00:00Z") == nil)
    #expect(parse("25/11/2026") == nil)
  }

  @Test func featuresOfOneCall() {
    let parser = PhoneNumberParser()
    let number = parser.parse("(212) 368-2049").number!
    var history = NumberHistory()
    history.record(.answered, at: 0)
    history.record(.voicemail, at: 86_400)
    let vector = UnsafeMutableBufferPointer<Double>.allocate(capacity: AnswerFeatures.count)
    defer { vector.deallocate() }
    AnswerFeatures.fill(vector, number: NumberFeatures(number: number), lineType: .mobile, history: history, localHour: 17, weekend: true, now: 86_400 * 8)
    func value(_ name: String) -> Double { vector[AnswerFeatures.names.firstIndex(of: name)!] }
    #expect(value("mobile_line") == 1 && value("landline_line") == 0)
    #expect(value("evening_local_time") == 1 && value("weekend_local_time") == 1 && value("midday_local_time") == 0)
    #expect(abs(value("history_attempts") - log(3.0)) < 1e-12)
    #expect(abs(value("history_answers") - log(2.0)) < 1e-12)
    #expect(value("last_voicemail") == 1 && value("last_answered") == 0)
    #expect(abs(value("days_since_last_call") - log(8.0)) < 1e-12)
    #expect(value("toll_free") == 0 && value("exchange_555") == 0)
    #expect(value("band_answer_lift") == 0)  // no band counts without local hours

    // Answered twice in the evening, missed twice at midday: the evening band lifts, midday drops.
    var banded = NumberHistory()
    banded.record(.answered, at: 0, localHour: 18)
    banded.record(.answered, at: 1, localHour: 19)
    banded.record(.noAnswer, at: 2, localHour: 12)
    banded.record(.noAnswer, at: 3, localHour: 13)
    #expect(abs(banded.bandAnswerLift(hour: 17) - (3.0 / 6 - 3.0 / 8)) < 1e-12)
    #expect(abs(banded.bandAnswerLift(hour: 11) - (1.0 / 6 - 3.0 / 8)) < 1e-12)
    #expect(banded.bandAnswerLift(hour: 9) == 0)
  }
}

import NANP
