import Testing

@testable import NANP

@Suite("Phone field parsing")
struct PhoneNumberParserTests {
  static let formats: [ParsingCase] = [
    .accept("(212) 555-1234", "+12125551234", state: "NY"),
    .accept("212.555.1234", "+12125551234", state: "NY"),
    .accept("212/555-1234", "+12125551234", state: "NY"),
    .accept("212 - 555 - 1234", "+12125551234", state: "NY"),
    .accept("+1 212 555 1234", "+12125551234", state: "NY"),
    .accept("1-212-555-1234", "+12125551234", state: "NY"),
    .accept("1.212.555.1234", "+12125551234", state: "NY"),
    .accept("12125551234", "+12125551234", state: "NY"),
    .accept("+12125551234", "+12125551234", state: "NY"),
    .accept("(212)5551234", "+12125551234", state: "NY"),
    .accept("[212] 555-1234", "+12125551234", state: "NY"),
    .accept("2125551234", "+12125551234", state: "NY"),
    .accept("212 555 1234", "+12125551234", state: "NY"),
    .accept("212-5551234", "+12125551234", state: "NY"),
    .accept("1 (212) 555-1234", "+12125551234", state: "NY"),
    .accept("+1 (212) 555-1234", "+12125551234", state: "NY"),
    .accept("+1-212-555-1234", "+12125551234", state: "NY"),
    .accept("+1.212.555.1234", "+12125551234", state: "NY"),
    .accept("1 212 5551234", "+12125551234", state: "NY"),
    .accept("  (212) 555-1234  ", "+12125551234", state: "NY"),
    .accept("\t212-555-1234\t", "+12125551234", state: "NY"),
    .accept("\u{00A0}212-555-1234\u{00A0}", "+12125551234", state: "NY"),
    .accept("212\u{00A0}555\u{00A0}1234", "+12125551234", state: "NY"),
    .accept(" \t\u{00A0} +1 212 555 1234 \u{00A0}\t ", "+12125551234", state: "NY"),
    .accept("212_555_1234", "+12125551234", state: "NY"),
    .accept("(212)-555-1234", "+12125551234", state: "NY"),
    .accept("212 555-1234.", "+12125551234", state: "NY"),
    .accept("212-555-1234;", "+12125551234", state: "NY"),
    .accept("212-555-1234#", "+12125551234", state: "NY"),
    .accept("\"212-555-1234\"", "+12125551234", state: "NY"),
    .accept("011 1 212 555 1234", "+12125551234", state: "NY"),
    .accept("011-1-212-555-1234", "+12125551234", state: "NY"),
    .accept("01112125551234", "+12125551234", state: "NY"),
    .accept("tel:+1-212-555-1234", "+12125551234", state: "NY"),
    .accept("TEL:+1-212-555-1234", "+12125551234", state: "NY"),
    .accept("tel:+1-212-555-1234;ext=89", "+12125551234", ext: "89", state: "NY"),
    .accept("tel:+1-212-555-1234;phone-context=example.com", "+12125551234", state: "NY"),
    .accept("tel:+12125551234;ext=0042", "+12125551234", ext: "0042", state: "NY"),
  ]

  static let extensions: [ParsingCase] = [
    .accept("212-555-1234 x89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234x89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 X89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 x 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 ext. 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 ext 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 EXT. 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 ext89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 extn 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 extension 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 Extension: 89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 #89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234#89", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234;ext=89", "+12125551234", ext: "89", state: "NY"),
    .accept("(212) 555-1234 x007", "+12125551234", ext: "007", state: "NY"),
    .accept("+1 212 555 1234 ext. 12345", "+12125551234", ext: "12345", state: "NY"),
    .accept("212-555-1234 x89 (office)", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 x89.", "+12125551234", ext: "89", state: "NY"),
    .accept("212-555-1234 ext.", "+12125551234", state: "NY"),
    .accept("212-555-1234 x", "+12125551234", state: "NY"),
    .accept("212-555-1234 # ", "+12125551234", state: "NY"),
    .accept("212-555-1234 ;", "+12125551234", state: "NY"),
    .accept("1-800-555-1234 x1", "+18005551234", ext: "1", state: nil),
  ]

  static let excel: [ParsingCase] = [
    .accept("2125551234.0", "+12125551234", state: "NY"),
    .accept("12125551234.0", "+12125551234", state: "NY"),
    .accept("2125551234.00", "+12125551234", state: "NY"),
    .accept("'2125551234", "+12125551234", state: "NY"),
    .accept("'+1 212 555 1234", "+12125551234", state: "NY"),
    .accept("=\"2125551234\"", "+12125551234", state: "NY"),
    .accept("=\"+1 (212) 555-1234\"", "+12125551234", state: "NY"),
    .accept("2.125551234E+09", "+12125551234", state: "NY"),
    .accept("2.125551234e+09", "+12125551234", state: "NY"),
    .accept("2.125551234E9", "+12125551234", state: "NY"),
    .accept("1.2125551234E+10", "+12125551234", state: "NY"),
    .accept("2,125551234E+09", "+12125551234", state: "NY"),
    .accept("4.165552368E+09", "+14165552368", region: "CA", state: "ON"),
    .reject("2.12555E+09", .lossyExcelNumber),
    .reject("2.12555e+09", .lossyExcelNumber),
    .reject("1.21255E+10", .lossyExcelNumber),
    .reject("2.12555123E+09", .lossyExcelNumber),
    .reject("2E+09", .lossyExcelNumber),
    .reject("2.1E+05", .tooShort),
    .reject("2.1E+14", .tooLong),
    .reject("2.1255512345E+09", .notANumber),
    .reject("212555123.0", .tooShort),
    .reject("'", .notANumber),
    .reject("=\"\"", .notANumber),
  ]

  static let unicode: [ParsingCase] = [
    .accept("２１２５５５１２３４", "+12125551234", state: "NY"),
    .accept("（２１２）５５５－１２３４", "+12125551234", state: "NY"),
    .accept("＋１ ２１２ ５５５ １２３４", "+12125551234", state: "NY"),
    .accept("٢١٢٥٥٥١٢٣٤", "+12125551234", state: "NY"),
    .accept("۲۱۲۵۵۵۱۲۳۴", "+12125551234", state: "NY"),
    .accept("२१२५५५१२३४", "+12125551234", state: "NY"),
    .accept("২১২৫৫৫১২৩৪", "+12125551234", state: "NY"),
    .accept("212‐555‐1234", "+12125551234", state: "NY"),
    .accept("212–555–1234", "+12125551234", state: "NY"),
    .accept("212—555—1234", "+12125551234", state: "NY"),
    .accept("212\u{2009}555\u{2009}1234", "+12125551234", state: "NY"),
    .accept("\u{3000}212 555 1234\u{3000}", "+12125551234", state: "NY"),
    .accept("\u{FEFF}212-555-1234", "+12125551234", state: "NY"),
    .accept("212-555-1234 móvil", "+12125551234", state: "NY"),
    .accept("２１２-555-1234 ｘ８９", "+12125551234", ext: "89", state: "NY"),
    .reject("２１２５５５", .tooShort),
    .reject("電話", .notANumber),
    .reject("212-555-12é4", .notANumber),
  ]

  static let vanityAndLabels: [ParsingCase] = [
    .accept("1-800-FLOWERS", "+18003569377", state: nil),
    .accept("1-800-flowers", "+18003569377", state: nil),
    .accept("800-FLOWERS", "+18003569377", state: nil),
    .accept("1-800-GOT-JUNK", "+18004685865", state: nil),
    .accept("1 (888) MY-PIZZA", "+18886974992", state: nil),
    .accept("1-877-KARS4KIDS", "+18775277454", state: nil),
    .accept("1-800-MATTRESS", "+18006288737", state: nil),
    .accept("+1 866 FLOWERS", "+18663569377", state: nil),
    .accept("212-555-1234 (cell)", "+12125551234", state: "NY"),
    .accept("212-555-1234 cell", "+12125551234", state: "NY"),
    .accept("212-555-1234 mobile", "+12125551234", state: "NY"),
    .accept("212-555-1234 (Mobile)", "+12125551234", state: "NY"),
    .accept("mobile 212 555 1234", "+12125551234", state: "NY"),
    .accept("Cell: (212) 555-1234", "+12125551234", state: "NY"),
    .accept("Phone: +1 212 555 1234", "+12125551234", state: "NY"),
    .accept("212-555-1234 home", "+12125551234", state: "NY"),
    .accept("212-555-1234 - work", "+12125551234", state: "NY"),
    .accept("1-800-FLOWERS (toll free)", "+18003569377", state: nil),
    .reject("212-FLOWERS", .notANumber),
    .reject("212-555-CALL", .notANumber),
    .reject("212-555-12AB", .notANumber),
    .reject("1-800-FLOWERS-NOW 212-555-1234", .multipleNumbers),
  ]

  static let rejects: [ParsingCase] = [
    .reject("", .empty),
    .reject("   ", .empty),
    .reject("\t", .empty),
    .reject("\u{00A0}", .empty),
    .reject("N/A", .notANumber),
    .reject("n/a", .notANumber),
    .reject("unknown", .notANumber),
    .reject("-", .notANumber),
    .reject("--", .notANumber),
    .reject("none", .notANumber),
    .reject("()", .notANumber),
    .reject("TBD", .notANumber),
    .reject("555-1234", .tooShort),
    .reject("5551234", .tooShort),
    .reject("555 1234", .tooShort),
    .reject("212-555-123", .tooShort),
    .reject("1-212-555-123", .tooShort),
    .reject("+1 212 555 123", .tooShort),
    .reject("12", .tooShort),
    .reject("212-555-12345", .tooLong),
    .reject("212555123456", .tooLong),
    .reject("1-212-555-12345", .tooLong),
    .reject("+1 212 555 12345", .tooLong),
    .reject("212-555-1234-1", .tooLong),
    .reject("212-555-1234 x1234567890123456", .tooLong),
    .reject("12345678901234567890123", .tooLong),
    .reject("+44 20 7946 0958", .invalidCountryCode),
    .reject("+33 1 42 68 53 00", .invalidCountryCode),
    .reject("+52 55 1234 5678", .invalidCountryCode),
    .reject("011 44 20 7946 0958", .invalidCountryCode),
    .reject("+2125551234", .invalidCountryCode),
    .reject("212-555-1234 / 646-555-9876", .multipleNumbers),
    .reject("212-555-1234, 646-555-9876", .multipleNumbers),
    .reject("212-555-1234; 646-555-9876", .multipleNumbers),
    .reject("2125551234 6465559876", .multipleNumbers),
    .reject("212-555-1234 or 646-555-9876", .multipleNumbers),
    .reject("(212) 555-1234 (cell) (646) 555-9876 (home)", .multipleNumbers),
    .reject("212-555-1234 x89 646-555-9876", .multipleNumbers),
    .reject("212-555-1234 555-9876", .multipleNumbers),
    .reject("212-555-1234 12", .tooLong),
  ]

  static let areaCodes: [ParsingCase] = [
    .reject("(290) 555-1234", .invalidAreaCode),
    .reject("(390) 555-1234", .invalidAreaCode),
    .reject("(999) 555-1234", .invalidAreaCode),
    .reject("(370) 555-1234", .invalidAreaCode),
    .reject("(375) 555-1234", .invalidAreaCode),
    .reject("(960) 555-1234", .invalidAreaCode),
    .reject("(969) 555-1234", .invalidAreaCode),
    .reject("(211) 555-1234", .invalidAreaCode),
    .reject("(411) 555-1234", .invalidAreaCode),
    .reject("(911) 555-1234", .invalidAreaCode),
    .reject("(012) 555-1234", .invalidAreaCode),
    .reject("(112) 555-1234", .invalidAreaCode),
    .reject("1 (012) 555-1234", .invalidAreaCode),
    .reject("(880) 555-1234", .invalidAreaCode),
    .reject("(889) 555-1234", .invalidAreaCode),
    .reject("(222) 555-1234", .invalidAreaCode),
    .reject("(333) 555-1234", .invalidAreaCode),
    .reject("1212555123", .invalidAreaCode),
    .reject("1 212 555 123", .tooShort),
    .reject("(212) 055-1234", .invalidExchange),
    .reject("(212) 155-1234", .invalidExchange),
    .reject("(212) 011-1234", .invalidExchange),
    .reject("(212) 211-1234", .invalidExchange),
    .reject("(212) 411-1234", .invalidExchange),
    .reject("(212) 911-1234", .invalidExchange),
    .reject("(416) 611-1234", .invalidExchange),
    .reject("1-800-011-1234", .invalidExchange),
    .reject("212-555-0100", .fictionalNumber),
    .reject("212-555-0155", .fictionalNumber),
    .reject("212-555-0199", .fictionalNumber),
    .reject("+1 416 555 0123", .fictionalNumber),
    .reject("1-800-555-0199", .fictionalNumber),
    .accept("212-555-0200", "+12125550200", state: "NY"),
    .accept("212-555-0099", "+12125550099", state: "NY"),
    .accept("212-555-5555", "+12125555555", state: "NY"),
  ]

  static let regions: [ParsingCase] = [
    .accept("(416) 555-2368", "+14165552368", region: "CA", state: "ON"),
    .accept("604-555-2368", "+16045552368", region: "CA", state: "BC"),
    .accept("514 555 2368", "+15145552368", region: "CA", state: "QC"),
    .accept("403.555.2368", "+14035552368", region: "CA", state: "AB"),
    .accept("902-555-2368", "+19025552368", region: "CA", state: "NS"),
    .accept("709-555-2368", "+17095552368", region: "CA", state: "NL"),
    .accept("306-555-2368", "+13065552368", region: "CA", state: "SK"),
    .accept("204-555-2368", "+12045552368", region: "CA", state: "MB"),
    .accept("506-555-2368", "+15065552368", region: "CA", state: "NB"),
    .accept("867-555-2368", "+18675552368", region: "CA", state: "NT"),
    .accept("202-555-2368", "+12025552368", state: "DC"),
    .accept("312-555-2368", "+13125552368", state: "IL"),
    .accept("415-555-2368", "+14155552368", state: "CA"),
    .accept("305-555-2368", "+13055552368", state: "FL"),
    .accept("713-555-2368", "+17135552368", state: "TX"),
    .accept("617-555-2368", "+16175552368", state: "MA"),
    .accept("206-555-2368", "+12065552368", state: "WA"),
    .accept("907-555-2368", "+19075552368", state: "AK"),
    .accept("808-555-2368", "+18085552368", state: "HI"),
    .accept("1-800-555-2368", "+18005552368", state: nil),
    .accept("1-833-555-2368", "+18335552368", state: nil),
    .accept("1-844-555-2368", "+18445552368", state: nil),
    .accept("1-855-555-2368", "+18555552368", state: nil),
    .accept("1-866-555-2368", "+18665552368", state: nil),
    .accept("1-877-555-2368", "+18775552368", state: nil),
    .accept("1-888-555-2368", "+18885552368", state: nil),
    .accept("1-900-555-2368", "+19005552368", state: nil),
    .reject("787-555-2368", .outsideAllowedRegions),
    .reject("939-555-2368", .outsideAllowedRegions),
    .reject("340-555-2368", .outsideAllowedRegions),
    .reject("671-555-2368", .outsideAllowedRegions),
    .reject("684-733-2368", .outsideAllowedRegions),
    .reject("670-555-2368", .outsideAllowedRegions),
    .reject("876-555-2368", .outsideAllowedRegions),
    .reject("809-555-2368", .outsideAllowedRegions),
    .reject("242-357-2368", .outsideAllowedRegions),
    .reject("441-295-2368", .outsideAllowedRegions),
    .reject("416-555-2368", .outsideAllowedRegions, regions: RegionSet([.us])),
    .reject("212-555-2368", .outsideAllowedRegions, regions: RegionSet([.ca])),
    .accept("787-555-2368", "+17875552368", region: "PR", state: "PR", regions: .all),
    .accept("876-555-2368", "+18765552368", region: "JM", state: nil, regions: .all),
    .accept("340-555-2368", "+13405552368", region: "VI", state: "VI", regions: RegionSet([.us, Region(code: "VI")!])),
  ]

  @Test("accepted formats", arguments: formats)
  func acceptsFormats(_ c: ParsingCase) { check(c) }

  @Test("extensions", arguments: extensions)
  func extensionsParse(_ c: ParsingCase) { check(c) }

  @Test("spreadsheet artefacts", arguments: excel)
  func spreadsheetArtefacts(_ c: ParsingCase) { check(c) }

  @Test("non-ASCII digits, spaces and dashes", arguments: unicode)
  func unicodeFields(_ c: ParsingCase) { check(c) }

  @Test("vanity letters and labels", arguments: vanityAndLabels)
  func vanityAndLabelFields(_ c: ParsingCase) { check(c) }

  @Test("rejected fields", arguments: rejects)
  func rejectedFields(_ c: ParsingCase) { check(c) }

  @Test("area codes, exchanges and fictional numbers", arguments: areaCodes)
  func areaCodeRules(_ c: ParsingCase) { check(c) }

  @Test("regions and states", arguments: regions)
  func regionRules(_ c: ParsingCase) { check(c) }

  @Test func tableHoldsAtLeastTwoHundredCases() {
    let all: [[ParsingCase]] = [
      Self.formats, Self.extensions, Self.excel, Self.unicode, Self.vanityAndLabels, Self.rejects,
      Self.areaCodes, Self.regions,
    ]
    #expect(all.map(\.count).reduce(0, +) >= 200)
  }

  private func check(_ c: ParsingCase, sourceLocation: SourceLocation = #_sourceLocation) {
    let parser = PhoneNumberParser(allowedRegions: c.regions)
    let result = parser.parse(c.input)
    if let reason = c.reason {
      #expect(result == .invalid(reason), sourceLocation: sourceLocation)
      return
    }
    guard let number = result.number else {
      Issue.record("expected \(c.e164!), got \(result)", sourceLocation: sourceLocation)
      return
    }
    #expect(number.e164 == c.e164, sourceLocation: sourceLocation)
    #expect(number.phoneExtension?.description == c.phoneExtension, sourceLocation: sourceLocation)
    #expect(number.region.code == c.region, sourceLocation: sourceLocation)
    #expect(parser.table.state(npa: number.npa) == c.state, sourceLocation: sourceLocation)
  }
}
