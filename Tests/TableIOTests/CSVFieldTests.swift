import Testing

@testable import TableIO

@Suite("CSV fields")
struct CSVFieldTests {
  @Test(arguments: [
    ("plain", "plain"), ("\"quoted\"", "quoted"), ("\"a \"\"b\"\" c\"", "a \"b\" c"), ("\"\"", ""),
    ("\"a,b\"", "a,b"), ("x\"y", "x\"y"),
  ])
  func unquotes(_ raw: String, _ value: String) {
    var scratch: [UInt8] = []
    let result = Array(raw.utf8).withUnsafeBytes { bytes in
      CSVField.withValue(bytes, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
    }
    #expect(result == value)
  }

  @Test(arguments: [
    ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
    ("", ""),
  ])
  func quotesOnlyWhereNeeded(_ value: String, _ expected: String) {
    let out = OutputBytes(capacity: 8)
    Array(value.utf8).withUnsafeBytes { CSVField.appendQuoted($0, to: out) }
    #expect(String(decoding: out.bytes, as: UTF8.self) == expected)
  }

  @Test func outputBytesGrowsAndFormatsDecimals() {
    let out = OutputBytes(capacity: 1)
    for i in [0, 7, 42, 1_234_567, Int(UInt32.max)] {
      out.appendDecimal(i)
      out.append(UInt8(ascii: " "))
    }
    #expect(String(decoding: out.bytes, as: UTF8.self) == "0 7 42 1234567 4294967295 ")
  }
}
