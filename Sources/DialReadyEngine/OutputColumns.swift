/// The columns appended to every input row of `processed.csv`, in order (DESIGN §3).
public enum OutputColumns {
  /// Names of the appended columns.
  public static let names = [
    "phone_e164", "phone_extension", "status", "reason", "region", "state", "timezone", "line_type", "dnc",
    "answer_score", "classification", "answer_reasons",
  ]

  /// Header of `rejects.csv`.
  public static let rejectsHeader: StaticString = "row,phone,reason\n"
}

/// A row's status column.
public enum RowStatus: String, Sendable, CaseIterable {
  case valid, invalid, duplicate
}
