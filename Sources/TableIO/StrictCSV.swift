/// A strict RFC 4180 reader for checking what DialReady writes: every output must parse with it.
///
/// Strict means what Python's `csv` module does with `strict=True` and more: a quote may only open a
/// field, a quoted field must close and be followed by a comma or a line end, and an unquoted field
/// may not hold a quote. Lines end with LF or CRLF.
public enum StrictCSV {
  /// Why bytes are not strict CSV, with the 1-based record and the byte offset.
  public struct Violation: Error, Equatable, CustomStringConvertible, Sendable {
    public var record: Int
    public var byteOffset: Int
    public var problem: String
    public var description: String { "record \(record) (byte \(byteOffset)): \(problem)" }
  }

  /// The number of fields of each record of `bytes`, or the first violation. A final line end is
  /// optional; an empty input has no records.
  public static func fieldCounts(_ bytes: UnsafeRawBufferPointer) -> Result<[Int], Violation> {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 10, cr: UInt8 = 13
    var counts: [Int] = []
    var fields = 0
    var i = 0
    let n = bytes.count
    func violation(_ problem: String) -> Result<[Int], Violation> {
      .failure(Violation(record: counts.count + 1, byteOffset: i, problem: problem))
    }
    while i < n {
      // At the start of a field.
      if bytes[i] == quote {
        i += 1
        var closed = false
        while i < n {
          if bytes[i] == quote {
            if i + 1 < n && bytes[i + 1] == quote {
              i += 2
              continue
            }
            closed = true
            i += 1
            break
          }
          i += 1
        }
        if !closed { return violation("a quoted field never closes") }
      } else {
        while i < n && bytes[i] != comma && bytes[i] != lf && bytes[i] != cr {
          if bytes[i] == quote { return violation("a quote inside an unquoted field") }
          i += 1
        }
      }
      fields += 1
      if i == n { break }
      switch bytes[i] {
      case comma:
        i += 1
        if i == n { fields += 1 }
      case lf:
        counts.append(fields)
        fields = 0
        i += 1
      case cr:
        guard i + 1 < n, bytes[i + 1] == lf else { return violation("a carriage return outside quotes not followed by a line feed") }
        counts.append(fields)
        fields = 0
        i += 2
      default:
        return violation("text after a closing quote")
      }
    }
    if fields > 0 { counts.append(fields) }
    return .success(counts)
  }

  /// Checks that `bytes` parse strictly and that every record has as many fields as the first (when
  /// `sameWidth`) or at least as many (rows longer than the header keep their extra fields).
  public static func check(_ bytes: UnsafeRawBufferPointer, sameWidth: Bool = true) -> Violation? {
    switch fieldCounts(bytes) {
    case .failure(let violation): return violation
    case .success(let counts):
      guard let width = counts.first else { return nil }
      for (r, count) in counts.enumerated() where sameWidth ? count != width : count < width {
        return Violation(record: r + 1, byteOffset: -1, problem: "\(count) fields where the header has \(width)")
      }
      return nil
    }
  }
}
