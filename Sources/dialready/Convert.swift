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

  @OptionGroup var reading: InputOptions

  func run() throws {
    var options = ClassifyOptions(inputPath: input)
    reading.apply(to: &options)
    do {
      let summary = try TableConversion.convert(options, to: output)
      if let notice = summary.unclosedQuoteNotice { standardError("dialready: note: \(notice)") }
    } catch {
      standardError("dialready: \(error.description)")
      throw ExitCode(error.exitCode)
    }
  }
}
