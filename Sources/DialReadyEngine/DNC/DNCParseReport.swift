/// What parsing one do-not-call list found: how many lines, how many numbers, and which lines were bad.
public struct DNCParseReport: Sendable {
  /// The most bad lines kept with their reasons; the rest are only counted.
  public static let keptBadLines = 100

  /// Lines in the list, blank lines and the header included (a final line ending starts no new line).
  public var lines = 0
  /// Numbers accepted and added to the builder, duplicates included.
  public var numbers = 0
  /// Lines that were neither numbers, blank, nor the header.
  public var badLines = 0
  /// Blank lines and the header line, which are skipped without complaint.
  public var skippedLines = 0
  /// The first ``keptBadLines`` bad lines: their 1-based line number and why they were refused.
  public var firstBadLines: [(line: Int, reason: String)] = []

  /// An empty report, before any line is read.
  public init() {}
}
