import NANP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an answer model sees of one valid number.
public struct NumberFeatures: Sendable {
  /// The number's kind from the numbering data.
  public var kind: NumberKind
  /// The line type (from the kind until a lookup file says more).
  public var lineType: LineType
  /// Suspicious digit patterns.
  public var patterns: SuspiciousPattern

  /// Creates features from their parts.
  public init(kind: NumberKind, lineType: LineType, patterns: SuspiciousPattern) {
    self.kind = kind
    self.lineType = lineType
    self.patterns = patterns
  }

  /// Derives the features of `number` from the number alone.
  public init(number: PhoneNumber) {
    kind = number.kind
    lineType = LineType(kind: number.kind)
    patterns = SuspiciousPattern(national: number.national)
  }
}

/// A model that turns a number's features into an answer-likelihood score and a class.
public protocol AnswerModel: Sendable {
  /// A stable identifier recorded in every manifest.
  var modelID: String { get }
  /// The answer score in [0, 1].
  func score(_ features: NumberFeatures) -> Double
  /// The class a score falls in (for a valid, non-duplicate, callable number).
  func answerClass(forScore score: Double) -> AnswerClass
}

extension AnswerModel {
  /// The logistic function.
  @inline(__always)
  public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
}
