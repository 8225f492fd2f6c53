import CICU

/// The character encoding of an input file; everything is converted to UTF-8 before parsing.
public enum InputEncoding: Equatable, Sendable, CustomStringConvertible {
  /// UTF-8 (with or without a byte-order mark): read as is, never converted.
  case utf8
  /// UTF-16, little-endian.
  case utf16LE
  /// UTF-16, big-endian.
  case utf16BE
  /// Windows-1252 (also used for ISO-8859-1 files, whose printable characters it shares).
  case windows1252
  /// Any other charset ICU can convert, by its ICU name.
  case other(String)

  /// Parses an `--encoding` value (`utf-8`, `utf-16le`, `cp1252`, `latin1`, or any ICU converter name).
  public init(name: String) throws(TableIOError) {
    let key = name.lowercased().filter { $0 != "-" && $0 != "_" }
    switch key {
    case "utf8": self = .utf8
    case "utf16le": self = .utf16LE
    case "utf16be": self = .utf16BE
    case "windows1252", "cp1252", "iso88591", "latin1", "l1": self = .windows1252
    default:
      var error: Int32 = 0
      guard let converter = cicu_to_utf8_open(name, &error) else { throw .unknownEncoding(name: name) }
      cicu_to_utf8_close(converter)
      self = .other(name)
    }
  }

  /// The ICU converter name.
  var icuName: String {
    switch self {
    case .utf8: "UTF-8"
    case .utf16LE: "UTF-16LE"
    case .utf16BE: "UTF-16BE"
    case .windows1252: "windows-1252"
    case .other(let name): name
    }
  }

  /// The name reported in manifests: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, or the ICU name.
  public var description: String {
    switch self {
    case .utf8: "utf-8"
    case .utf16LE: "utf-16le"
    case .utf16BE: "utf-16be"
    case .windows1252: "windows-1252"
    case .other(let name): name
    }
  }

  /// Length of this encoding's byte-order mark at the start of `bytes`, or 0.
  func byteOrderMarkLength(in bytes: UnsafeRawBufferPointer) -> Int {
    let b = bytes.bindMemory(to: UInt8.self)
    switch self {
    case .utf8: return b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
    case .utf16LE: return b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE ? 2 : 0
    case .utf16BE: return b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF ? 2 : 0
    default: return 0
    }
  }
}

extension InputEncoding {
  /// Decides the encoding of a file from its first bytes: a byte-order mark, else valid UTF-8,
  /// else ICU's charset detector (ISO-8859-1 answers are read as Windows-1252).
  public static func sniff(_ sample: UnsafeRawBufferPointer, isCompleteFile: Bool) -> InputEncoding {
    let b = sample.bindMemory(to: UInt8.self)
    if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { return .utf8 }
    if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return .utf16LE }
    if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return .utf16BE }
    if UTF8Validation.firstInvalidByte(in: sample, allowTruncatedEnd: !isCompleteFile) == nil {
      return .utf8
    }
    var name = [CChar](repeating: 0, count: 64)
    var confidence: Int32 = 0
    let status = cicu_detect_charset(
      sample.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(min(sample.count, 1 << 16)), &name,
      Int32(name.count), &confidence)
    guard status == 0 else { return .windows1252 }
    let detected = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // Without a byte-order mark, UTF-16 and UTF-32 text of this kind is full of NUL bytes; ICU's guess of
    // UTF-16 for NUL-free text (long runs of one letter, say) is wrong.
    let hasNUL = b.contains(0)
    switch detected.uppercased() {
    case "UTF-16LE" where hasNUL: return .utf16LE
    case "UTF-16BE" where hasNUL: return .utf16BE
    case "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE": return .windows1252
    case "ISO-8859-1", "WINDOWS-1252", "UTF-8", "": return .windows1252
    default:
      // The detector also names layouts no converter opens ("IBM420_rtl"): fall back to the base
      // converter, then to Windows-1252, so a sniffed name is always one that can be converted.
      for candidate in [detected, String(detected.prefix { $0 != "_" })] where canConvert(candidate) {
        return .other(candidate)
      }
      return .windows1252
    }
  }

  /// Whether ICU has a converter named `name`.
  static func canConvert(_ name: String) -> Bool {
    var status: Int32 = 0
    guard let converter = cicu_to_utf8_open(name, &status) else { return false }
    cicu_to_utf8_close(converter)
    return true
  }
}
