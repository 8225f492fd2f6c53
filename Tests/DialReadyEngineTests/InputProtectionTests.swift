import Foundation
import TableIO
import Testing

@testable import DialReadyEngine

/// Nothing a run writes may replace or remove what it reads, and `--force` replaces only what
/// DialReady wrote.
@Suite("Protecting inputs and other files", .serialized)
struct InputProtectionTests {
  static let leads = "name,phone\nAda,(212) 368-2049\nBob,646-291-7730\n"

  func job(_ input: String, out: String?, configure: (inout ClassifyOptions) -> Void = { _ in }) -> ClassifyJob {
    var options = ClassifyOptions(inputPath: input)
    options.plannedCallTime = TestClock.plannedCall
    options.outputDirectory = out
    options.force = true
    configure(&options)
    return ClassifyJob(options: options)
  }

  func exitCode(_ body: () throws -> Void) -> Int32? {
    do {
      try body()
      return nil
    } catch let error as DialReadyError {
      return error.exitCode
    } catch {
      return -1
    }
  }

  func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }

  @Test func anOutputNamingTheInputIsRefusedAndTheInputKept() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(Self.leads.utf8))
    try FileManager.default.createDirectory(atPath: scratch.path + "/sub", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link.csv", withDestinationPath: input)
    let spellings = [
      input, scratch.path + "/./leads.csv", scratch.path + "/sub/../leads.csv", scratch.path + "//leads.csv",
      scratch.path + "/link.csv", scratch.path, scratch.path + "/leads.csv/inside",
    ]
    for out in spellings {
      #expect(exitCode { _ = try job(input, out: out).run() } == 64, "\(out)")
      #expect(contents(input) == Self.leads, "\(out)")
    }
    // The relative spelling from inside the folder.
    let previous = FileManager.default.currentDirectoryPath
    FileManager.default.changeCurrentDirectoryPath(scratch.path + "/sub")
    defer { FileManager.default.changeCurrentDirectoryPath(previous) }
    #expect(exitCode { _ = try job("../leads.csv", out: "../leads.csv").run() } == 64)
    #expect(contents(input) == Self.leads)
    #expect(scratch.entriesWithoutLocks() == ["leads.csv", "link.csv", "sub"])
  }

  @Test func theMessageNamesBothPaths() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(Self.leads.utf8))
    do {
      _ = try job(input, out: input).run()
      Issue.record("the run should have been refused")
    } catch {
      #expect(error.description == "\(input): the output directory would replace or remove \(input) (the input), which this run reads; choose an output path outside it")
    }
  }

  @Test func listsStoresAndSideFilesAreProtectedToo() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(Self.leads.utf8))
    let lookup = scratch.write("lookup.csv", Array("phone,line_type\n2123682049,mobile\n".utf8))
    var builder = DNCIndexBuilder()
    _ = builder.insert(2_123_682_049)
    let dnc = scratch.path + "/dnc.idx"
    try builder.write(to: dnc, sources: [], createdAt: Int64(Date().timeIntervalSince1970))
    let dncBytes = FileManager.default.contents(atPath: dnc)
    // The output directory over a --dnc index or the --lookup file.
    #expect(exitCode { _ = try job(input, out: dnc) { $0.dncPaths = [dnc] }.run() } == 64)
    #expect(exitCode { _ = try job(input, out: lookup) { $0.lookupPath = lookup }.run() } == 64)
    // The lock file beside the output directory (`out.lock`) over a file the run reads.
    let lockVictim = scratch.write("out.lock", Array("keep".utf8))
    #expect(exitCode { _ = try job(input, out: scratch.path + "/out") { $0.lookupPath = lockVictim }.run() } == 64)
    // A --record store over the input, over a --dnc index, or inside the outputs.
    #expect(exitCode { _ = try job(input, out: scratch.path + "/o1") { $0.recordPath = input }.run() } == 64)
    #expect(exitCode { _ = try job(input, out: scratch.path + "/o2") { $0.dncPaths = [dnc]; $0.recordPath = dnc }.run() } == 64)
    #expect(exitCode { _ = try job(input, out: scratch.path + "/o3") { $0.recordPath = scratch.path + "/o3/seen.idx" }.run() } == 64)
    #expect(contents(input) == Self.leads)
    #expect(FileManager.default.contents(atPath: dnc) == dncBytes)
    #expect(contents(lockVictim) == "keep")
    // The nightly pattern stays allowed: --exclude and --record naming the same store.
    let store = scratch.path + "/seen.idx"
    _ = try job(input, out: scratch.path + "/night1") { $0.recordPath = store; $0.excludePath = store }.run()
    let second = try job(input, out: scratch.path + "/night2") { $0.recordPath = scratch.path + "/./seen.idx"; $0.excludePath = store }.run()
    #expect(second.duplicateRowCount == 2)
  }

  @Test func forceReplacesOnlyWhatDialReadyWrote() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(Self.leads.utf8))
    // A folder of the user's own files.
    let docs = scratch.path + "/docs"
    try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: docs + "/notes.txt", contents: Data("mine".utf8))
    #expect(exitCode { _ = try job(input, out: docs).run() } == 73)
    #expect(contents(docs + "/notes.txt") == "mine")
    // A plain file is not an output directory either.
    let file = scratch.write("report.txt", Array("mine".utf8))
    #expect(exitCode { _ = try job(input, out: file).run() } == 73)
    #expect(contents(file) == "mine")
    // An empty folder, then the output directory DialReady wrote there, are replaced.
    let out = scratch.path + "/out"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    _ = try job(input, out: out).run()
    _ = try job(input, out: out).run()
    #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["manifest.json", "processed-filtered.csv", "processed.csv", "rejects.csv"])
    // An output directory the user added a file to is theirs now.
    FileManager.default.createFile(atPath: out + "/called.txt", contents: Data("mine".utf8))
    #expect(exitCode { _ = try job(input, out: out).run() } == 73)
    #expect(contents(out + "/called.txt") == "mine")
    // A manifest.json that DialReady did not write does not count.
    let fake = scratch.path + "/fake"
    try FileManager.default.createDirectory(atPath: fake, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: fake + "/manifest.json", contents: Data("{\"name\": \"my project\"}".utf8))
    #expect(exitCode { _ = try job(input, out: fake).run() } == 73)
    #expect(contents(fake + "/manifest.json") == "{\"name\": \"my project\"}")
  }

  @Test func theNightlyRootFollowsTheSameRules() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let inbox = scratch.path + "/inbox"
    try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: inbox + "/a.csv", contents: Data(Self.leads.utf8))
    var template = ClassifyOptions(inputPath: inbox)
    template.plannedCallTime = TestClock.plannedCall
    template.force = true
    // Inside the input folder, or the folder itself.
    #expect(exitCode { _ = try BatchRun.run(directory: inbox, outputRoot: inbox + "/out", template: template) } == 64)
    #expect(exitCode { _ = try BatchRun.run(directory: inbox, outputRoot: inbox, template: template) } == 64)
    // A folder of other files.
    let docs = scratch.path + "/docs"
    try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: docs + "/notes.txt", contents: Data("mine".utf8))
    #expect(exitCode { _ = try BatchRun.run(directory: inbox, outputRoot: docs, template: template) } == 73)
    #expect(try FileManager.default.contentsOfDirectory(atPath: docs) == ["notes.txt"])
    // A new root, then the same root again (an earlier batch's), work.
    let root = scratch.path + "/nightly"
    #expect(try BatchRun.run(directory: inbox, outputRoot: root, template: template).completed == 1)
    #expect(try BatchRun.run(directory: inbox, outputRoot: root, template: template).completed == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: inbox) == ["a.csv"])
    // A root reached through a symlink (e.g. /srv/outbox -> /data/outbox) is written into.
    try FileManager.default.createDirectory(atPath: scratch.path + "/data", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: scratch.path + "/outbox", withDestinationPath: scratch.path + "/data")
    #expect(try BatchRun.run(directory: inbox, outputRoot: scratch.path + "/outbox", template: template).completed == 1)
    #expect(FileManager.default.fileExists(atPath: scratch.path + "/data/run.json"))
    // The default root of `.` lands beside the folder, not inside it.
    #expect(BatchRun.defaultOutputRoot(for: inbox + "/.") == PathSafety.realPath(inbox) + ".dialready")
  }

  @Test func convertNeverWritesOverItsInput() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(Self.leads.utf8))
    for out in [input, scratch.path + "/./leads.csv", scratch.path] {
      #expect(exitCode { _ = try TableConversion.convert(ClassifyOptions(inputPath: input), to: out) } == 64)
    }
    #expect(contents(input) == Self.leads)
  }

  @Test func readOnlyFileSystemsCannotCreateOutput() {
    #expect(DialReadyError.cannotCreateOutput(path: "/mnt/ro/out", errno: EROFS).exitCode == 73)
    #expect(DialReadyError.cannotCreateOutput(path: "/mnt/full/out", errno: ENOSPC).exitCode == 74)
    #expect(DialReadyError.cannotCreateOutput(path: "/mnt/ro/out", errno: EROFS).description.contains("read-only"))
  }
}

extension ScratchDirectory {
  /// The folder's entries, sorted, without lock files and hidden staging folders.
  func entriesWithoutLocks() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasSuffix(".lock") && !$0.hasPrefix(".") }.sorted()
  }
}

/// The lock beside an output directory takes over only DialReady locks.
@Suite("Output locks")
struct OutputLockTests {
  @Test func aFileThatIsNotALockIsNeverRemoved() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(InputProtectionTests.leads.utf8))
    let notes = scratch.write("out.lock", Array("call Ada back on Monday\n".utf8))
    var options = ClassifyOptions(inputPath: input)
    options.outputDirectory = scratch.path + "/out"
    #expect {
      _ = try ClassifyJob(options: options).run()
    } throws: { error in
      (error as? DialReadyError)?.exitCode == 73 && (error as? DialReadyError)?.code == "lock_path_taken"
    }
    #expect(FileManager.default.contents(atPath: notes) == Data("call Ada back on Monday\n".utf8))
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
  }

  @Test func staleAndEmptyLocksAreTakenOver() throws {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    let input = scratch.write("leads.csv", Array(InputProtectionTests.leads.utf8))
    // A PID that cannot be running (above the kernel's maximum), then an empty file (a run killed
    // before it wrote its PID).
    for (name, text) in [("a", "4194305\n"), ("b", "")] {
      _ = scratch.write(name + ".lock", Array(text.utf8))
      var options = ClassifyOptions(inputPath: input)
      options.outputDirectory = scratch.path + "/" + name
      let job = ClassifyJob(options: options)
      _ = try job.run()
      #expect(job.notices.contains { $0.contains("recovered a stale lock") })
      #expect(!FileManager.default.fileExists(atPath: scratch.path + "/" + name + ".lock"))
    }
  }

  @Test func lockContentsAreReadStrictly() {
    let scratch = ScratchDirectory()
    defer { scratch.cleanUp() }
    #expect(OutputLock.contents(of: scratch.write("1", Array("123\n".utf8))) == .pid(123))
    #expect(OutputLock.contents(of: scratch.write("2", [])) == .empty)
    #expect(OutputLock.contents(of: scratch.write("3", Array("123 notes\n".utf8))) == .other)
    #expect(OutputLock.contents(of: scratch.write("4", Array(String(repeating: "1", count: 40).utf8))) == .other)
    #expect(OutputLock.contents(of: scratch.path + "/missing") == .empty)
  }
}
