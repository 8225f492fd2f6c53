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
