/// What earlier calls to one number ended with: the counts the answer model's history features use.
public struct NumberHistory: Sendable, Equatable {
  public var attempts: UInt16 = 0
  public var answers: UInt16 = 0
  public var voicemails: UInt16 = 0
  public var noAnswers: UInt16 = 0
  public var busy: UInt16 = 0
  public var disconnected: UInt16 = 0
  public var doNotCall: UInt16 = 0
  /// The latest call's outcome.
  public var lastOutcome: CallOutcome?
  /// The latest call, in unix seconds.
  public var lastAttempt: Int64 = 0
  /// Calls and answers per local hour band (before 11:00, 11–14, 14–17, from 17:00), when the call's
  /// local hour was known.
  public var bandAttempts: (UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0)
  public var bandAnswers: (UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0)

  /// The band of a local hour: 0 before 11:00, 1 for 11–13, 2 for 14–16, 3 from 17:00.
  @inline(__always)
  public static func band(ofHour hour: Int) -> Int { hour < 11 ? 0 : hour < 14 ? 1 : hour < 17 ? 2 : 3 }

  /// Smoothed answer rate of the band minus the smoothed overall answer rate (both with one answer in
  /// four calls as prior): how much better (or worse) this number answers at this time of day.
  public func bandAnswerLift(hour: Int) -> Double {
    let (attempts, answered): (UInt16, UInt16)
    switch Self.band(ofHour: hour) {
    case 0: (attempts, answered) = (bandAttempts.0, bandAnswers.0)
    case 1: (attempts, answered) = (bandAttempts.1, bandAnswers.1)
    case 2: (attempts, answered) = (bandAttempts.2, bandAnswers.2)
    default: (attempts, answered) = (bandAttempts.3, bandAnswers.3)
    }
    guard attempts > 0 else { return 0 }
    let bandRate = (Double(answered) + 1) / (Double(attempts) + 4)
    let overall = (Double(answers) + 1) / (Double(self.attempts) + 4)
    return bandRate - overall
  }

  /// Equality of every count (tuples are not `Equatable`).
  public static func == (a: NumberHistory, b: NumberHistory) -> Bool {
    a.attempts == b.attempts && a.answers == b.answers && a.voicemails == b.voicemails && a.noAnswers == b.noAnswers
      && a.busy == b.busy && a.disconnected == b.disconnected && a.doNotCall == b.doNotCall
      && a.lastOutcome == b.lastOutcome && a.lastAttempt == b.lastAttempt
      && a.bandAttempts == b.bandAttempts && a.bandAnswers == b.bandAnswers
  }

  /// An empty history.
  public init() {}

  /// Adds one call; `localHour` (when known) feeds the per-band counts.
  public mutating func record(_ outcome: CallOutcome, at time: Int64, localHour: Int? = nil) {
    if let localHour {
      let answered: UInt16 = outcome == .answered ? 1 : 0
      switch Self.band(ofHour: localHour) {
      case 0: bandAttempts.0 &+= 1; bandAnswers.0 &+= answered
      case 1: bandAttempts.1 &+= 1; bandAnswers.1 &+= answered
      case 2: bandAttempts.2 &+= 1; bandAnswers.2 &+= answered
      default: bandAttempts.3 &+= 1; bandAnswers.3 &+= answered
      }
    }
    attempts &+= attempts < .max ? 1 : 0
    switch outcome {
    case .answered: answers &+= answers < .max ? 1 : 0
    case .voicemail: voicemails &+= voicemails < .max ? 1 : 0
    case .noAnswer: noAnswers &+= noAnswers < .max ? 1 : 0
    case .busy: busy &+= busy < .max ? 1 : 0
    case .disconnected: disconnected &+= disconnected < .max ? 1 : 0
    case .doNotCall: doNotCall &+= doNotCall < .max ? 1 : 0
    }
    if time >= lastAttempt {
      lastAttempt = time
      lastOutcome = outcome
    }
  }

  /// Whether the history says the number no longer works (its latest call found it disconnected).
  public var saysDisconnected: Bool { lastOutcome == .disconnected }
}
