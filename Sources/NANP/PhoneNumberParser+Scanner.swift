/// The digits a field was read as, before the numbering rules are applied.
struct ScannedDigits {
  /// Ten national digits.
  var national: UInt64
  var phoneExtension: PhoneExtension?
  var notation: Notation
}

/// What one pass over a field found.
enum ScanOutcome {
  case digits(ScannedDigits)
  case rejected(RejectReason)
  /// The field holds non-ASCII bytes other than a no-break space: take the Unicode path.
  case needsUnicode
}

/// The single-pass, allocation-free reader of one ASCII phone field.
///
/// It walks the bytes once, collecting the main number's digits into a `UInt64`, an extension after a
/// marker (`x`, `ext`, `extension`, `#`, `;ext=`), and counting digits that follow a complete number
/// (a second number, or too many digits). Words are labels when they stand outside the digits, keypad
/// letters inside a toll-free number, and make the field `not_a_number` anywhere else.
struct FieldScanner {
  private let base: UnsafePointer<UInt8>
  private var start: Int
  private var end: Int
  private unowned(unsafe) let packed: AreaCodeTable.Packed

  private var notation: Notation
  // The main number.
  private var value: UInt64 = 0
  private var count = 0
  private var firstDigit: UInt8 = 0
  private var leadingThree = 0
  /// Digits in the first group; a lone leading `1` is a trunk prefix whatever follows.
  private var firstGroup = 0
  private var plus = false
  private var tel = false
  /// A separator or word followed the last digit.
  private var boundary = false
  /// Digits after the main number was complete (a second number, or too many digits).
  private var extra = 0
  private var letterInNumber = false
  // The extension.
  private var extState = ExtensionState.none
  private var extValue: UInt64 = 0
  private var extCount = 0

  private enum ExtensionState { case none, pending, collecting, done }

  init(base: UnsafePointer<UInt8>, count: Int, packed: AreaCodeTable.Packed, notation: Notation = []) {
    self.base = base
    self.start = 0
    self.end = count
    self.packed = packed
    self.notation = notation
  }

  // MARK: - Driver

  mutating func scan() -> ScanOutcome {
    trim()
    if start == end { return .rejected(.empty) }
    unwrap()
    if start == end { return .rejected(.notANumber) }
    if let outcome = scanScientificNotation() { return outcome }
    stripFloatSuffix()

    var i = start
    while i < end {
      let b = base[i]
      let d = b &- 48
      if d < 10 {
        addDigit(d)
        i &+= 1
        continue
      }
      if b >= 0x80 {
        if b == 0xC2 && i &+ 1 < end && base[i &+ 1] == 0xA0 {
          separator()
          i &+= 2
          continue
        }
        return .needsUnicode
      }
      let lower = b | 0x20
      if (lower >= 97 && lower <= 122) || b == FieldScanner.otherLetter {
        i = word(at: i)
        continue
      }
      switch b {
      case UInt8(ascii: "+"):
        if count == 0 && !plus && extState == .none { plus = true } else { separator() }
      case UInt8(ascii: "#"):
        separator()
        if extState == .none && isComplete { extState = .pending }
      case UInt8(ascii: ";"):
        if matchesLowercased(at: i &+ 1, "ext=") {
          separator()
          if extState == .none && count > 0 { extState = .pending }
          i &+= 5
          continue
        }
        separator()
        if tel {
          // Skip a URI parameter such as `;phone-context=…`.
          i &+= 1
          while i < end && base[i] != UInt8(ascii: ";") { i &+= 1 }
          continue
        }
      default:
        separator()
      }
      i &+= 1
    }
    return finish()
  }

  /// The byte the Unicode path writes for a letter with no keypad digit (accented or other scripts).
  static let otherLetter: UInt8 = 0x7F

  // MARK: - Digits and separators

  @inline(__always)
  private mutating func addDigit(_ d: UInt8) {
    switch extState {
    case .pending, .collecting:
      extState = .collecting
      if extCount < 19 { extValue = extValue &* 10 &+ UInt64(d) }
      extCount &+= 1
    case .done:
      extra &+= 1
    case .none:
      if extra > 0 {
        extra &+= 1
      } else if boundary && isComplete {
        extra = 1
      } else {
        addMainDigit(d)
      }
    }
    boundary = false
  }

  @inline(__always)
  private mutating func addMainDigit(_ d: UInt8) {
    if count < 19 { value = value &* 10 &+ UInt64(d) }
    if count == 0 { firstDigit = d }
    if count < 3 { leadingThree = leadingThree &* 10 &+ Int(d) }
    count &+= 1
  }

  @inline(__always)
  private mutating func separator() {
    if count > 0 {
      boundary = true
      if firstGroup == 0 { firstGroup = count }
    }
    if extState == .collecting { extState = .done }
  }

  /// Digits written before the ten national ones: `1` (after `+` or as trunk prefix) or `0111`.
  @inline(__always)
  private var prefixLength: Int {
    if plus { return 1 }
    if count > 0 && firstDigit == 1 { return 1 }
    if count >= 3 && leadingThree == 11 { return 4 }
    return 0
  }

  /// The main number holds all its digits, so digits after a separator belong to something else.
  @inline(__always)
  private var isComplete: Bool { count >= prefixLength &+ 10 }

  // MARK: - Words

  /// Reads the run of letters starting at `i` and decides whether it is an extension marker, a label or
  /// vanity letters; returns the index after it.
  private mutating func word(at i: Int) -> Int {
    var j = i
    while j < end {
      let b = base[j]
      let lower = b | 0x20
      guard (lower >= 97 && lower <= 122) || b == FieldScanner.otherLetter else { break }
      j &+= 1
    }
    let length = j &- i
    if count > 0 && isExtensionMarker(at: i, length: length) {
      switch extState {
      case .none: extState = .pending
      case .collecting: extState = .done
      default: break
      }
      boundary = true
      return j
    }
    if count == 0 || extState != .none || extra > 0 || isComplete {
      notation.insert(.label)
      separator()
      return j
    }
    let nationalCount = count &- prefixLength
    if nationalCount >= 3 && nationalCount < 10 {
      var npa = value
      for _ in 0..<(nationalCount &- 3) { npa /= 10 }
      let info = packed.info(npa: Int(npa % 1000))
      if info.isKnown && info.kind == .tollFree {
        notation.insert(.vanityLetters)
        var k = i
        while k < j && count < prefixLength &+ 10 {
          guard let d = FieldScanner.keypadDigit(base[k]) else {
            letterInNumber = true
            return j
          }
          addMainDigit(d)
          k &+= 1
        }
        // Letters past the tenth digit are dropped, as a phone ignores them (1-800-MATTRESS).
        boundary = false
        return j
      }
    }
    letterInNumber = true
    return j
  }

  private func isExtensionMarker(at i: Int, length: Int) -> Bool {
    switch length {
    case 1: return base[i] | 0x20 == UInt8(ascii: "x")
    case 3: return matchesLowercased(at: i, "ext")
    case 4: return matchesLowercased(at: i, "extn")
    case 9: return matchesLowercased(at: i, "extension")
    default: return false
    }
  }

  /// The digit a phone keypad puts on `letter` (ITU E.161), or `nil` for a non-letter.
  static func keypadDigit(_ letter: UInt8) -> UInt8? {
    let lower = letter | 0x20
    guard lower >= 97 && lower <= 122 else { return nil }
    switch lower {
    case 97...99: return 2
    case 100...102: return 3
    case 103...105: return 4
    case 106...108: return 5
    case 109...111: return 6
    case 112...115: return 7
    case 116...118: return 8
    default: return 9
    }
  }

  private func matchesLowercased(at i: Int, _ literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    guard i &+ n <= end else { return false }
    let p = literal.utf8Start
    for k in 0..<n {
      let b = base[i &+ k]
      let c = p[k]
      if b == c || (c >= 97 && c <= 122 && b | 0x20 == c) { continue }
      return false
    }
    return true
  }

  // MARK: - Wrappers and spreadsheet artefacts

  @inline(__always)
  private static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
  }

  private mutating func trim() {
    while start < end {
      if FieldScanner.isSpace(base[start]) {
        start &+= 1
      } else if base[start] == 0xC2 && start &+ 1 < end && base[start &+ 1] == 0xA0 {
        start &+= 2
      } else {
        break
      }
    }
    while end > start {
      if FieldScanner.isSpace(base[end &- 1]) {
        end &-= 1
      } else if end &- 2 >= start && base[end &- 2] == 0xC2 && base[end &- 1] == 0xA0 {
        end &-= 2
      } else {
        break
      }
    }
  }

  /// Removes `="…"`, a leading `'` and a `tel:` scheme.
  @inline(__always)
  private mutating func unwrap() {
    let first = base[start]
    if first == UInt8(ascii: "=") {
      if end &- start >= 3 && base[start &+ 1] == UInt8(ascii: "\"") && base[end &- 1] == UInt8(ascii: "\"") {
        start &+= 2
        end &-= 1
        notation.insert(.excelArtefact)
        trim()
      }
    } else if first == UInt8(ascii: "'") {
      start &+= 1
      notation.insert(.excelArtefact)
      trim()
    } else if first | 0x20 == UInt8(ascii: "t") && matchesLowercased(at: start, "tel:") {
      start &+= 4
      tel = true
      notation.insert(.telURI)
      trim()
    }
  }

  /// Reads spreadsheet scientific notation (`2.125551234E+09`): exact when every digit is present,
  /// `lossy_excel_number` when the spreadsheet rounded digits away. Returns `nil` for other shapes.
  private mutating func scanScientificNotation() -> ScanOutcome? {
    let n = end &- start
    guard n >= 3, n <= 32 else { return nil }
    let second = base[start &+ 1]
    guard second == UInt8(ascii: ".") || second == UInt8(ascii: ",") || second | 0x20 == UInt8(ascii: "e")
    else { return nil }
    return scanScientificShape()
  }

  private mutating func scanScientificShape() -> ScanOutcome? {
    var i = start
    var mantissa: UInt64 = 0
    var mantissaDigits = 0
    guard base[i] &- 48 < 10 else { return nil }
    mantissa = UInt64(base[i] &- 48)
    mantissaDigits = 1
    i &+= 1
    if base[i] == UInt8(ascii: ".") || base[i] == UInt8(ascii: ",") {
      i &+= 1
      let fractionStart = i
      while i < end, base[i] &- 48 < 10 {
        if mantissaDigits < 19 { mantissa = mantissa &* 10 &+ UInt64(base[i] &- 48) }
        mantissaDigits &+= 1
        i &+= 1
      }
      if i == fractionStart { return nil }
    }
    guard i < end, base[i] | 0x20 == UInt8(ascii: "e") else { return nil }
    i &+= 1
    if i < end && base[i] == UInt8(ascii: "+") { i &+= 1 }
    var exponent = 0
    let exponentStart = i
    while i < end, base[i] &- 48 < 10, i &- exponentStart < 3 {
      exponent = exponent &* 10 &+ Int(base[i] &- 48)
      i &+= 1
    }
    guard i == end, i > exponentStart else { return nil }
    let integerDigits = exponent &+ 1
    // Trailing zeros of the mantissa are real digits only if the integer needs them.
    if mantissaDigits > integerDigits { return .rejected(.notANumber) }
    if mantissaDigits < integerDigits {
      if integerDigits < 10 { return .rejected(.tooShort) }
      if integerDigits > 11 { return .rejected(.tooLong) }
      return .rejected(.lossyExcelNumber)
    }
    notation.insert(.excelArtefact)
    var rest = mantissa
    var scale: UInt64 = 1
    for _ in 1..<mantissaDigits { scale &*= 10 }
    while scale > 0 {
      addMainDigit(UInt8(rest / scale))
      rest %= scale
      scale /= 10
    }
    return finish()
  }

  /// Drops a `.0` or `.00` that a spreadsheet or data-frame export appended to a whole number.
  @inline(__always)
  private mutating func stripFloatSuffix() {
    guard end &- start >= 3, base[end &- 1] == UInt8(ascii: "0") else { return }
    var dot = end &- 2
    if base[dot] == UInt8(ascii: "0") { dot &-= 1 }
    guard dot > start, base[dot] == UInt8(ascii: ".") else { return }
    var k = start
    while k < dot {
      guard base[k] &- 48 < 10 else { return }
      k &+= 1
    }
    end = dot
    notation.insert(.excelArtefact)
  }

  // MARK: - Verdict

  private mutating func finish() -> ScanOutcome {
    if letterInNumber || count == 0 { return .rejected(.notANumber) }
    if extra > 0 { return .rejected(extra >= 7 ? .multipleNumbers : .tooLong) }
    if count > 19 { return .rejected(.tooLong) }
    var nationalCount = count
    if plus {
      guard firstDigit == 1 else { return .rejected(.invalidCountryCode) }
      notation.insert(.plusCountryCode)
      nationalCount &-= 1
    } else if firstDigit == 0 && leadingThree == 11 && count > 3 {
      var fourth = value
      for _ in 0..<(count &- 4) { fourth /= 10 }
      guard fourth % 10 == 1 else { return .rejected(.invalidCountryCode) }
      notation.insert(.internationalPrefix)
      nationalCount &-= 4
    } else if firstDigit == 1 && (count == 11 || firstGroup == 1) {
      notation.insert(.trunkPrefix)
      nationalCount &-= 1
    }
    if nationalCount < 10 { return .rejected(.tooShort) }
    if nationalCount > 10 { return .rejected(.tooLong) }
    var phoneExtension: PhoneExtension?
    if extCount > 0 {
      if extCount > PhoneExtension.maxLength { return .rejected(.tooLong) }
      phoneExtension = PhoneExtension(value: extValue, length: UInt8(extCount))
      notation.insert(.hadExtension)
    }
    return .digits(
      ScannedDigits(national: value % 10_000_000_000, phoneExtension: phoneExtension, notation: notation))
  }
}
