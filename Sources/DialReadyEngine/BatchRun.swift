import Foundation
import TableIO

/// Classifies every lead list in a directory, each into its own output directory, for nightly runs:
/// a file that fails does not stop the others, and `run.json` records every file's outcome.
public enum BatchRun {
  /// File extensions picked up from an input directory.
  public static let extensions: Set<String> = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "json", "ndjson", "jsonl"]

  /// One file's outcome in `run.json`.
  public struct FileResult: Codable, Sendable {
    public var file: String
    public var status: String
    public var outputDirectory: String?
    public var validRowCount: Int?
    public var invalidRowCount: Int?
    public var duplicateRowCount: Int?
    public var likelyAnswerRowCount: Int?
    public var error: String?
    public var errorMessage: String?
    public var exitCode: Int32
  }

  /// `run.json`: the whole batch.
  public struct Summary: Codable, Sendable {
    public var inputDirectory: String
    public var outputRoot: String
    public var startedAt: String
    public var finishedAt: String
    public var completed: Int
    public var failed: Int
    public var files: [FileResult]
    public var notices: [String]

    /// The exit code of the batch: 0 when every file completed, else the first failure's code.
    public var exitCode: Int32 { files.first { $0.exitCode != 0 }?.exitCode ?? 0 }
  }

  /// The output root when none is given: `<directory>.dialready` beside the input directory.
  /// `.` and `..` are named by their real path, so the root lands beside the folder, not inside it.
  public static func defaultOutputRoot(for directory: String) -> String {
    var trimmed = directory
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    let last = trimmed.split(separator: "/").last
    if last == "." || last == ".." { trimmed = PathSafety.realPath(trimmed) }
    return trimmed + ".dialready"
  }

  /// The supported files directly inside `directory`, sorted by name (hidden files skipped).
  public static func inputs(in directory: String) throws(DialReadyError) -> [String] {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
      throw .input(.inputUnreadable(path: directory, errno: EACCES))
    }
    return names.filter { name in
      !name.hasPrefix(".") && extensions.contains((name as NSString).pathExtension.lowercased())
    }.sorted().map { (directory as NSString).appendingPathComponent($0) }
  }

  /// Runs `template` (with its input and output replaced) over every file of `directory`.
  public static func run(
    directory: String, outputRoot: String?, template: ClassifyOptions,
    onFile: (String, Result<OutputManifest, DialReadyError>) -> Void = { _, _ in }
  ) throws(DialReadyError) -> Summary {
    let root = outputRoot ?? defaultOutputRoot(for: directory)
    let started = Date()
    var reads = template.readPaths
    reads[0] = PathSafety.ReadPath(directory, role: "the input directory")
    try PathSafety.check(output: root, role: "output root", reads: reads)
    // The root may be new, empty or an earlier batch's; never a folder of other files.
    guard PathSafety.isUsableBatchRoot(root) else { throw .outputNotReplaceable(path: root) }
    let files = try inputs(in: directory)
    if FileIO.makeDirectory(root) != 0 && errno != EEXIST { throw .cannotCreateOutput(path: root, errno: errno) }
    let lock = try OutputLock(outputDirectory: root + "/run")
    defer { lock.release() }
    var notices: [String] = []
    if let pid = lock.recoveredFromPID { notices.append("recovered a stale lock \(lock.path) left by PID \(pid)") }
    var results: [FileResult] = []
    var usedNames: Set<String> = []
    for file in files {
      let name = (file as NSString).lastPathComponent
      var stem = (name as NSString).deletingPathExtension
      if usedNames.contains(stem) { stem = name }
      usedNames.insert(stem)
      var options = template
      options.inputPath = file
      options.outputDirectory = (root as NSString).appendingPathComponent(stem + ".dialready")
      let job = ClassifyJob(options: options)
      do {
        let manifest = try job.run()
        notices += job.notices
        results.append(FileResult(
          file: name, status: "completed", outputDirectory: manifest.outputDirectory, validRowCount: manifest.validRowCount,
          invalidRowCount: manifest.invalidRowCount, duplicateRowCount: manifest.duplicateRowCount,
          likelyAnswerRowCount: manifest.outputs.filtered.rows, error: nil, errorMessage: nil, exitCode: 0))
        onFile(file, .success(manifest))
      } catch {
        results.append(FileResult(
          file: name, status: "failed", outputDirectory: nil, validRowCount: nil, invalidRowCount: nil,
          duplicateRowCount: nil, likelyAnswerRowCount: nil, error: error.code, errorMessage: error.description,
          exitCode: error.exitCode))
        onFile(file, .failure(error))
      }
    }
    let summary = Summary(
      inputDirectory: directory, outputRoot: root, startedAt: started.ISO8601Format(), finishedAt: Date().ISO8601Format(),
      completed: results.filter { $0.status == "completed" }.count, failed: results.filter { $0.status == "failed" }.count,
      files: results, notices: notices)
    try write(summary, to: (root as NSString).appendingPathComponent("run.json"))
    return summary
  }

  /// Writes `run.json` atomically (temporary file, then rename).
  static func write(_ summary: Summary, to path: String) throws(DialReadyError) {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard var data = try? encoder.encode(summary) else { throw .internalError("run.json encoding failed") }
    data.append(10)
    let code = data.withUnsafeBytes { FileIO.writeFileAtomically($0, to: path) }
    if code != 0 { throw .cannotCreateOutput(path: path, errno: code) }
  }
}
