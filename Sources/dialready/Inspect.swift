import ArgumentParser
import DialReadyEngine
import Foundation
import NANP
import TableIO

/// `dialready inspect`: a preview of an input before classifying it.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Preview a lead list: format, encoding, delimiter, row estimate, columns, the phone column chosen and why, and five sample rows normalized."
  )

  @Argument(help: "The lead list to inspect; '-' reads standard input.")
  var input: String

  @Option(help: "The phone column's name or 1-based number. Default: detected.")
  var phoneColumn: String?

  @Option(help: "Input format: csv, tsv, xlsx, xls, json or ndjson. Default: detected from the content.")
  var format: String?

  @Option(help: "Worksheet of a spreadsheet, by name or 1-based number. Default: the first.")
  var sheet: String?

  @Option(help: "Field delimiter: ',', ';', 'tab' or '|'. Default: sniffed.")
  var delimiter: String?

  @Option(help: "Input encoding (utf-8, utf-16le, windows-1252, …). Default: detected.")
  var encoding: String?

  @Option(help: "Allowed regions, comma-separated NANP codes, or ALL.")
  var regions: String = "US,CA"

  @Flag(help: "Print the report as JSON.")
  var json = false

  mutating func validate() throws {
    if case .failure(let error) = RegionSet.parse(regions) { throw ValidationError(error.description) }
    if let format, InputFormat(name: format) == nil {
      throw ValidationError("--format must be one of csv, tsv, xlsx, xls, json, ndjson")
    }
    if let delimiter, CSVDialect(delimiterName: delimiter) == nil { throw ValidationError("--delimiter must be one character") }
    if let encoding {
      do { _ = try InputEncoding(name: encoding) } catch { throw ValidationError(error.description) }
    }
  }

  func run() throws {
    var options = ClassifyOptions(inputPath: input)
    options.phoneColumn = phoneColumn
    options.format = format.flatMap(InputFormat.init(name:))
    options.sheet = sheet
    options.dialect = delimiter.flatMap(CSVDialect.init(delimiterName:))
    options.encoding = try encoding.map { try InputEncoding(name: $0) }
    options.regions = (try? RegionSet.parse(regions).get()) ?? .default
    let report: InspectReport
    do { report = try InspectReport.inspect(options) } catch {
      standardError("dialready: \(error.description)")
      throw ExitCode(error.exitCode)
    }
    if json {
      let encoder = JSONEncoder()
      encoder.keyEncodingStrategy = .convertToSnakeCase
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
      return
    }
    print("file:         \(report.path)" + (report.fileSizeBytes.map { " (\($0) bytes)" } ?? ""))
    print("format:       \(report.format), encoding \(report.encoding)\(report.byteOrderMark ? " with BOM" : ""), delimiter '\(report.delimiter)'")
    if !report.sheets.isEmpty {
      print("sheets:       \(report.sheets.map { $0 == report.sheet ? "\($0) (read)" : $0 }.joined(separator: ", "))")
    }
    print("rows:         \(report.rowCountIsExact ? "" : "about ")\(report.estimatedRows)")
    print("columns:      \(report.columns.joined(separator: ", "))")
    print("phone column: \(report.phoneColumn ?? "(none)") — \(report.phoneColumnReason)")
    for sample in report.samples {
      let outcome = sample.e164 ?? "invalid: \(sample.reason ?? "")"
      print("  row \(sample.row): \(sample.phone.debugDescription) → \(outcome)")
    }
  }
}
