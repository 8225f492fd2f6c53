import Foundation

/// Runs the built `dialready` binary, as a user would, and captures what it printed.
struct CommandResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum Command {
  /// The `dialready` binary beside the test bundle (`swift build --build-tests` builds both).
  static let binary: String = {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var candidate = bundle.appendingPathComponent("dialready").path
    if !FileManager.default.fileExists(atPath: candidate) {
      candidate = bundle.deletingLastPathComponent().appendingPathComponent("dialready").path
    }
    return candidate
  }()

  static let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
  }()

  static func fixture(_ name: String) -> String { repositoryRoot + "/Fixtures/" + name }

  static func run(
    _ arguments: [String], stdin: Data? = nil, in directory: String? = nil, environment extra: [String: String] = [:]
  ) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    // Scores depend on the planned call's local time: pin "now" as the engine tests do.
    var environment = ProcessInfo.processInfo.environment
    environment["DIALREADY_NOW"] = "2026-11-25T17:00:00Z"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    let writer = Thread {
      if let stdin { input.fileHandleForWriting.write(stdin) }
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    var stdoutData = Data()
    var stderrData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      stderrData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
      status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
      stderr: String(decoding: stderrData, as: UTF8.self))
  }
}

/// A temporary directory for one test.
struct Scratch {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "dialready-cli-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
  func entries() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? [] }
}
