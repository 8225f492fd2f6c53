/// How a delimited file is written: its field delimiter (quotes are always `"`, as in RFC 4180).
public struct CSVDialect: Equatable, Sendable, CustomStringConvertible {
  /// The field delimiter byte: `,`, `;`, tab or `|`.
  public var delimiter: UInt8

  /// Comma-separated values.
  public static let comma = CSVDialect(delimiter: UInt8(ascii: ","))

  /// Creates a dialect with the given delimiter.
  public init(delimiter: UInt8) { self.delimiter = delimiter }

  /// Parses a `--delimiter` value: a single character, or `tab`, `\t`, `comma`, `semicolon`, `pipe`.
  public init?(delimiterName: String) {
    switch delimiterName.lowercased() {
    case "tab", "\\t", "\t", "tsv": delimiter = 9
    case "comma", ",": delimiter = UInt8(ascii: ",")
    case "semicolon", ";": delimiter = UInt8(ascii: ";")
    case "pipe", "|": delimiter = UInt8(ascii: "|")
    default:
      let bytes = Array(delimiterName.utf8)
      guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != 10, bytes[0] != 13 else { return nil }
      delimiter = bytes[0]
    }
  }

  /// The delimiter as users write it: `,`, `;`, `\t` or `|`.
  public var description: String {
    delimiter == 9 ? "\\t" : String(UnicodeScalar(delimiter))
  }

  /// The candidates sniffing chooses among.
  public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")]

  /// Picks the delimiter from the start of a file: the candidate that splits the most lines into the
  /// same number of fields (more than one), counting only delimiters outside quotes; ties go to the
  /// earlier candidate (comma first).
  public static func sniff(_ sample: UnsafeRawBufferPointer) -> CSVDialect {
    var best = CSVDialect.comma
    var bestScore = 0
    for candidate in candidates {
      var countsPerLine: [Int: Int] = [:]
      var inQuotes = false
      var fieldStart = true
      var count = 0
      var lines = 0
      for b in sample {
        if inQuotes {
          if b == UInt8(ascii: "\"") { inQuotes = false }
          continue
        }
        if b == UInt8(ascii: "\"") && fieldStart {
          inQuotes = true
          fieldStart = false
        } else if b == candidate {
          count += 1
          fieldStart = true
        } else if b == 10 || b == 13 {
          if count > 0 || !fieldStart { countsPerLine[count, default: 0] += 1 }
          count = 0
          fieldStart = true
          lines += 1
          if lines >= 200 { break }
        } else {
          fieldStart = false
        }
      }
      if count > 0 { countsPerLine[count, default: 0] += 1 }
      // The most common non-zero count, weighted by how many lines share it.
      let score = countsPerLine.filter { $0.key > 0 }.map { $0.value * 1000 + $0.key }.max() ?? 0
      if score > bestScore {
        bestScore = score
        best = CSVDialect(delimiter: candidate)
      }
    }
    return best
  }
}
