import ArgumentParser
import DialReadyEngine
import Foundation
import NANP
import TableIO

/// `dialready classify`: the main job.
struct Classify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Classify lead lists: write processed, filtered (Likely Answer), rejects and manifest files for each input.",
    discussion: """
      Each input gets its own output directory (default: <input name>.dialready beside it) holding \
      processed.csv, processed-filtered.csv, rejects.csv and manifest.json. Outputs are written to a \
      staging directory and moved into place only when the run succeeds. Exit codes: 0 success, \
      64 usage, 65 data error, 66 input missing or unreadable, 73 cannot create output, 74 I/O error, \
      70 internal error.
      """
  )

  @Argument(help: "Lead lists to classify (CSV, TSV, XLSX, XLS, JSON, NDJSON), or directories of them; '-' reads standard input.")
  var inputs: [String]

  @Option(help: "Output directory (only with a single input; for a directory input, the root of its outputs). Default: <input name>.dialready beside the input.")
  var out: String?

  @OptionGroup var number: NumberOptions

  @OptionGroup var reading: InputOptions

  @OptionGroup(title: "Calling windows") var calling: CallingOptions

  @OptionGroup(title: "Do-not-call lists and earlier runs") var lists: ListOptions

  @OptionGroup(title: "Answer model") var answerModel: ModelOptions

  @Option(
    help: ArgumentHelp(
      "Threads that read, parse, render and write (every thread of the job but the four that hash the input and the outputs). Default: all cores."))
  var threads: Int?

  @Option(help: .hidden)  // Bytes per chunk (default 1 MiB): tests use small chunks to put records across split points.
  var chunkSize: Int?

  @Option(help: "Fail (exit 65) when fewer valid numbers remain, like the reference API's min_contacts_required.")
  var minValid: Int?

  @Option(help: "Fail (exit 65) when an input has more data rows.")
  var maxRows: Int?

  @Option(help: "Fail (exit 65) when an input is larger, in bytes.")
  var maxBytes: Int?

  @Flag(help: "Replace an existing output directory, when it is empty or one DialReady wrote (it holds DialReady's manifest.json and only its outputs).")
  var force = false

  @Flag(help: "Prefix input cells a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) with ' in every output; the manifest counts them. Off by default: input is copied exactly.")
  var excelSafe = false

  @Flag(help: "Print the manifest summary of each run as one JSON object per line on stdout.")
  var json = false

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  @Option(help: "Progress bar on stderr: auto (when stderr is a terminal), always or never.")
  var progress: ProgressMode = .auto

  mutating func validate() throws {
    if out != nil && inputs.count > 1 { throw ValidationError("--out takes a single input; each input gets its own directory") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() throws {
    var failed: Int32 = 0
    for input in inputs {
      var options = ClassifyOptions(inputPath: input)
      options.outputDirectory = out
      number.apply(to: &options)
      reading.apply(to: &options)
      options.callingWindow = try calling.makeOptions()
      lists.apply(to: &options)
      try answerModel.apply(to: &options)
      if let threads { options.threads = threads }
      if let chunkSize { options.chunkSize = max(64, chunkSize) }
      options.minValid = minValid
      options.maxRows = maxRows
      options.maxBytes = maxBytes
      options.force = force
      options.excelSafe = excelSafe
      if isDirectory(input) {
        let code = runBatch(directory: input, template: options)
        if failed == 0 { failed = code }
        continue
      }
      let bar = ProgressBar(mode: progress, quiet: quiet || json, label: input)
      let manifest: OutputManifest
      let job = ClassifyJob(options: options)
      do {
        manifest = try job.run(progress: bar.update)
        for notice in job.notices { standardError("dialready: note: \(notice)") }
      } catch {
        bar.finish()
        standardError("dialready: \(error.description)")
        if json { print(RunSummary.failureLine(input: input, error: error)) }
        if failed == 0 { failed = error.exitCode }
        continue
      }
      bar.finish()
      if json {
        print(try RunSummary(manifest, notices: job.notices).jsonLine())
      } else if !quiet {
        printSummary(manifest)
      }
    }
    if failed != 0 { throw ExitCode(failed) }
  }

  /// Classifies every lead list in `directory`; returns the exit code (non-zero if any file failed).
  private func runBatch(directory: String, template: ClassifyOptions) -> Int32 {
    do {
      let summary = try BatchRun.run(directory: directory, outputRoot: out, template: template) { file, result in
        switch result {
        case .success(let manifest):
          if json {
            print((try? RunSummary(manifest).jsonLine()) ?? "")
          } else if !quiet {
            printSummary(manifest)
          }
        case .failure(let error):
          standardError("dialready: \(error.description)")
          if json { print(RunSummary.failureLine(input: file, error: error)) }
        }
      }
      for notice in summary.notices { standardError("dialready: note: \(notice)") }
      if !quiet && !json {
        print("\(directory): \(summary.completed) completed, \(summary.failed) failed; summary in \(summary.outputRoot)/run.json")
      }
      return summary.exitCode
    } catch {
      standardError("dialready: \(error.description)")
      return error.exitCode
    }
  }

  private func isDirectory(_ path: String) -> Bool {
    var flag: ObjCBool = false
    return path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
  }

  private func printSummary(_ m: OutputManifest) {
    let seconds = String(format: "%.2f", m.timings.totalSeconds)
    print("\(m.input.path): \(m.input.dataRows) rows in \(seconds) s — \(m.validRowCount) valid, \(m.invalidRowCount) invalid, \(m.duplicateRowCount) duplicate; \(m.outputs.filtered.rows) Likely Answer")
    print("  phone column: \(m.input.phoneColumn) (\(m.input.phoneColumnChosenBy)); encoding \(m.input.encoding), delimiter '\(m.input.delimiter)'")
    print("  outputs in \(m.outputDirectory)/: processed.csv, processed-filtered.csv, rejects.csv, manifest.json")
    if m.input.endedInsideQuotes {
      print("  warning: a quoted field never closed; the rest of the file was read as one field (--lenient-quotes)")
    }
  }
}

/// When to draw the progress bar.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

/// Writes one line to standard error; control characters in it (a path or value holding a line
/// break) are escaped so that it stays one line.
func standardError(_ line: String) {
  FileHandle.standardError.write(Data((MessageText.oneLine(line) + "\n").utf8))
}
