import NANP
import Scoring
import TableIO

/// Pre-rendered bytes for every value the appended columns can take, so rendering a row is a few
/// copies: states per area code, time-zone sets, regions, reasons, and score/class per feature key.
final class RowRendering: Sendable {
  let table: AreaCodeTable
  let model: any AnswerModel
  private let states: [[UInt8]]
  private let zoneSets: [[UInt8]]
  private let regions: [[UInt8]]
  private let reasons: [[UInt8]]
  private let lineTypes: [[UInt8]]
  private let classes: [[UInt8]]
  /// Score text and class per (kind, suspicious patterns) key: the prior model depends on nothing else.
  private let scores: [(text: [UInt8], answerClass: AnswerClass)]

  init(table: AreaCodeTable, model: any AnswerModel) {
    self.table = table
    self.model = model
    states = (0..<1000).map { Array((table.state(npa: $0) ?? "").utf8) }
    zoneSets = table.timeZoneSets.map { Array($0.joined(separator: "|").utf8) }
    regions = Region.allCodes.map { Array($0.utf8) }
    reasons = RejectReason.allCases.map { Array($0.rawValue.utf8) }
    lineTypes = LineType.allCases.map { Array($0.rawValue.utf8) }
    classes = AnswerClass.allCases.map { Array($0.rawValue.utf8) }
    var scores: [(text: [UInt8], answerClass: AnswerClass)] = []
    for key in 0..<(NumberKind.allCases.count << 5) {
      let kind = NumberKind(rawValue: UInt8(key >> 5)) ?? .geographic
      let patterns = SuspiciousPattern(rawValue: UInt8(key & 31))
      let features = NumberFeatures(kind: kind, lineType: LineType(kind: kind), patterns: patterns)
      let score = model.score(features)
      scores.append((Array(Self.formatScore(score).utf8), model.answerClass(forScore: score)))
    }
    self.scores = scores
  }

  static let doNotCallIndex = AnswerClass.allCases.firstIndex(of: .doNotCall)!

  /// Three decimals, e.g. `0.550`.
  static func formatScore(_ score: Double) -> String {
    let thousandths = Int((min(max(score, 0), 1) * 1000).rounded())
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }

  /// The rendered name of a reject reason.
  func reasonBytes(_ index: Int) -> [UInt8] { reasons[index] }

  // MARK: - Input columns

  /// Copies the first `count` fields of record `r` as comma-separated output, padding short rows.
  @inline(__always)
  func appendInputFields(of r: Int, in chunk: RecordChunk, upTo count: Int, to out: OutputBytes) {
    let fields = chunk.fieldCount(r)
    let kept = min(fields, count)
    if chunk.delimiter == UInt8(ascii: ",") {
      // Already comma-separated: the fields are copied byte for byte.
      let start = chunk.fieldRange(r, 0).lowerBound
      let end = chunk.fieldRange(r, kept - 1).upperBound
      out.append(chunk.slice(start..<end))
    } else {
      var scratch: [UInt8] = []
      for f in 0..<kept {
        if f > 0 { out.append(UInt8(ascii: ",")) }
        CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { CSVField.appendQuoted($0, to: out) }
      }
    }
    for _ in kept..<max(count, kept) { out.append(UInt8(ascii: ",")) }
  }

  /// Appends the fields of a long row past the header's count, after the appended columns.
  func appendExtraFields(of r: Int, in chunk: RecordChunk, from first: Int, to out: OutputBytes) {
    var scratch: [UInt8] = []
    for f in first..<chunk.fieldCount(r) {
      out.append(UInt8(ascii: ","))
      if chunk.delimiter == UInt8(ascii: ",") {
        out.append(chunk.rawField(r, f))
      } else {
        CSVField.withValue(chunk.rawField(r, f), scratch: &scratch) { CSVField.appendQuoted($0, to: out) }
      }
    }
  }

  // MARK: - Appended columns

  @inline(__always)
  func appendValid(_ number: PhoneNumber, dnc: Bool = false, to out: OutputBytes, outcome: inout RowOutcome) {
    out.append(UInt8(ascii: ","))
    out.write(maxCount: PhoneNumber.e164Length) { number.writeE164(into: $0) }
    out.append(UInt8(ascii: ","))
    if let ext = number.phoneExtension { appendExtension(ext, to: out) }
    out.append(UInt8(ascii: ","))
    outcome.statusAt = UInt32(out.count)
    out.append("valid,,")
    outcome.regionAt = UInt32(out.count)
    out.append(regions[Int(number.region.index)])
    out.append(UInt8(ascii: ","))
    out.append(states[number.npa])
    out.append(UInt8(ascii: ","))
    out.append(zoneSets[table.timeZoneSetIndex(national: number.national)])
    out.append(UInt8(ascii: ","))
    let lineType = LineType(kind: number.kind)
    out.append(lineTypes[LineType.allCases.firstIndex(of: lineType)!])
    out.append(dnc ? ",true," : ",false,")
    let patterns = SuspiciousPattern(national: number.national)
    let scored = scores[Int(number.kind.rawValue) << 5 | Int(patterns.rawValue)]
    out.append(scored.text)
    out.append(UInt8(ascii: ","))
    outcome.classAt = UInt32(out.count)
    // A number on a do-not-call list is never dialled, whatever its score.
    let classIndex = dnc ? Self.doNotCallIndex : AnswerClass.allCases.firstIndex(of: scored.answerClass)!
    out.append(classes[classIndex])
    outcome.key = number.e164Value
    outcome.region = number.region.index
    outcome.lineType = UInt8(LineType.allCases.firstIndex(of: lineType)!)
    outcome.answerClass = UInt8(classIndex)
  }

  @inline(__always)
  func appendInvalid(_ reason: RejectReason, to out: OutputBytes, outcome: inout RowOutcome) {
    out.append(",,,")
    outcome.statusAt = UInt32(out.count)
    out.append("invalid,")
    let index = RejectReason.allCases.firstIndex(of: reason)!
    out.append(reasons[index])
    out.append(UInt8(ascii: ","))
    outcome.regionAt = UInt32(out.count)
    out.append(",,,,,,")
    outcome.classAt = UInt32(out.count)
    out.append("Invalid")
    outcome.reason = UInt8(index + 1)
    outcome.answerClass = UInt8(AnswerClass.allCases.firstIndex(of: .invalid)!)
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
    row: UInt32, phone: UnsafeRawBufferPointer?, delimiterIsComma: Bool, reason: RejectReason,
    scratch: inout [UInt8], to out: OutputBytes
  ) {
    out.appendDecimal(Int(row))
    out.append(UInt8(ascii: ","))
    if let phone {
      CSVField.withValue(phone, scratch: &scratch) { CSVField.appendQuoted($0, to: out) }
    }
    out.append(UInt8(ascii: ","))
    out.append(reasons[RejectReason.allCases.firstIndex(of: reason)!])
    out.append(10)
  }
}
