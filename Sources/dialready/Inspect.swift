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

  @OptionGroup var number: NumberOptions

  @OptionGroup var reading: InputOptions

  @Flag(help: "Print the report as JSON.")
  var json = false

  func run() throws {
    var options = ClassifyOptions(inputPath: input)
    number.apply(to: &options)
    reading.apply(to: &options)
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
