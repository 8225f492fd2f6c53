import Testing

@testable import NANP

/// Pins the generated table against numbers checked one by one with libphonenumber's Python port
/// (`Fixtures/nanp/libphonenumber-sample.tsv`, written by `Scripts/generate-nanp-data.py`).
@Suite("Area-code table against libphonenumber")
struct AreaCodeTableTests {
  struct SampleRow: Sendable, CustomTestStringConvertible {
    let number: UInt64
    let valid: Bool
    let region: String
    let kind: String
    let state: String
    let zones: String
    var testDescription: String { String(number) }
  }

  /// Numbers whose validity libphonenumber decides below exchange level (see `matchesLibphonenumber`).
  static let lineLevelExceptions: Set<UInt64> = [876_606_1187]

  static let sample: [SampleRow] = {
    let path = RepositoryFiles.path("Fixtures/nanp/libphonenumber-sample.tsv")
    return RepositoryFiles.read(path).split(separator: "\n").dropFirst().map { line in
      let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      return SampleRow(
        number: UInt64(f[0])!, valid: f[1] == "true", region: f[2], kind: f[3], state: f[4], zones: f[5])
    }
  }()

  @Test func sampleHasSeveralHundredRows() {
    #expect(Self.sample.count >= 300)
    #expect(Self.sample.filter(\.valid).count >= 150)
  }

  @Test("each sampled number", arguments: sample)
  func matchesLibphonenumber(_ row: SampleRow) {
    let table = AreaCodeTable.shared
    let npa = Int(row.number / 10_000_000)
    let nxx = Int(row.number / 10_000 % 1000)
    let known = table.areaCode(npa) != nil && table.isExchangeValid(npa: npa, nxx: nxx)
    if Self.lineLevelExceptions.contains(row.number) {
      // The table works at exchange precision; libphonenumber splits a few Caribbean exchanges by line number.
      #expect(known && !row.valid)
      return
    }
    #expect(known == row.valid)
    guard row.valid, let areaCode = table.areaCode(npa) else { return }
    let (region, kind) = table.regionAndKind(npa: npa, nxx: nxx, info: table.packed.info(npa: npa))
    #expect(region.code == row.region)
    #expect(kind.name == row.kind)
    #expect((areaCode.state ?? "") == row.state)
    let ours = table.timeZones(national: row.number)
    let theirs = row.zones.split(separator: ",").map(String.init)
    if theirs.count > 10 {
      // libphonenumber answers the whole +1 zone list for numbers it does not type as geographic
      // (Caribbean mobile ranges); the table keeps the area code's own zone, which must be among them.
      #expect(!ours.isEmpty && ours.allSatisfy(theirs.contains))
    } else {
      #expect(ours == theirs)
    }
  }

  @Test func headerNamesTheSourceVersion() {
    #expect(AreaCodeTable.shared.sourceVersion == "phonenumbers 9.0.43")
  }

  @Test func reservedAndServiceAreaCodesAreAbsent() {
    let table = AreaCodeTable.shared
    for npa in [211, 311, 411, 511, 611, 711, 811, 911, 290, 390, 490, 370, 371, 379, 960, 969, 880, 889] {
      #expect(table.areaCode(npa) == nil, "\(npa)")
    }
    #expect(table.areaCodes.count > 400)
  }

  @Test func tollFreeAndPersonalCodesHaveNoTimeZone() {
    let table = AreaCodeTable.shared
    #expect(table.timeZones(national: 800_555_2368).isEmpty)
    #expect(table.timeZones(national: 500_555_2368).isEmpty)
    #expect(table.timeZones(national: 212_555_2368) == ["America/New_York"])
  }
}
