import Crypto
import Foundation
import Testing

/// Faults at every file operation, interruption and a full disk: each run either completes with the
/// right outputs or fails with exit 74 (130/143 for signals), one stderr line, and nothing left behind.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
  static let outputs = ["processed.csv", "processed-filtered.csv", "rejects.csv"]

  static func read(_ path: String) -> Data? { try? Data(contentsOf: URL(fileURLWithPath: path)) }

  static func sha256(_ path: String) -> String {
    SHA256.hash(data: read(path) ?? Data()).map { String(format: "%02x", $0) }.joined()
  }

  /// The three CSV outputs of a directory, or nil when one is missing.
  static func csvOutputs(_ directory: String) -> [Data]? {
    let files = outputs.map { read(directory + "/" + $0) }
    return files.contains(where: { $0 == nil }) ? nil : files.map { $0! }
  }

  /// Checks a failed run's promise: exit 74, one stderr line, and only `expected` left in the folder.
  static func expectCleanFailure(_ result: CommandResult, in scratch: Scratch, leaving expected: [String], _ label: String) {
    #expect(result.status == 74, "\(label): exit \(result.status), stderr \(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].hasPrefix("dialready: "), "\(label): stderr \(result.stderr)")
    #expect(scratch.entries() == expected, "\(label): left \(scratch.entries())")
  }

  @Test func aFaultAtEveryFileOperationFailsCleanlyOrIsRetried() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = scratch.path + "/in.csv"
    try FileManager.default.copyItem(atPath: Command.fixture("leads-sample.csv"), toPath: input)
    let inputHash = Self.sha256(input)
    let out = scratch.path + "/out"
    let counted = try Command.run(["classify", input, "--out", out], environment: ["DIALREADY_TEST_FAULT": "count"])
    #expect(counted.status == 0)
    let calls = try #require(
      counted.stderr.split(separator: "\n").first { $0.hasPrefix("dialready-test: file-io-calls ") }
        .flatMap { Int($0.split(separator: " ").last!) })
    #expect(calls >= 10)
    let baseline = try #require(Self.csvOutputs(out))
    try FileManager.default.removeItem(atPath: out)

    var failures = 0
    for n in 1...calls {
      for kind in ["eio", "enospc", "short", "eintr"] {
        let label = "fault \(kind) at call \(n) of \(calls)"
        let result = try Command.run(["classify", input, "--out", out], environment: ["DIALREADY_TEST_FAULT": "\(n):\(kind)"])
        if result.status == 0 {
          #expect(Self.csvOutputs(out) == baseline, "\(label): outputs differ")
          #expect(scratch.entries() == ["in.csv", "out"], "\(label): left \(scratch.entries())")
          try FileManager.default.removeItem(atPath: out)
        } else {
          failures += 1
          #expect(kind == "eio" || kind == "enospc", "\(label): a retryable fault failed the run")
          Self.expectCleanFailure(result, in: scratch, leaving: ["in.csv"], label)
          try? FileManager.default.removeItem(atPath: out)
        }
      }
    }
    #expect(failures >= calls, "every EIO/ENOSPC should fail the run at most once per call")
    #expect(Self.sha256(input) == inputHash)
  }

  @Test func withForceTheEarlierOutputsStayIntactUntilTheNewSetIsComplete() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = scratch.path + "/in.csv"
    try FileManager.default.copyItem(atPath: Command.fixture("leads-sample.csv"), toPath: input)
    let out = scratch.path + "/out"
    let counted = try Command.run(["classify", input, "--out", out], environment: ["DIALREADY_TEST_FAULT": "count"])
    let calls = try #require(
      counted.stderr.split(separator: "\n").first { $0.hasPrefix("dialready-test: file-io-calls ") }
        .flatMap { Int($0.split(separator: " ").last!) })
    let earlier = try #require(Self.csvOutputs(out))
    let earlierManifest = Self.read(out + "/manifest.json")
    for n in 1...(calls + 4) {
      let result = try Command.run(
        ["classify", input, "--out", out, "--force"], environment: ["DIALREADY_TEST_FAULT": "\(n):eio"])
      #expect(Self.csvOutputs(out) == earlier, "fault at \(n): the output set changed")
      if result.status == 0 { continue }
      Self.expectCleanFailure(result, in: scratch, leaving: ["in.csv", "out"], "fault at \(n) with --force")
      #expect(Self.read(out + "/manifest.json") == earlierManifest, "fault at \(n): the earlier manifest changed")
    }
  }

  /// A lead list big enough that a run takes a while (the fixture's rows, repeated).
  static func largeInput(in scratch: Scratch) throws -> String {
    let text = try String(contentsOfFile: Command.fixture("leads-sample.csv"), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let header = lines.removeFirst()
    let body = lines.filter { !$0.isEmpty }.joined(separator: "\n")
    var big = String(header) + "\n"
    for _ in 0..<1500 { big += body + "\n" }
    let path = scratch.path + "/big.csv"
    try big.write(toFile: path, atomically: false, encoding: .utf8)
    return path
  }

  @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
  func anInterruptedRunRemovesItsTemporaryFiles(signal: Int32, exitCode: Int32) throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = try Self.largeInput(in: scratch)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Command.binary)
    process.arguments = ["classify", input, "--out", scratch.path + "/out"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // Wait until the run is writing its staging folder, then interrupt it.
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline && !scratch.entries().contains(where: { $0.hasPrefix(".out.partial-") }) && process.isRunning {
      usleep(2_000)
    }
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    if process.terminationStatus == 0 {
      // The run finished before the signal arrived: then the outputs must be complete.
      #expect(Self.csvOutputs(scratch.path + "/out") != nil)
      return
    }
    #expect(process.terminationReason == .exit, "killed by the signal instead of exiting \(exitCode)")
    #expect(process.terminationStatus == exitCode)
    #expect(stderr.split(separator: "\n").count == 1, "stderr: \(stderr)")
    #expect(scratch.entries() == ["big.csv"], "left \(scratch.entries())")
  }

  @Test func aFullDiskGivesExit74AndNoLeftovers() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let disk = scratch.path + "/disk"
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    // 48 KiB holds the lock and the staging folder but not the ~60 KiB of outputs.
    let mount = try Self.shell("mount -t tmpfs -o size=48k tmpfs '\(disk)'")
    guard mount == 0 else {
      print("skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
      return
    }
    defer { _ = try? Self.shell("umount '\(disk)'") }
    let result = try Command.run(["classify", Command.fixture("leads-sample.csv"), "--out", disk + "/out"])
    #expect(result.status == 74, "stderr: \(result.stderr)")
    #expect(result.stderr.contains("No space left on device"))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect((try? FileManager.default.contentsOfDirectory(atPath: disk)) == [])
  }

  /// Creating the output (or its lock) on a read-only file system is "cannot create output" (73),
  /// not an I/O error while running (74).
  @Test func aReadOnlyFileSystemIsCannotCreateOutput() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let disk = scratch.path + "/ro"
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    guard try Self.shell("mount -t tmpfs -o ro,size=16k tmpfs '\(disk)'") == 0 else {
      print("skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
      return
    }
    defer { _ = try? Self.shell("umount '\(disk)'") }
    let result = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", disk + "/out"])
    #expect(result.status == 73, "stderr: \(result.stderr)")
    #expect(result.stderr.contains("read-only"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  static func shell(_ command: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command + " 2>/dev/null"]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}

@Suite("Recovery after SIGKILL", .serialized)
struct StaleStagingTests {
  /// A run killed between the two renames of a `--force` commit: no output directory, the earlier set
  /// in `.out.partial-PID.old`, the new one in `.out.partial-PID` (PID long gone).
  static func killedMidCommit(in scratch: Scratch) throws -> String {
    let out = scratch.path + "/out"
    let first = try Command.run(["classify", Command.fixture("leads-sample.csv"), "--out", out])
    #expect(first.status == 0)
    let dead = scratch.path + "/.out.partial-999999"
    try FileManager.default.moveItem(atPath: out, toPath: dead + ".old")
    try FileManager.default.createDirectory(atPath: dead, withIntermediateDirectories: false)
    FileManager.default.createFile(atPath: dead + "/processed.csv", contents: Data("half".utf8))
    return out
  }

  @Test func theEarlierSetIsRestoredNotDeleted() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let out = try Self.killedMidCommit(in: scratch)
    let again = try Command.run(["classify", Command.fixture("leads-sample.csv"), "--out", out])
    #expect(again.status == 73, "the restored outputs exist: \(again.stderr)")
    #expect(scratch.entries() == ["out"])
    #expect(CrashSafetyTests.csvOutputs(out) != nil)
  }

  @Test func withForceTheRestoredSetIsReplaced() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let out = try Self.killedMidCommit(in: scratch)
    let again = try Command.run(["classify", Command.fixture("leads-sample.csv"), "--out", out, "--force"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(scratch.entries() == ["out"])
  }
}
