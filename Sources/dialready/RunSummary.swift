import DialReadyEngine
import Foundation

/// The `--json` line printed per run: the manifest's headline fields, for scripts and cron.
struct RunSummary: Encodable {
  let originalFilename: String
  let status: String
  let validRowCount: Int
  let invalidRowCount: Int
  let duplicateRowCount: Int
  let likelyAnswerRowCount: Int
  let dataRows: Int
  let outputDirectory: String
  let manifest: String
  let totalSeconds: Double
  let rowsPerSecond: Double
  let errorMessage: String?
  /// Whether a quoted field never closed and the rest of the file was read into it (`--lenient-quotes`).
  let endedInsideQuotes: Bool
  /// What the user should know that did not stop the run (the notes printed on stderr).
  let notices: [String]

  init(_ m: OutputManifest, notices: [String] = []) {
    originalFilename = m.originalFilename
    status = m.status
    validRowCount = m.validRowCount
    invalidRowCount = m.invalidRowCount
    duplicateRowCount = m.duplicateRowCount
    likelyAnswerRowCount = m.outputs.filtered.rows
    dataRows = m.input.dataRows
    outputDirectory = m.outputDirectory
    manifest = m.outputDirectory + "/manifest.json"
    totalSeconds = m.timings.totalSeconds
    rowsPerSecond = m.timings.rowsPerSecond
    errorMessage = nil
    endedInsideQuotes = m.input.endedInsideQuotes
    self.notices = notices
  }

  func jsonLine() throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// A failed run: `status` failed, the error code and its one-line message.
  static func failureLine(input: String, error: DialReadyError) -> String {
    struct Failure: Encodable {
      let originalFilename: String
      let status = "failed"
      let error: String
      let errorMessage: String
      let exitCode: Int32
    }
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let failure = Failure(originalFilename: input, error: error.code, errorMessage: error.description, exitCode: error.exitCode)
    return (try? String(decoding: encoder.encode(failure), as: UTF8.self)) ?? "{\"status\":\"failed\"}"
  }
}
