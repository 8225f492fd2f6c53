import NANP
import TableIO

/// Which input column holds the phone numbers, and how it was chosen.
public struct PhoneColumn: Sendable, Equatable {
  /// Zero-based column index.
  public let index: Int
  /// The header text of the column.
  public let name: String
  /// How it was chosen: `option` (`--phone-column`), `header` (a known name) or `content` (most values parse).
  public let chosenBy: String
  /// For `content`: the share of sampled values that parsed.
  public let parsedShare: Double?

  /// Header names recognised as phone columns, normalized (lower case, no spaces, `_` or `-`), best first.
  public static let knownNames = [
    "phone", "phonenumber", "phone1", "primaryphone", "mobile", "mobilephone", "mobilenumber", "cell",
    "cellphone", "cellnumber", "telephone", "telephonenumber", "tel", "phoneno", "contactnumber",
    "contactphone", "workphone", "homephone", "businessphone", "directdial", "number", "msisdn", "e164",
    "phonenumbers", "telefono", "téléphone", "telefone",
  ]

  /// Lower-cases a header name and drops spaces, `_`, `-` and `.`, so `Phone Number` = `phone_number` = `phoneNumber`.
  public static func normalize(_ name: String) -> String {
    String(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" && $0 != "." && $0 != "\u{FEFF}" })
  }

  /// Chooses the phone column: the named one, else a known header name, else the column where most of
  /// the sampled values parse (at least half). `nil` when none qualifies.
  public static func choose(
    header: [String], requested: String?, sample: [[String]], parser: PhoneNumberParser
  ) -> Result<PhoneColumn, PhoneColumnProblem> {
    let normalized = header.map(normalize)
    if let requested {
      let key = normalize(requested)
      if let at = normalized.firstIndex(of: key) {
        return .success(PhoneColumn(index: at, name: header[at], chosenBy: "option", parsedShare: nil))
      }
      if let number = Int(requested), number >= 1, number <= header.count {
        return .success(PhoneColumn(index: number - 1, name: header[number - 1], chosenBy: "option", parsedShare: nil))
      }
      return .failure(.unknown(requested))
    }
    for known in knownNames {
      if let at = normalized.firstIndex(of: known) {
        return .success(PhoneColumn(index: at, name: header[at], chosenBy: "header", parsedShare: nil))
      }
    }
    // Names that contain a known word (`Primary Phone #`, `Owner Cell`).
    for (at, name) in normalized.enumerated()
    where name.contains("phone") || name.contains("mobile") || name.contains("cell") || name.hasPrefix("tel") {
      return .success(PhoneColumn(index: at, name: header[at], chosenBy: "header", parsedShare: nil))
    }
    var best: (index: Int, share: Double)?
    for column in header.indices {
      var parsed = 0
      var nonEmpty = 0
      for row in sample where column < row.count {
        let value = row[column]
        if value.isEmpty { continue }
        nonEmpty += 1
        if parser.parse(value).number != nil { parsed += 1 }
      }
      guard nonEmpty > 0 else { continue }
      let share = Double(parsed) / Double(max(nonEmpty, sample.count / 2))
      if share >= 0.5 && share > (best?.share ?? 0) { best = (column, share) }
    }
    if let best {
      return .success(PhoneColumn(index: best.index, name: header[best.index], chosenBy: "content", parsedShare: best.share))
    }
    return .failure(.notFound)
  }
}

/// Why no phone column could be chosen.
public enum PhoneColumnProblem: Error, Equatable {
  /// `--phone-column` names no column.
  case unknown(String)
  /// No header name or column content looks like phone numbers.
  case notFound
}
