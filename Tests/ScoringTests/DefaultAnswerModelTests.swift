import Foundation
import NANP
import Testing

@testable import Scoring

@Suite("Built-in answer model")
struct DefaultAnswerModelTests {
  let model = LogisticAnswerModel.default
  let parser = PhoneNumberParser()

  /// Score and class of a number with no lookup, no history, at a neutral local hour (15:00, weekday).
  func classify(_ text: String) -> (Double, AnswerClass) {
    let number = parser.parse(text).number!
    let vector = UnsafeMutableBufferPointer<Double>.allocate(capacity: AnswerFeatures.count)
    defer { vector.deallocate() }
    AnswerFeatures.fill(vector, number: NumberFeatures(number: number), lineType: .unknown, history: nil, localHour: 15, weekend: false, now: 0)
    let score = model.score(UnsafeBufferPointer(vector))
    return (score, score >= model.answerThreshold ? .likelyAnswer : .likelyVoicemail)
  }

  static let patternCases: [(String, SuspiciousPattern)] = [
    ("212-368-2049", []), ("212-555-2368", .exchange555),
    ("212-368-7777", .repeatedLine), ("212-368-1234", .sequentialLine), ("212-368-9876", .sequentialLine),
    ("212-777-7777", [.repeatedLine, .allSameDigits]), ("212-234-5678", [.sequentialNumber, .sequentialLine]),
    ("212-555-5555", [.exchange555, .repeatedLine, .allSameDigits]),
  ]

  @Test(arguments: patternCases)
  func patterns(_ text: String, _ expected: SuspiciousPattern) {
    #expect(SuspiciousPattern(national: parser.parse(text).number!.national) == expected)
  }

  @Test func cleanGeographicNumberScoresTheBaseRate() {
    let (score, answerClass) = classify("(212) 368-2049")
    #expect(abs(score - 0.240) < 0.001)
    #expect(answerClass == .likelyAnswer)
  }

  @Test func kindsAndPatternsLowerTheScore() {
    #expect(classify("1-800-368-2049").1 == .likelyVoicemail)
    #expect(classify("1-900-368-2049").1 == .likelyVoicemail)
    #expect(classify("212-555-2368").1 == .likelyVoicemail)
    #expect(classify("212-368-7777").0 < classify("212-368-2049").0)
    #expect(classify("212-777-7777").0 < classify("212-368-7777").0)
  }

  @Test func modelFilesRoundTrip() throws {
    let data = try model.jsonData()
    let path = "/tmp/dialready-model-\(UInt32.random(in: 0...UInt32.max)).json"
    try data.write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let loaded = try LogisticAnswerModel.load(path: path)
    #expect(loaded.weights == model.weights && loaded.intercept == model.intercept && loaded.modelId == model.modelId)
  }

  @Test func lineTypesFollowTheKind() {
    #expect(LineType(kind: .geographic) == .unknown)
    #expect(LineType(kind: .tollFree) == .tollFree)
    #expect(LineType(kind: .voip) == .voip)
    #expect(LineType.allCases.map(\.rawValue) == ["mobile", "landline", "voip", "toll_free", "premium", "personal", "unknown"])
  }
}

@Suite("Built-in answer model file")
struct DefaultModelFileTests {
  /// The model file shipped as the module's resource, read where the sources keep it.
  static let sourcePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/Scoring/Resources/default-model.json").path

  func expectEqual(_ file: LogisticAnswerModel, _ literal: LogisticAnswerModel) {
    #expect(file.modelId == literal.modelId)
    #expect(file.features == literal.features)
    #expect(file.weights == literal.weights)
    #expect(file.intercept == literal.intercept)
    #expect(file.answerThreshold == literal.answerThreshold)
    #expect(file.training?.notes == literal.training?.notes)
  }

  @Test func resourceFileEqualsTheBuiltInModel() throws {
    expectEqual(try LogisticAnswerModel.load(path: Self.sourcePath), .default)
  }

  @Test func resourceIsBundledWithTheModule() throws {
    let url = try #require(Bundle.module.url(forResource: "default-model", withExtension: "json"))
    expectEqual(try LogisticAnswerModel.load(path: url.path), .default)
  }
}
