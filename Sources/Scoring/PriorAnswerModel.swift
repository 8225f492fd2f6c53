/// The default model until a trained one is supplied: a logistic score from what the number alone tells.
///
/// It ranks rather than predicts: line type, prior outcomes and call time (what answer rates depend on
/// most) are unknown offline, so every clean geographic number gets the same score and the weights
/// only push down kinds and patterns that rarely reach a person. Logit contributions:
///
/// | feature | weight | why |
/// |---|---|---|
/// | intercept (clean geographic number) | +0.2 | score 0.550: `Likely Answer` |
/// | toll-free | −1.0 | business lines answer with menus and voicemail (0.310) |
/// | personal (5XX) | −0.6 | forwarding services, often to voicemail (0.401) |
/// | VoIP (600) | −0.8 | non-fixed lines, often unattended (0.354) |
/// | premium (900) | −2.5 | pay-per-call services, not people (0.091) |
/// | other non-geographic | −1.5 | shared-cost and UAN services (0.214) |
/// | exchange 555 | −2.0 | outside 0100–0199 mostly unassigned (0.142) |
/// | repeated line digits | −1.2 | typed by form fillers (0.269) |
/// | sequential line digits | −0.6 | typed by form fillers |
/// | one repeated digit (`777-7777`) | −2.5 | fake |
/// | one sequence (`123-4567`) | −2.5 | fake |
///
/// Classes: score ≥ 0.5 `Likely Answer`, ≥ 0.25 `Likely Voicemail`, else `Likely Disconnected`.
public struct PriorAnswerModel: AnswerModel {
  public let modelID = "prior-v1"

  /// Creates the prior model.
  public init() {}

  public func score(_ f: NumberFeatures) -> Double {
    var logit = 0.2
    switch f.kind {
    case .geographic: break
    case .tollFree: logit -= 1.0
    case .personal: logit -= 0.6
    case .voip: logit -= 0.8
    case .premium: logit -= 2.5
    case .nonGeographic: logit -= 1.5
    }
    if f.patterns.contains(.exchange555) { logit -= 2.0 }
    if f.patterns.contains(.repeatedLine) { logit -= 1.2 }
    if f.patterns.contains(.sequentialLine) { logit -= 0.6 }
    if f.patterns.contains(.allSameDigits) { logit -= 2.5 }
    if f.patterns.contains(.sequentialNumber) { logit -= 2.5 }
    return Self.sigmoid(logit)
  }

  public func answerClass(forScore score: Double) -> AnswerClass {
    if score >= 0.5 { return .likelyAnswer }
    if score >= 0.25 { return .likelyVoicemail }
    return .likelyDisconnected
  }
}
