import ArgumentParser
import DialReadyEngine
import NANP
import TableIO

/// How to read an input: the options `classify`, `inspect` and `convert` share.
struct InputOptions: ParsableArguments {
  @Option(help: "Input format: csv, tsv, xlsx, xls, json or ndjson. Default: detected from the content.")
  var format: String?

  @Option(help: "Worksheet of a spreadsheet, by name or 1-based number. Default: the first.")
  var sheet: String?

  @Option(help: "Field delimiter of a CSV input: ',', ';', 'tab' or '|'. Default: sniffed from the first 64 KiB.")
  var delimiter: String?

  @Option(help: "Encoding of a CSV input: utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1 or any ICU name. Default: detected.")
  var encoding: String?

  @Flag(help: "Read a CSV whose quoted field never closes to the end of the file, as spreadsheets do (the rest of the file becomes that field), instead of refusing it (exit 65). The run says so on stderr and in its summary.")
  var lenientQuotes = false

  @OptionGroup(title: "Reader limits") var limitOptions: ReaderLimitOptions

  mutating func validate() throws {
    if let format, InputFormat(name: format) == nil {
      throw ValidationError("--format must be one of csv, tsv, xlsx, xls, json, ndjson")
    }
    if let delimiter, CSVDialect(delimiterName: delimiter) == nil {
      throw ValidationError("--delimiter must be one character such as ',', ';', 'tab' or '|'")
    }
    if let encoding {
      do { _ = try InputEncoding(name: encoding) } catch { throw ValidationError(error.description) }
    }
  }

  /// Sets the reading options of `options`.
  func apply(to options: inout ClassifyOptions) {
    options.format = format.flatMap(InputFormat.init(name:))
    options.sheet = sheet
    options.dialect = delimiter.flatMap(CSVDialect.init(delimiterName:))
    options.encoding = encoding.flatMap { try? InputEncoding(name: $0) }
    options.limits = limitOptions.limits
    options.lenientQuotes = lenientQuotes
  }
}

/// The phone column and allowed regions: the options `classify` and `inspect` share.
struct NumberOptions: ParsableArguments {
  @Option(help: "The phone column's name (case, spaces, '_' and '-' ignored) or 1-based number. Default: detected.")
  var phoneColumn: String?

  @Option(help: "Allowed regions, comma-separated NANP codes (US,CA,PR,…), or ALL.")
  var regions: String = "US,CA"

  mutating func validate() throws {
    if case .failure(let error) = RegionSet.parse(regions) { throw ValidationError(error.description) }
  }

  /// Sets the phone column and regions of `options`.
  func apply(to options: inout ClassifyOptions) {
    options.phoneColumn = phoneColumn
    options.regions = (try? RegionSet.parse(regions).get()) ?? .default
  }
}
