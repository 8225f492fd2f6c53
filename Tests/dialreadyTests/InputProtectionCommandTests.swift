import Foundation
import Testing

/// What a user types: an output over the input, `--force` over their own folder, a quote that
/// never closes. Each is refused with one line and a documented exit code, and nothing is lost.
@Suite("dialready never destroys an input", .serialized)
struct InputProtectionCommandTests {
  static let leads = "name,phone\nAda,(212) 368-2049\nBob,646-291-7730\n"

  @Test func outNamingTheInputIsRefusedWithForce() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = scratch.path + "/leads.csv"
    try Self.leads.write(toFile: input, atomically: true, encoding: .utf8)
    let result = try Command.run(["classify", "leads.csv", "--out", "leads.csv", "--force"], in: scratch.path)
    #expect(result.status == 64)
    #expect(result.stderr == "dialready: leads.csv: the output directory would replace or remove leads.csv (the input), which this run reads; choose an output path outside it\n")
    #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.leads)
    #expect(scratch.entries() == ["leads.csv"])
    let convert = try Command.run(["convert", "leads.csv", "-o", "./leads.csv"], in: scratch.path)
    #expect(convert.status == 64)
    #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.leads)
  }

  @Test func forceDoesNotEmptyAFolderOfOtherFiles() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    try Self.leads.write(toFile: scratch.path + "/leads.csv", atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: scratch.path + "/docs", withIntermediateDirectories: true)
    try "mine".write(toFile: scratch.path + "/docs/notes.txt", atomically: true, encoding: .utf8)
    let result = try Command.run(["classify", "leads.csv", "--out", "docs", "--force"], in: scratch.path)
    #expect(result.status == 73)
    #expect(result.stderr.hasPrefix("dialready: docs: exists and is not an output directory DialReady wrote"))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/docs") == ["notes.txt"])
  }

  @Test func aQuoteThatNeverClosesIsAnErrorUnlessLenient() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = scratch.path + "/leads.csv"
    try (Self.leads + "\"Cy,312-630-7702\nDee,415-794-2094\n").write(toFile: input, atomically: true, encoding: .utf8)
    let strict = try Command.run(["classify", input, "--out", scratch.path + "/out"])
    #expect(strict.status == 65)
    #expect(strict.stderr == "dialready: \(input): row 4 (byte 47) opens a quoted field that never closes, so the rest of the file would be read as one field; close the quote (or pass --lenient-quotes to read it that way)\n")
    #expect(scratch.entries() == ["leads.csv"])
    let lenient = try Command.run(["classify", input, "--out", scratch.path + "/out", "--lenient-quotes", "--json"])
    #expect(lenient.status == 0)
    #expect(lenient.stderr.contains("dialready: note: \(input): row 4 (byte 47) opens a quoted field that never closes; with --lenient-quotes the rest of the file was read as that one field"))
    let summary = try JSONSerialization.jsonObject(with: Data(lenient.stdout.utf8)) as? [String: Any]
    #expect(summary?["ended_inside_quotes"] as? Bool == true)
    #expect((summary?["notices"] as? [String])?.count == 1)
    let human = try Command.run(["classify", input, "--out", scratch.path + "/out2", "--lenient-quotes"])
    #expect(human.stdout.contains("warning: a quoted field never closed"))
  }

  @Test func errorMessagesAreOneLine() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let input = scratch.path + "/in.csv"
    try "\"ABC\r\nDEF\",note\nx,y\n".write(toFile: input, atomically: true, encoding: .utf8)
    let result = try Command.run(["classify", input, "--out", scratch.path + "/out"])
    #expect(result.status == 65)
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(result.stderr.contains("'ABC\\r\\nDEF', 'note'"))
  }
}
