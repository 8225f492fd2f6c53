#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NANP
import Scoring
import TableIO

/// The layout of the outputs, in one place: the column order and header lines of `processed.csv`,
/// `processed-filtered.csv` and `rejects.csv`, and the rendering of every kind of row (valid, invalid,
/// duplicate, seen on an earlier run, with or without the calling-window columns). Rows are rendered
/// once, after their duplicate status is known; nothing patches rendered bytes afterwards.
///
/// Every value the appended columns can take is rendered up front (states per area code, time-zone
/// sets, regions, reasons, line types, classes, feature names), so a row is a few copies.
final class OutputLayout: Sendable {
  let table: AreaCodeTable
  private let states: ValueTable
  private let zoneSets: ValueTable
  private let regions: ValueTable
  private let reasons: ValueTable
  private let lineTypes: ValueTable
  private let classes: ValueTable
  /// Each feature's name, for the `answer_reasons` column.
  private let reasonNames: ValueTable
  /// `--excel-safe`: input cells that a spreadsheet would run as a formula get a leading `'`.
  let excelSafe: Bool
  /// The appended columns, in order: ``OutputColumns/names``, then the calling-window columns when on.
  let appendedColumns: [String]

  init(table: AreaCodeTable, model: LogisticAnswerModel, excelSafe: Bool = false, callingWindow: Bool = false) {
    self.table = table
    self.excelSafe = excelSafe
    states = ValueTable((0..<1000).map { table.state(npa: $0) ?? "" })
    zoneSets = ValueTable(table.timeZoneSets.map { $0.joined(separator: "|") })
    regions = ValueTable(Region.allCodes)
    reasons = ValueTable(RejectReason.allCases.map(\.rawValue))
    lineTypes = ValueTable(LineType.allCases.map(\.rawValue))
    classes = ValueTable(AnswerClass.allCases.map(\.rawValue))
    reasonNames = ValueTable(model.features)
    appendedColumns = OutputColumns.names + (callingWindow ? CallingWindowOptions.columnNames : [])
  }

  /// The header line of `processed.csv` and `processed-filtered.csv`: the input's header cells as read
  /// (record 0 of the first chunk, `count` of them), then the appended columns. Returns the line and
  /// how many cells `--excel-safe` changed.
  func headerLine(of chunk: RecordChunk, count: Int) -> (line: [UInt8], cellsChanged: Int) {
    let out = OutputBytes(capacity: 4096)
    let changed = appendInputFields(of: 0, in: chunk, upTo: count, to: out)
    out.append(text: "," + appendedColumns.joined(separator: ",") + "\n")
    return (Array(out.bytes), changed)
  }

  /// The header line of `rejects.csv`.
  static let rejectsHeader = Array("row,phone,reason\n".utf8)

  /// Whether a valid row is the first occurrence of its number or a duplicate, and of what.
  enum ValidStatus {
    /// The first occurrence: `valid`, and classified.
    case first
    /// A later occurrence of the number first seen on this row: `duplicate`, class `Duplicate`.
    case duplicateOf(Int)
    /// A number delivered on an earlier run (`--exclude`): `duplicate`, class `Duplicate`.
    case seenInPreviousRun

    /// Appends the `reason` (and rejects) text of a duplicate.
    func appendReason(to out: OutputBytes) {
      switch self {
      case .first: break
      case .duplicateOf(let row):
        out.append("duplicate_of_row_")
        out.appendDecimal(row)
      case .seenInPreviousRun:
        out.append("seen_in_previous_run")
      }
    }
  }

  /// The position of a case in `allCases` without searching it (per row): a payload-free enum is stored
  /// as its case number, in declaration order, which is the order of `allCases` (a test checks it for
  /// every case of the three enums used).
  @inline(__always)
  static func caseIndex<Case: CaseIterable>(_ value: Case) -> Int {
    precondition(MemoryLayout<Case>.size == 1)
    return Int(unsafeBitCast(value, to: UInt8.self))
  }

  static let doNotCallIndex = AnswerClass.allCases.firstIndex(of: .doNotCall)!
  static let duplicateIndex = AnswerClass.allCases.firstIndex(of: .duplicate)!
  static let invalidIndex = AnswerClass.allCases.firstIndex(of: .invalid)!
  static let likelyAnswerIndex = AnswerClass.allCases.firstIndex(of: .likelyAnswer)!

  // MARK: - Input columns

  /// Copies the first `count` fields of record `r` as comma-separated output, padding short rows.
  /// Returns how many cells `--excel-safe` changed.
  @inline(__always) @discardableResult
  func appendInputFields(of r: Int, in chunk: RecordChunk, upTo count: Int, to out: OutputBytes) -> Int {
    let fields = chunk.fieldCount(r)
    let kept = min(fields, count)
    if excelSafe {
      var changed = 0
      for f in 0..<kept {
        if f > 0 { out.append(UInt8(ascii: ",")) }
        changed += appendSafeField(chunk.rawField(r, f), commaInput: chunk.delimiter == UInt8(ascii: ","), to: out)
      }
      for _ in kept..<max(count, kept) { out.append(UInt8(ascii: ",")) }
      return changed
    }
    if chunk.delimiter == UInt8(ascii: ",") {
      // Already comma-separated: without a quote (unquoted fields hold no line break) the fields are
      // valid as they are and copied byte for byte; with one, each field is checked and re-quoted
      // when it is not a valid field on its own (`"abc"x`, a stray or unclosed quote).
      let start = chunk.fieldRange(r, 0).lowerBound
      let end = chunk.fieldRange(r, kept - 1).upperBound
      let bytes = chunk.slice(start..<end)
      if bytes.isEmpty || memchr(bytes.baseAddress!, Int32(UInt8(ascii: "\"")), bytes.count) == nil {
        out.append(bytes)
      } else {
        var scratch: [UInt8] = []
        for f in 0..<kept {
          if f > 0 { out.append(UInt8(ascii: ",")) }
          CSVField.appendCommaField(chunk.rawField(r, f), scratch: &scratch, to: out)
        }
      }
    } else {
      var scratch: [UInt8] = []
      for f in 0..<kept {
        if f > 0 { out.append(UInt8(ascii: ",")) }
        CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { CSVField.appendQuoted($0, to: out) }
      }
    }
    for _ in kept..<max(count, kept) { out.append(UInt8(ascii: ",")) }
    return 0
  }

  /// Whether a spreadsheet reads a cell starting with `byte` as a formula (CSV injection):
  /// `=`, `+`, `-`, `@`, tab or carriage return.
  @inline(__always)
  static func startsFormula(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
      || byte == 9 || byte == 13
  }

  /// Appends one input field, prefixed with `'` when its value would start a formula; returns 1 when
  /// it did. Comma input keeps its raw bytes (quotes included); other delimiters are re-quoted.
  func appendSafeField(_ raw: UnsafeRawBufferPointer, commaInput: Bool, to out: OutputBytes) -> Int {
    if commaInput && CSVField.isValidRaw(raw) {
      let quoted = raw.first == UInt8(ascii: "\"")
      let at = quoted ? 1 : 0
      guard raw.count > at, Self.startsFormula(raw[at]) else {
        out.append(raw)
        return 0
      }
      if quoted { out.append(UInt8(ascii: "\"")) }
      out.append(UInt8(ascii: "'"))
      out.append(UnsafeRawBufferPointer(rebasing: raw[at...]))
      return 1
    }
    var scratch: [UInt8] = []
    return CSVField.withValue(raw, scratch: &scratch) { value in appendSafeValue(value, to: out) }
  }

  /// Appends a field value (unquoted bytes) as a CSV field, with the `'` prefix when it starts a formula
  /// under `--excel-safe`; returns 1 when it added one.
  @discardableResult
  func appendSafeValue(_ value: UnsafeRawBufferPointer, to out: OutputBytes) -> Int {
    guard excelSafe, let first = value.first, Self.startsFormula(first) else {
      CSVField.appendQuoted(value, to: out)
      return 0
    }
    let prefixed = [UInt8(ascii: "'")] + Array(value)
    prefixed.withUnsafeBytes { CSVField.appendQuoted($0, to: out) }
    return 1
  }

  /// Appends the fields of a long row past the header's count, after the appended columns.
  /// Returns how many cells `--excel-safe` changed.
  @discardableResult
  func appendExtraFields(of r: Int, in chunk: RecordChunk, from first: Int, to out: OutputBytes) -> Int {
    var scratch: [UInt8] = []
    var changed = 0
    for f in first..<chunk.fieldCount(r) {
      out.append(UInt8(ascii: ","))
      if excelSafe {
        changed += appendSafeField(chunk.rawField(r, f), commaInput: chunk.delimiter == UInt8(ascii: ","), to: out)
      } else if chunk.delimiter == UInt8(ascii: ",") {
        CSVField.appendCommaField(chunk.rawField(r, f), scratch: &scratch, to: out)
      } else {
        CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { CSVField.appendQuoted($0, to: out) }
      }
    }
    return changed
  }

  // MARK: - Appended columns

  /// Appends the columns of a valid number (`status` says whether it is a duplicate) and returns the
  /// indexes of its line type and class.
  @inline(__always)
  func appendValid(
    _ number: PhoneNumber, dnc: Bool, scored: (score: Double, answerClass: AnswerClass, reasons: (Int, Int, Int)),
    status: ValidStatus, to out: OutputBytes
  ) -> (lineType: Int, answerClass: Int) {
    out.append(UInt8(ascii: ","))
    out.write(maxCount: PhoneNumber.e164Length) { number.writeE164(into: $0) }
    out.append(UInt8(ascii: ","))
    if let ext = number.phoneExtension { appendExtension(ext, to: out) }
    out.append(UInt8(ascii: ","))
    if case .first = status {
      out.append("valid,,")
    } else {
      out.append("duplicate,")
      status.appendReason(to: out)
      out.append(UInt8(ascii: ","))
    }
    out.append(regions.bytes(Int(number.region.index)))
    out.append(UInt8(ascii: ","))
    out.append(states.bytes(number.npa))
    out.append(UInt8(ascii: ","))
    out.append(zoneSets.bytes(table.timeZoneSetIndex(national: number.national)))
    out.append(UInt8(ascii: ","))
    let lineType = LineType(kind: number.kind)
    let lineTypeIndex = Self.caseIndex(lineType)
    out.append(lineTypes.bytes(lineTypeIndex))
    out.append(dnc ? ",true," : ",false,")
    Self.appendScore(scored.score, to: out)
    out.append(UInt8(ascii: ","))
    // A number on a do-not-call list is never dialled, whatever its score.
    let classIndex = dnc ? Self.doNotCallIndex : Self.caseIndex(scored.answerClass)
    if case .first = status {
      out.append(classes.bytes(classIndex))
    } else {
      out.append(classes.bytes(Self.duplicateIndex))
    }
    out.append(UInt8(ascii: ","))
    appendReasons(scored.reasons, to: out)
    return (lineTypeIndex, classIndex)
  }

  /// Appends the columns of an invalid row.
  @inline(__always)
  func appendInvalid(_ reason: RejectReason, to out: OutputBytes) {
    out.append(",,,invalid,")
    out.append(reasons.bytes(Self.caseIndex(reason)))
    out.append(",,,,,,,Invalid,")
  }

  /// Writes a probability with three decimals (`0.237`) without formatting machinery.
  @inline(__always)
  static func appendScore(_ score: Double, to out: OutputBytes) {
    let thousandths = Int((min(max(score, 0), 1) * 1000).rounded())
    out.append(UInt8(ascii: "0") &+ UInt8(thousandths / 1000))
    out.append(UInt8(ascii: "."))
    let rest = thousandths % 1000
    out.append(UInt8(ascii: "0") &+ UInt8(rest / 100))
    out.append(UInt8(ascii: "0") &+ UInt8(rest / 10 % 10))
    out.append(UInt8(ascii: "0") &+ UInt8(rest % 10))
  }

  /// `answer_reasons`: the strongest features, `;`-joined, named for the way they pushed the score.
  @inline(__always)
  private func appendReasons(_ reasons: (Int, Int, Int), to out: OutputBytes) {
    var first = true
    for index in 0..<3 {
      let index = index == 0 ? reasons.0 : index == 1 ? reasons.1 : reasons.2
      guard index >= 0 else { continue }
      if !first { out.append(UInt8(ascii: ";")) }
      first = false
      out.append(reasonNames.bytes(index))
    }
  }

  private func appendExtension(_ ext: PhoneExtension, to out: OutputBytes) {
    out.write(maxCount: Int(ext.length)) { p in
      var rest = ext.value
      var at = Int(ext.length) - 1
      while at >= 0 {
        p[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
        at -= 1
      }
      return Int(ext.length)
    }
  }

  // MARK: - Rejects

  /// Appends `row,phone,reason` for an invalid row.
  func appendRejectLine(
    row: Int, phone: UnsafeRawBufferPointer?, reason: RejectReason, scratch: inout [UInt8], to out: OutputBytes
  ) {
    appendRejectStart(row: row, phone: phone, scratch: &scratch, to: out)
    out.append(reasons.bytes(Self.caseIndex(reason)))
    out.append(10)
  }

  /// Appends `row,phone,reason` for a duplicate.
  func appendRejectLine(
    row: Int, phone: UnsafeRawBufferPointer?, duplicate: ValidStatus, scratch: inout [UInt8], to out: OutputBytes
  ) {
    appendRejectStart(row: row, phone: phone, scratch: &scratch, to: out)
    duplicate.appendReason(to: out)
    out.append(10)
  }

  private func appendRejectStart(row: Int, phone: UnsafeRawBufferPointer?, scratch: inout [UInt8], to out: OutputBytes) {
    out.appendDecimal(row)
    out.append(UInt8(ascii: ","))
    if let phone {
      _ = CSVField.withValue(phone, scratch: &scratch) { appendSafeValue($0, to: out) }
    }
    out.append(UInt8(ascii: ","))
  }
}

/// Pre-rendered values in one block of memory, appended by index without reference counting (an
/// array of arrays retains the inner array on every read, eight times a row).
final class ValueTable: @unchecked Sendable {  // Immutable after `init`.
  private let storage: UnsafeMutableRawBufferPointer
  private let spans: UnsafeMutableBufferPointer<(start: Int, count: Int)>

  init(_ values: [String]) {
    let utf8 = values.map { Array($0.utf8) }
    storage = .allocate(byteCount: max(1, utf8.reduce(0) { $0 + $1.count }), alignment: 16)
    spans = .allocate(capacity: max(1, utf8.count))
    var at = 0
    for (i, value) in utf8.enumerated() {
      value.withUnsafeBytes { storage.baseAddress!.advanced(by: at).copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(storage.baseAddress!), byteCount: $0.count) }
      spans[i] = (at, value.count)
      at += value.count
    }
  }

  deinit {
    storage.deallocate()
    spans.deallocate()
  }

  /// The bytes of value `index`.
  @inline(__always)
  func bytes(_ index: Int) -> UnsafeRawBufferPointer {
    let span = spans[index]
    return UnsafeRawBufferPointer(start: storage.baseAddress! + span.start, count: span.count)
  }
}
