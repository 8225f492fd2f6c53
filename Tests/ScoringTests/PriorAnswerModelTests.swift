import NANP
import Testing

@testable import Scoring

@Suite("Prior answer model")
struct PriorAnswerModelTests {
  let model = PriorAnswerModel()
  let parser = PhoneNumberParser()

  func classify(_ text: String) -> (Double, AnswerClass) {
    let number = parser.parse(text).number!
    let score = model.score(NumberFeatures(number: number))
    return (score, model.answerClass(forScore: score))
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

  @Test func cleanGeographicNumberIsLikelyAnswer() {
    let (score, answerClass) = classify("(212) 368-2049")
    #expect(abs(score - 0.550) < 0.001)
    #expect(answerClass == .likelyAnswer)
  }

  @Test func kindsAndPatternsLowerTheScore() {
    #expect(classify("1-800-368-2049").1 == .likelyVoicemail)
    #expect(classify("1-900-368-2049").1 == .likelyDisconnected)
    #expect(classify("212-555-2368").1 == .likelyDisconnected)
    #expect(classify("212-368-7777").1 == .likelyVoicemail)
    #expect(classify("212-777-7777").1 == .likelyDisconnected)
    #expect(classify("500-368-2049").1 == .likelyVoicemail)
  }

  @Test func lineTypesFollowTheKind() {
    #expect(LineType(kind: .geographic) == .unknown)
    #expect(LineType(kind: .tollFree) == .tollFree)
    #expect(LineType(kind: .voip) == .voip)
    #expect(LineType.allCases.map(\.rawValue) == ["mobile", "landline", "voip", "toll_free", "premium", "personal", "unknown"])
  }

  @Test func scoresStayInRange() {
    for kind in NumberKind.allCases {
      for bits in 0..<32 {
        let score = model.score(NumberFeatures(kind: kind, lineType: LineType(kind: kind), patterns: SuspiciousPattern(rawValue: UInt8(bits))))
        #expect(score > 0 && score < 1)
      }
    }
  }
}
