/// Turns one phone field, as UTF-8 bytes straight from a file, into a North American number or a reason.
///
/// The parser is a small value: copy it into each worker. ASCII fields take a single allocation-free
/// pass; a field with other non-ASCII bytes than a no-break space takes a slower Unicode path that maps
/// decimal digits of any script, Unicode spaces and dashes to their ASCII forms first.
///
/// ```swift
/// let parser = PhoneNumberParser()
/// parser.parse("(212) 555-1234 x89")   // .valid: +12125551234, extension 89
/// parser.parse("212-555-0155")         // .invalid(.fictionalNumber)
/// ```
public struct PhoneNumberParser: Sendable {
  /// The regions whose numbers are accepted; others get `outside_allowed_regions`.
  public var allowedRegions: RegionSet
  /// The numbering data used to validate area codes and exchanges.
  public let table: AreaCodeTable
  private let packed: AreaCodeTable.Packed

  /// Creates a parser that accepts numbers of `allowedRegions` (default `US,CA`).
  public init(allowedRegions: RegionSet = .default, table: AreaCodeTable = .shared) {
    self.allowedRegions = allowedRegions
    self.table = table
    self.packed = table.packed
  }

  /// Parses a field given as UTF-8 bytes.
  public func parse(_ bytes: UnsafeRawBufferPointer) -> PhoneParseResult {
    parse(bytes.assumingMemoryBound(to: UInt8.self))
  }

  /// Parses a field given as a span of UTF-8 bytes.
  public func parse(_ bytes: Span<UInt8>) -> PhoneParseResult {
    bytes.withUnsafeBufferPointer { parse($0) }
  }

  /// Parses a field given as a `String` (convenience for tools and tests; files use the byte API).
  public func parse(_ text: String) -> PhoneParseResult {
    var text = text
    return text.withUTF8 { parse($0) }
  }

  /// Parses a field given as UTF-8 bytes.
  public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> PhoneParseResult {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return .invalid(.empty) }
    var scanner = FieldScanner(base: base, count: bytes.count, packed: packed)
    switch scanner.scan() {
    case .digits(let digits):
      return validate(digits)
    case .rejected(let reason):
      return .invalid(reason)
    case .needsUnicode:
      return parseUnicode(bytes)
    }
  }

  /// Applies the numbering rules to ten national digits.
  @inline(__always)
  func validate(_ digits: ScannedDigits) -> PhoneParseResult {
    let national = digits.national
    let npa = Int(national / 10_000_000)
    let nxx = Int(national / 10_000 % 1000)
    let info = packed.info(npa: npa)
    guard info.isKnown else { return .invalid(.invalidAreaCode) }
    // libphonenumber accepts N11 exchanges; they are service codes (211…911), never subscriber lines.
    if nxx < 200 || nxx % 100 == 11 || !packed.isExchangeValid(npa: npa, nxx: nxx) {
      return .invalid(.invalidExchange)
    }
    if nxx == 555 {
      let line = national % 10_000
      if line >= 100 && line <= 199 { return .invalid(.fictionalNumber) }
    }
    let (region, kind) = table.regionAndKind(npa: npa, nxx: nxx, info: info)
    guard allowedRegions.contains(region) else { return .invalid(.outsideAllowedRegions) }
    return .valid(
      PhoneNumber(
        national: national, phoneExtension: digits.phoneExtension, notation: digits.notation,
        region: region, kind: kind))
  }
}
