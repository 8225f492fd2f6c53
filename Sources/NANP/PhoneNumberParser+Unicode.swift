extension PhoneNumberParser {
  /// The slow path for fields with non-ASCII characters: decimal digits of any script become ASCII
  /// digits, Unicode spaces and dashes become their ASCII forms, full-width ASCII is narrowed, and the
  /// ASCII scanner reads the result. Only fields that need it pay for the decoding.
  func parseUnicode(_ bytes: UnsafeBufferPointer<UInt8>) -> PhoneParseResult {
    var ascii: [UInt8] = []
    ascii.reserveCapacity(bytes.count)
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
      ascii.append(PhoneNumberParser.asciiEquivalent(of: scalar))
    }
    return ascii.withUnsafeBufferPointer { buffer in
      var scanner = FieldScanner(
        base: buffer.baseAddress!, count: buffer.count, packed: table.packed, notation: .nonASCII)
      switch scanner.scan() {
      case .digits(let digits): return validate(digits)
      case .rejected(let reason): return .invalid(reason)
      case .needsUnicode: return .invalid(.notANumber)
      }
    }
  }

  /// The ASCII byte the scanner should see for `scalar`.
  static func asciiEquivalent(of scalar: Unicode.Scalar) -> UInt8 {
    if scalar.isASCII { return UInt8(scalar.value) }
    let properties = scalar.properties
    if properties.numericType == .decimal, let digit = properties.numericValue {
      return UInt8(ascii: "0") + UInt8(digit)
    }
    if (0xFF01...0xFF5E).contains(scalar.value) {
      return UInt8(scalar.value - 0xFEE0)  // Full-width forms of ASCII punctuation and letters.
    }
    if properties.isWhitespace { return UInt8(ascii: " ") }
    switch properties.generalCategory {
    case .dashPunctuation, .mathSymbol: return UInt8(ascii: "-")
    case .format: return UInt8(ascii: " ")
    default: break
    }
    if properties.isAlphabetic || scalar.value == 0xFFFD { return FieldScanner.otherLetter }
    return UInt8(ascii: " ")
  }
}
