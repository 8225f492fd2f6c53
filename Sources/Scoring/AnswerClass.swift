/// The classification column: what a dialer should expect of a row.
public enum AnswerClass: String, Sendable, CaseIterable {
  case likelyAnswer = "Likely Answer"
  case likelyVoicemail = "Likely Voicemail"
  case likelyDisconnected = "Likely Disconnected"
  case doNotCall = "Do Not Call"
  case duplicate = "Duplicate"
  case invalid = "Invalid"
}
