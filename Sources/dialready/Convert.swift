import ArgumentParser
import DialReadyEngine
import Foundation
import TableIO

/// `dialready convert`: any supported input to plain CSV, for offline conversion and for checking readers.
struct Convert: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Convert a lead list (CSV, TSV, XLSX, XLS, JSON or NDJSON) to UTF-8 comma-separated CSV, every row and field as read.",
    discussion: "Blank rows stay as empty records, so record N of the output is row N of the input. The output is written to a temporary file and renamed when complete."
  )

  @Argument(help: "The input; '-' reads standard input.")
  var input: String

  @Option(name: [.short, .long], help: "The CSV file to write; '-' for standard output.")
  var output: String = "-"

  @Option(help: "Input format: csv, tsv, xlsx, xls, json or ndjson. Default: detected from the content.")
  var format: String?

  @Option(help: "Worksheet of a spreadsheet, by name or 1-based number. Default: the first.")
  var sheet: String?

  @Option(help: "Field delimiter of a CSV input. Default: sniffed.")
  var delimiter: String?

  @Option(help: "Encoding of a CSV input. Default: detected.")
  var encoding: String?

  mutating func validate() throws {
    if let format, InputFormat(name: format) == nil { throw ValidationError("--format must be one of csv, tsv, xlsx, xls, json, ndjson") }
    if let delimiter, CSVDialect(delimiterName: delimiter) == nil { throw ValidationError("--delimiter must be one character") }
    if let encoding {
      do { _ = try InputEncoding(name: encoding) } catch { throw ValidationError(error.description) }
    }
  }

  func run() throws {
    var options = ClassifyOptions(inputPath: input)
    options.format = format.flatMap(InputFormat.init(name:))
    options.sheet = sheet
    options.dialect = delimiter.flatMap(CSVDialect.init(delimiterName:))
    options.encoding = try encoding.map { try InputEncoding(name: $0) }
    do {
      _ = try TableConversion.convert(options, to: output)
    } catch {
      standardError("dialready: \(error.description)")
      throw ExitCode(error.exitCode)
    }
  }
}
