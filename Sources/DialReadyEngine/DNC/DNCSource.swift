/// One do-not-call list that went into an index: which file it was, what it claimed to be as of,
/// and what came out of it.
public struct DNCSource: Sendable, Equatable {
  /// The list's name as the user knows it, usually its file name (`DNC_212.txt`).
  public var name: String
  /// The SHA-256 of the list file as 64 lowercase hex characters, so an index can be traced back
  /// to the exact download.
  public var sha256: String
  /// The newest date the list claims for itself (its file time or the date in its name), in unix
  /// seconds; safe harbor needs a copy no older than 31 days.
  public var date: Int64
  /// Numbers the list held, duplicates included.
  public var numbers: Int
  /// Lines of the list that were not numbers and were left out.
  public var badLines: Int

  /// Describes one list that went into an index.
  public init(name: String, sha256: String, date: Int64, numbers: Int, badLines: Int) {
    self.name = name
    self.sha256 = sha256
    self.date = date
    self.numbers = numbers
    self.badLines = badLines
  }
}
