import NANP
import Scoring

/// A cache of line-type lookups bought elsewhere (`--lookup FILE`: a phone column and a `line_type`
/// column with vendor words such as `mobile`, `landline`, `fixedVoip`, `tollFree`).
public final class LineTypeLookup: @unchecked Sendable {  // Written only in `init`; read-only after.
  private var types: [UInt64: LineType] = [:]
  /// Rows whose line type word is unknown (kept as `unknown`), and the first of them.
  public private(set) var unknownWords = 0
  public private(set) var firstUnknownRows: [Int] = []
  /// Rows whose phone does not parse.
  public private(set) var invalidPhones = 0
  /// Numbers with a line type.
  public var count: Int { types.count }

  /// Loads a lookup file.
  public init(path: String) throws(DialReadyError) {
    let scan = try TableScan(path: path)
    let parser = PhoneNumberParser(allowedRegions: .all)
    let phone = try scan.phoneColumn(parser: parser)
    guard let typeColumn = scan.column(["linetype", "type", "phonetype", "numbertype", "carriertype"]) else {
      throw .lookupColumnMissing(path: path, column: "line_type", columns: scan.header)
    }
    try scan.forEachRow { row, field in
      guard case .valid(let number) = parser.parse(field(phone)) else {
        invalidPhones += 1
        return
      }
      let word = String(decoding: field(typeColumn), as: UTF8.self)
      if let type = LineType(vendorName: word) {
        types[number.national] = type
      } else {
        unknownWords += 1
        if firstUnknownRows.count < 100 { firstUnknownRows.append(row) }
      }
    }
  }

  /// The looked-up line type of a number, or `.unknown`.
  @inline(__always)
  public func lineType(_ national: UInt64) -> LineType { types[national] ?? .unknown }
}
