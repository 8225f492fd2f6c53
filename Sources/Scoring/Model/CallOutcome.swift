/// The outcome of one past call, as dialers and voice agents record it (synonyms mapped).
public enum CallOutcome: UInt8, Sendable, CaseIterable {
  case answered, voicemail, noAnswer, busy, disconnected, doNotCall

  /// The outcome a history file's word means: `answered`/`human`, `voicemail`/`machine`, `no_answer`,
  /// `busy`, `disconnected`/`invalid`, `do_not_call`, and common variants; `nil` for an unknown word.
  public init?(word: some StringProtocol) {
    let key = String(word.lowercased().filter { $0.isLetter })
    switch key {
    case "answered", "answer", "human", "live", "liveanswer", "connected", "talked", "contact": self = .answered
    case "voicemail", "machine", "answeringmachine", "vm", "amd", "leftmessage": self = .voicemail
    case "noanswer", "unanswered", "ringnoanswer", "rna", "noresponse", "missed": self = .noAnswer
    case "busy", "engaged": self = .busy
    case "disconnected", "invalid", "notinservice", "badnumber", "wrongnumber", "sit": self = .disconnected
    case "donotcall", "dnc", "optout", "optedout", "unsubscribe": self = .doNotCall
    default: return nil
    }
  }

  /// The snake_case name used in reasons and outputs.
  public var name: String {
    switch self {
    case .answered: "answered"
    case .voicemail: "voicemail"
    case .noAnswer: "no_answer"
    case .busy: "busy"
    case .disconnected: "disconnected"
    case .doNotCall: "do_not_call"
    }
  }
}

extension LineType {
  /// The line type a lookup vendor's word means (`mobile`, `landline`, `fixedVoip`, `nonFixedVoip`,
  /// `tollFree`, `personal`, `premium`, …); `nil` for an unknown word.
  public init?(vendorName: some StringProtocol) {
    let key = String(vendorName.lowercased().filter { $0.isLetter })
    switch key {
    case "mobile", "wireless", "cell", "cellular": self = .mobile
    case "landline", "fixedline", "fixed", "wireline": self = .landline
    case "fixedvoip", "nonfixedvoip", "voip": self = .voip
    case "tollfree": self = .tollFree
    case "premium", "premiumrate": self = .premium
    case "personal", "uan", "sharedcost", "pager", "voicemail": self = .personal
    case "unknown", "": self = .unknown
    default: return nil
    }
  }
}
