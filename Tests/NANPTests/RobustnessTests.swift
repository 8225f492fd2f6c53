import Testing

@testable import NANP

@Suite("Parser robustness")
struct RobustnessTests {
  /// A fixed-seed generator so a failing byte string can be reproduced.
  struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  @Test func randomBytesNeverCrashAndValidResultsAreWellFormed() {
    var rng = SplitMix64(state: 20_261_125)
    let parser = PhoneNumberParser(allowedRegions: .all)
    let alphabet = Array("0123456789+-(). xXext#;=\"'tel:E,/".utf8) + [0xC2, 0xA0, 0xEF, 0xBC, 0x91, 0xFF, 0x80]
    for round in 0..<100_000 {
      let length = Int.random(in: 0...40, using: &rng)
      let bytes: [UInt8] = (0..<length).map { _ in
        round % 2 == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng)!
      }
      let result = bytes.withUnsafeBufferPointer { parser.parse($0) }
      if let number = result.number {
        #expect(number.national >= 2_000_000_000 && number.national <= 9_999_999_999)
        #expect(number.e164.utf8.count == 12)
      }
    }
  }

  @Test func byteAndStringEntryPointsAgree() {
    let parser = PhoneNumberParser()
    for field in ["(212) 555-1234", "２１２５５５１２３４", "N/A", "", "1-800-FLOWERS x12"] {
      let viaBytes = Array(field.utf8).withUnsafeBytes { parser.parse($0) }
      #expect(viaBytes == parser.parse(field))
    }
  }

  @Test func notationRecordsHowTheNumberWasWritten() {
    let parser = PhoneNumberParser()
    #expect(parser.parse("+1 212 555 1234").number?.notation == [.plusCountryCode])
    #expect(parser.parse("1-212-555-1234").number?.notation == [.trunkPrefix])
    #expect(parser.parse("011 1 212 555 1234").number?.notation == [.internationalPrefix])
    #expect(parser.parse("212-555-1234 x9").number?.notation == [.hadExtension])
    #expect(parser.parse("1-800-FLOWERS").number?.notation == [.trunkPrefix, .vanityLetters])
    #expect(parser.parse("2125551234.0").number?.notation == [.excelArtefact])
    #expect(parser.parse("tel:+12125551234").number?.notation == [.telURI, .plusCountryCode])
    #expect(parser.parse("２１２５５５１２３４").number?.notation == [.nonASCII])
    #expect(parser.parse("212-555-1234 (cell)").number?.notation == [.label])
  }

  @Test func extensionKeepsLeadingZeros() {
    #expect(PhoneExtension(value: 89, length: 4).description == "0089")
    #expect(PhoneNumberParser().parse("212-555-1234 x0").number?.phoneExtension?.description == "0")
  }

  @Test func regionListsParse() throws {
    #expect(try RegionSet.parse("us, ca").get() == .default)
    #expect(try RegionSet.parse("ALL").get() == .all)
    #expect(try RegionSet.parse("US,CA,PR").get().description == "US,CA,PR")
    guard case .failure(let error) = RegionSet.parse("US,GB") else {
      Issue.record("GB accepted")
      return
    }
    #expect(error.code == "GB")
  }
}
