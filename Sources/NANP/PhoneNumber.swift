/// A valid North American number: ten national digits, optional extension, and what the area-code table says of it.
public struct PhoneNumber: Sendable, Hashable {
  /// The ten national digits (area code, exchange, line) as one number, e.g. `2125551234`.
  public let national: UInt64
  /// The extension, when the field carried one.
  public let phoneExtension: PhoneExtension?
  /// How the number was written.
  public let notation: Notation
  /// The region that owns the number (per exchange where libphonenumber distinguishes).
  public let region: Region
  /// The kind of service the number carries.
  public let kind: NumberKind

  /// Creates a number from already-validated parts.
  public init(
    national: UInt64, phoneExtension: PhoneExtension?, notation: Notation, region: Region,
    kind: NumberKind
  ) {
    self.national = national
    self.phoneExtension = phoneExtension
    self.notation = notation
    self.region = region
    self.kind = kind
  }

  /// The three-digit area code (NPA).
  @inline(__always) public var npa: Int { Int(national / 10_000_000) }
  /// The three-digit exchange (NXX, central-office code).
  @inline(__always) public var nxx: Int { Int(national / 10_000 % 1000) }
  /// The four-digit line number.
  @inline(__always) public var line: Int { Int(national % 10_000) }

  /// The E.164 number as a key: `1` followed by the ten national digits (`12125551234`).
  @inline(__always) public var e164Value: UInt64 { 10_000_000_000 + national }

  /// The E.164 form, e.g. `+12125551234`.
  public var e164: String {
    String(unsafeUninitializedCapacity: PhoneNumber.e164Length) { writeE164(into: $0.baseAddress!) }
  }

  /// Length in bytes of every E.164 string this type writes.
  public static let e164Length = 12

  /// Writes the 12 bytes of the E.164 form to `buffer` without allocating; returns the count.
  @inline(__always)
  @discardableResult
  public func writeE164(into buffer: UnsafeMutablePointer<UInt8>) -> Int {
    buffer[0] = UInt8(ascii: "+")
    buffer[1] = UInt8(ascii: "1")
    var rest = national
    var at = 11
    while at >= 2 {
      buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
      rest /= 10
      at -= 1
    }
    return PhoneNumber.e164Length
  }

  /// The area-code record for this number's area code.
  public func areaCode(in table: AreaCodeTable = .shared) -> AreaCode? {
    table.areaCode(npa)
  }

  /// The IANA time zones of this number (NPA-NXX precision where the data has it); empty for non-geographic kinds.
  public func timeZones(in table: AreaCodeTable = .shared) -> [String] {
    table.timeZones(national: national)
  }
}

/// The outcome of parsing one phone field.
public enum PhoneParseResult: Sendable, Hashable {
  /// The field holds one valid number in the allowed regions.
  case valid(PhoneNumber)
  /// The field was rejected, with the stable reason.
  case invalid(RejectReason)

  /// The number, when valid.
  public var number: PhoneNumber? {
    if case .valid(let number) = self { return number }
    return nil
  }

  /// The reason, when invalid.
  public var reason: RejectReason? {
    if case .invalid(let reason) = self { return reason }
    return nil
  }
}
