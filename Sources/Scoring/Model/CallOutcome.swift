/// The outcome of one past call, as dialers and voice agents record it (synonyms mapped).
public enum CallOutcome: UInt8, Sendable, CaseIterable {
  case answered, voicemail, noAnswer, busy, disconnected, doNotCall

  /// The outcome of a word given as UTF-8 bytes; the common spellings are matched without allocating.
  @inline(__always)
  public init?(bytes: UnsafeRawBufferPointer) {
    // Fast path: lower-case ASCII letters and '_' only, up to 16 bytes, compared as one key.
    if bytes.count <= 16 {
      var key: (UInt64, UInt64) = (0, 0)
      var plain = true
      withUnsafeMutableBytes(of: &key) { out in
        for (i, b) in bytes.enumerated() {
          let lower = b | 0x20
          if (lower >= 97 && lower <= 122) || b == UInt8(ascii: "_") {
            out[i] = b == UInt8(ascii: "_") ? b : lower
          } else {
            plain = false
          }
        }
      }
      if plain, let known = Self.common[key.0 &* 31 &+ key.1] , known.key == key {
        self = known.outcome
        return
      }
    }
    self.init(word: String(decoding: bytes, as: UTF8.self))
  }

  /// The spellings history files use most, keyed by their 16 lower-case bytes.
  private static let common: [UInt64: (key: (UInt64, UInt64), outcome: CallOutcome)] = {
    var table: [UInt64: (key: (UInt64, UInt64), outcome: CallOutcome)] = [:]
    for (word, outcome) in [
      ("answered", CallOutcome.answered), ("human", .answered), ("voicemail", .voicemail), ("machine", .voicemail),
      ("no_answer", .noAnswer), ("busy", .busy), ("disconnected", .disconnected), ("invalid", .disconnected),
      ("do_not_call", .doNotCall),
    ] {
      var key: (UInt64, UInt64) = (0, 0)
      withUnsafeMutableBytes(of: &key) { out in for (i, b) in word.utf8.enumerated() { out[i] = b } }
      table[key.0 &* 31 &+ key.1] = (key, outcome)
    }
    return table
  }()

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
