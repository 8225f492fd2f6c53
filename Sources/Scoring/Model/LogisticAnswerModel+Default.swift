extension LogisticAnswerModel {
  /// The model used without `--model`: prior weights from public figures, before any training on the
  /// user's own outcomes. Each weight and its source:
  ///
  /// | feature | weight | source |
  /// |---|---|---|
  /// | intercept | −1.15 | logit(0.24): about 24% of calls from unidentified numbers are answered (Hiya, State of the Call 2019) |
  /// | `mobile_line` | −0.30 | 19% of US adults answer unknown numbers on their cellphone (Pew Research 2020): logit(0.19) − logit(0.24) |
  /// | `landline_line` | +0.50 | landlines answer unknown callers more often than cellphones (survey-methodology contact rates; unverified size) |
  /// | `voip_line` | −0.40 | non-fixed VoIP lines are often unattended (assumption, smaller than toll-free) |
  /// | `toll_free` | −0.80 | business lines answer with menus and voicemail (assumption) |
  /// | `premium`, `other_service` | −2.00, −1.00 | pay-per-call and shared-cost services, not people (assumption) |
  /// | `personal`, `voip_service` | −0.50, −0.60 | forwarding and non-geographic VoIP services (assumption) |
  /// | `exchange_555`, `repeated_line`, `sequential_line`, `made_up_number` | −1.50, −0.80, −0.40, −2.00 | digits form fillers type (assumption) |
  /// | `morning_local_time`, `evening_local_time` | +0.20, +0.30 | contact rates best 8:00–9:00 and 16:00–18:00 local (InsideSales/Oldroyd lead-response studies) |
  /// | `midday_local_time` | −0.25 | worst around 11:00–14:00 (same studies) |
  /// | `night_local_time`, `weekend_local_time` | +0.10, +0.20 | evenings and weekends beat weekday daytime for residential numbers (survey methodology) |
  /// | `history_answers`, `last_answered` | +0.90, +0.50 | a number that answered before answers again (prior outcomes dominate answer rates) |
  /// | `history_voicemails`, `history_no_answers`, `history_attempts` | −0.30, −0.30, −0.20 | numbers with a history of voicemail or no answer rarely convert |
  /// | `last_voicemail` | −0.20 | same |
  /// | `days_since_last_call` | +0.05 | a rested number is slightly more likely to pick up (assumption) |
  /// | `band_answer_lift` | +2.00 | a number that answers at this time of day more than at others (best hours differ by person; assumption) |
  /// | `list_repeats` | −0.30 | a number shared by several leads is often a switchboard or a placeholder (assumption) |
  ///
  /// The same model ships as a model file, `Sources/Scoring/Resources/default-model.json` (a resource of
  /// this module, kept equal to this literal by a test): a starting point for hand-tuned `--model` files.
  /// The binary never reads it, so a copied binary keeps its default model.
  ///
  /// The answer threshold is 0.15: a number at least about as likely to answer as an unknown call to a
  /// cellphone, less whatever its digits or history take away, is `Likely Answer`.
  public static let `default` = LogisticAnswerModel(
    modelId: "default-prior-v1",
    weights: [
      -0.80, -2.00, -0.50, -0.60, -1.00,  // kinds
      -1.50, -0.80, -0.40, -2.00,  // suspicious digits
      -0.30, 0.50, -0.40,  // looked-up line type
      0.20, -0.25, 0.30, 0.10, 0.20,  // local time
      -0.20, 0.90, -0.30, -0.30, 0.50, -0.20, 0.05, 2.00,  // history
      -0.30,  // repeats in the list
    ],
    intercept: -1.15, answerThreshold: 0.15,
    training: TrainingRecord(notes: defaultNotes))

  static let defaultNotes =
    "prior weights from public figures; each weight's source is in the doc of LogisticAnswerModel.default (Sources/Scoring/Model/LogisticAnswerModel+Default.swift) and in the README"
}
