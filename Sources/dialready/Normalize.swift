import ArgumentParser
import NANP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `dialready normalize`: one phone number per argument or stdin line in, one TSV (or JSON) row out.
struct Normalize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Parse phone numbers given as arguments or stdin lines and print E.164, extension, region, state, kind or the reason they were rejected.",
    discussion: """
      Prints a header row `input, e164, extension, region, state, kind, reason`, tab-separated, then one \
      row per input line in order (an empty line gives an `empty` row). Tabs, backslashes, CR and LF in \
      the echoed input are escaped as \\t, \\\\, \\r and \\n. Always exits 0 once its options are valid.
      """
  )

  @Argument(help: "Numbers to parse. Without any, reads one number per line from standard input.")
  var numbers: [String] = []

  @Option(help: "Allowed regions, comma-separated NANP codes (US,CA,PR,JM,…), or ALL.")
  var regions: String = "US,CA"

  @Flag(help: "Print one JSON object per line (input, e164, extension, region, state, kind, reason) instead of TSV.")
  var json = false

  mutating func validate() throws {
    if case .failure(let error) = RegionSet.parse(regions) { throw ValidationError(error.description) }
  }

  func run() throws {
    guard case .success(let allowed) = RegionSet.parse(regions) else { return }
    var printer = NormalizePrinter(parser: PhoneNumberParser(allowedRegions: allowed), json: json)
    printer.writeHeader()
    if numbers.isEmpty {
      LineReader(fd: 0).forEachLine { printer.writeRow(for: $0) }
    } else {
      for number in numbers {
        var number = number
        number.withUTF8 { printer.writeRow(for: $0) }
      }
    }
    printer.flush()
  }
}
