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

  /// An empty history.
  public init() {}

  /// Adds one call.
  public mutating func record(_ outcome: CallOutcome, at time: Int64) {
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
