import NANP
import Scoring

/// A worker's answer scoring: builds each valid row's feature vector (the number, its looked-up line
/// type, its call history, the planned call's local time), scores it with the run's model, picks the
/// class and the features that moved the score most. No allocation per row.
struct AnswerScorer {
  let model: LogisticAnswerModel
  let lookup: LineTypeLookup?
  let history: CallHistory?
  /// Rows per number in the list (`--count-repeats`), or `nil`.
  let repeats: DedupIndex?
  let table: AreaCodeTable
  /// The planned call time, unix seconds.
  let at: Int64
  private let clock: LocalClock
  /// Local (hour, weekend) at `at` per zone set: -1 unknown yet, -2 no zone, else hour | weekend << 5.
  private var localByZoneSet: [Int16]
  /// The feature vector, reused row after row. Kept outside `self`, so filling it is not an access to
  /// the scorer that would make each row copy the model to read it.
  private let vector: FeatureVector

  init(
    model: LogisticAnswerModel, lookup: LineTypeLookup?, history: CallHistory?, repeats: DedupIndex? = nil,
    table: AreaCodeTable, at: Int64
  ) {
    self.model = model
    self.lookup = lookup
    self.history = history
    self.repeats = repeats
    self.table = table
    self.at = at
    clock = LocalClock(table: table)
    localByZoneSet = Array(repeating: -1, count: table.timeZoneSets.count)
    vector = FeatureVector(count: AnswerFeatures.count)
  }

  /// The score, class and strongest features of a valid number that is not on a do-not-call list.
  @inline(__always)
  mutating func score(_ number: PhoneNumber) -> (score: Double, answerClass: AnswerClass, reasons: (Int, Int, Int)) {
    let past = history?.history(number.national)
    let zoneSet = table.timeZoneSetIndex(national: number.national)
    var packed = localByZoneSet[zoneSet]
    if packed == -1 {
      if let local = clock.local(national: number.national, at: at) {
        packed = Int16(local.hour | (local.weekend ? 32 : 0))
      } else {
        packed = -2
      }
      localByZoneSet[zoneSet] = packed
    }
    let hour: Int? = packed >= 0 ? Int(packed & 31) : nil
    let weekend = packed >= 0 && packed & 32 != 0
    let lineType = lookup?.lineType(number.national) ?? .unknown
    let occurrences = repeats?.value(for: number.e164Value).map(Int.init) ?? 0
    let buffer = vector.values
    AnswerFeatures.fill(
      buffer, number: NumberFeatures(number: number), lineType: lineType, history: past, localHour: hour,
      weekend: weekend, now: at, listOccurrences: occurrences)
    let (probability, reasons) = model.scoreAndReasons(UnsafeBufferPointer(buffer))
    let answerClass: AnswerClass
    if past?.saysDisconnected == true {
      answerClass = .likelyDisconnected
    } else {
      answerClass = probability >= model.answerThreshold ? .likelyAnswer : .likelyVoicemail
    }
    return (probability, answerClass, reasons)
  }
}

/// A scorer's feature vector: one allocation for the life of the scorer.
final class FeatureVector {
  let values: UnsafeMutableBufferPointer<Double>
  init(count: Int) {
    values = .allocate(capacity: count)
    values.initialize(repeating: 0)
  }
  deinit { values.deallocate() }
}
