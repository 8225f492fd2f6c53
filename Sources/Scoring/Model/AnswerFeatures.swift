import NANP

/// The answer model's inputs, as a fixed list of named numeric features.
///
/// | feature | value |
/// |---|---|
/// | `toll_free`, `premium`, `personal`, `voip_service`, `other_service` | 1 for the number's kind (geographic is the baseline) |
/// | `exchange_555`, `repeated_line`, `sequential_line`, `made_up_number` | 1 for suspicious digits (`made_up_number`: `777-7777` or `234-5678`) |
/// | `mobile_line`, `landline_line`, `voip_line` | 1 for the looked-up line type (`--lookup`; unknown is the baseline) |
/// | `morning_local_time`, `midday_local_time`, `evening_local_time`, `night_local_time` | 1 when the call's local hour is 8–9, 11–13, 16–18, 19–21 |
/// | `weekend_local_time` | 1 on Saturday and Sunday, local |
/// | `history_attempts`, `history_answers`, `history_voicemails`, `history_no_answers` | log(1 + count) of earlier calls and their outcomes (`--history`) |
/// | `last_answered`, `last_voicemail` | 1 when the latest earlier call ended so |
/// | `days_since_last_call` | log(1 + days) since the latest earlier call, 0 without one |
/// | `band_answer_lift` | the number's smoothed answer rate in this call's hour band minus its overall rate |
/// | `list_repeats` | log(1 + other rows of the list with the same number) (`--count-repeats`) |
public enum AnswerFeatures {
  /// Feature names, in vector order.
  public static let names = [
    "toll_free", "premium", "personal", "voip_service", "other_service",
    "exchange_555", "repeated_line", "sequential_line", "made_up_number",
    "mobile_line", "landline_line", "voip_line",
    "morning_local_time", "midday_local_time", "evening_local_time", "night_local_time", "weekend_local_time",
    "history_attempts", "history_answers", "history_voicemails", "history_no_answers",
    "last_answered", "last_voicemail", "days_since_last_call", "band_answer_lift", "list_repeats",
  ]

  /// Number of features.
  public static let count = names.count

  /// Writes the features of one call into `vector` (which must hold ``count`` values).
  ///
  /// - Parameters:
  ///   - number: what the number itself tells.
  ///   - lineType: the looked-up line type, or `.unknown`.
  ///   - history: the number's earlier calls, if any.
  ///   - localHour: the call's hour (0–23) in the number's time zone, if known.
  ///   - weekend: whether the call falls on a local Saturday or Sunday.
  ///   - now: the call's instant in unix seconds (for `days_since_last_call`).
  ///   - listOccurrences: rows of the list with this number, when counted (0 when not).
  @inline(__always)
  public static func fill(
    _ vector: UnsafeMutableBufferPointer<Double>, number: NumberFeatures, lineType: LineType, history: NumberHistory?,
    localHour: Int?, weekend: Bool, now: Int64, listOccurrences: Int = 0
  ) {
    vector.update(repeating: 0)
    switch number.kind {
    case .geographic: break
    case .tollFree: vector[0] = 1
    case .premium: vector[1] = 1
    case .personal: vector[2] = 1
    case .voip: vector[3] = 1
    case .nonGeographic: vector[4] = 1
    }
    let patterns = number.patterns
    if patterns.contains(.exchange555) { vector[5] = 1 }
    if patterns.contains(.repeatedLine) { vector[6] = 1 }
    if patterns.contains(.sequentialLine) { vector[7] = 1 }
    if patterns.contains(.allSameDigits) || patterns.contains(.sequentialNumber) { vector[8] = 1 }
    switch lineType {
    case .mobile: vector[9] = 1
    case .landline: vector[10] = 1
    case .voip: vector[11] = 1
    default: break
    }
    if let hour = localHour {
      switch hour {
      case 8...9: vector[12] = 1
      case 11...13: vector[13] = 1
      case 16...18: vector[14] = 1
      case 19...21: vector[15] = 1
      default: break
      }
    }
    if weekend { vector[16] = 1 }
    if let history, history.attempts > 0 {
      vector[17] = log1p(Double(history.attempts))
      vector[18] = log1p(Double(history.answers))
      vector[19] = log1p(Double(history.voicemails))
      vector[20] = log1p(Double(history.noAnswers))
      if history.lastOutcome == .answered { vector[21] = 1 }
      if history.lastOutcome == .voicemail { vector[22] = 1 }
      vector[23] = log1p(Double(max(0, now - history.lastAttempt)) / 86_400)
      if let hour = localHour { vector[24] = history.bandAnswerLift(hour: hour) }
    }
    if listOccurrences > 1 { vector[25] = log1p(Double(listOccurrences - 1)) }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
