import Foundation
import Testing

@Suite("dialready classify", .serialized)
struct ClassifyCommandTests {
  @Test func classifiesAFixtureIntoFourFiles() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let result = try Command.run(["classify", Command.fixture("leads-sample.csv"), "--out", scratch.path + "/out"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("219 rows"))
    #expect(result.stderr.isEmpty)
    let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out").sorted()
    #expect(files == ["manifest.json", "processed-filtered.csv", "processed.csv", "rejects.csv"])
    let golden = try Data(contentsOf: URL(fileURLWithPath: Command.fixture("expected/leads-sample/processed.csv")))
    #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/processed.csv")) == golden)
  }

  @Test func jsonPrintsTheSummaryForScripts() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let result = try Command.run(["classify", Command.fixture("leads-sample.csv"), "--out", scratch.path + "/out", "--json"])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["status"] as? String == "completed")
    #expect(object?["valid_row_count"] as? Int == 143)
    #expect(object?["duplicate_row_count"] as? Int == 18)
    #expect(object?["likely_answer_row_count"] as? Int == 122)
  }

  @Test func readsStandardInput() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let data = try Data(contentsOf: URL(fileURLWithPath: Command.fixture("leads-sample.csv")))
    let result = try Command.run(["classify", "-", "--out", scratch.path + "/out", "--quiet"], stdin: data)
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let golden = try Data(contentsOf: URL(fileURLWithPath: Command.fixture("expected/leads-sample/processed.csv")))
    #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/processed.csv")) == golden)
  }

  @Test func refusesToOverwriteWithoutForce() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let args = ["classify", Command.fixture("leads-ragged.csv"), "--out", scratch.path + "/out", "--quiet"]
    #expect(try Command.run(args).status == 0)
    let again = try Command.run(args)
    #expect(again.status == 73)
    #expect(again.stderr.contains("output directory already exists; pass --force"))
    #expect(try Command.run(args + ["--force"]).status == 0)
    #expect(scratch.entries() == ["out"])
  }

  @Test func exitCodesAndOneLineErrors() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let missing = try Command.run(["classify", scratch.path + "/nope.csv"])
    #expect(missing.status == 66)
    #expect(missing.stderr == "dialready: \(scratch.path)/nope.csv: no such file; check the path\n")

    let noPhone = try Command.run(["classify", Command.fixture("leads-no-phone-column.csv"), "--out", scratch.path + "/o"])
    #expect(noPhone.status == 65)
    #expect(noPhone.stderr.contains("no phone column found among 'name', 'email', 'city'; name it with --phone-column"))
    #expect(noPhone.stderr.split(separator: "\n").count == 1)

    let tooFew = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", scratch.path + "/o", "--min-valid", "100", "--json"])
    #expect(tooFew.status == 65)
    #expect(tooFew.stderr.contains("min_contacts_required: at least 100 valid phone numbers are required, got 10"))
    #expect(tooFew.stdout.contains("\"error\":\"min_contacts_required\""))

    let usage = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--threads", "0"])
    #expect(usage.status == 64)
    #expect(scratch.entries().isEmpty)
  }

  @Test func noPartialOutputWhenTheInputFailsMidway() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    // UTF-16LE with a byte-order mark, 3 MB of good rows, then a lone surrogate: the reader fails after
    // several chunks have been processed and written.
    var text = "name,phone\n"
    for i in 0..<60_000 { text += "Name \(i),(212) 368-\(String(1000 + i % 9000))\n" }
    var bytes: [UInt8] = [0xFF, 0xFE]
    for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    bytes += [0x00, 0xD8, 0x41, 0x00, 0x0A, 0x00]
    let input = scratch.path + "/broken.csv"
    FileManager.default.createFile(atPath: input, contents: Data(bytes))
    let result = try Command.run(["classify", input, "--out", scratch.path + "/out"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("is not valid utf-16le; pass --encoding"))
    #expect(scratch.entries() == ["broken.csv"])

    let limited = try Command.run(["classify", input, "--out", scratch.path + "/out", "--max-rows", "30000"])
    #expect(limited.status == 65)
    #expect(scratch.entries() == ["broken.csv"])
  }

  @Test func inspectShowsThePhoneColumnAndSamples() throws {
    let result = try Command.run(["inspect", Command.fixture("leads-semicolon-crlf.csv")])
    #expect(result.status == 0)
    #expect(result.stdout.contains("delimiter ';'"))
    #expect(result.stdout.contains("phone column: Phone Number"))
    let json = try Command.run(["inspect", Command.fixture("leads-utf16le.csv"), "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(object?["encoding"] as? String == "utf-16le")
    #expect((object?["samples"] as? [Any])?.count == 5)
  }
}

@Suite("dialready normalize")
struct NormalizeCommandTests {
  @Test func printsOneRowPerInputLine() throws {
    let input = "(212) 368-2049 x89\n\n1-800-FLOWERS\ttab\\slash\n2.12555E+09\r\n"
    let result = try Command.run(["normalize"], stdin: Data(input.utf8))
    #expect(result.status == 0)
    #expect(result.stdout == """
      input\te164\textension\tregion\tstate\tkind\treason
      (212) 368-2049 x89\t+12123682049\t89\tUS\tNY\tgeographic\t
      \t\t\t\t\t\tempty
      1-800-FLOWERS\\ttab\\\\slash\t+18003569377\t\tUS\t\ttoll_free\t
      2.12555E+09\t\t\t\t\t\tlossy_excel_number

      """)
  }

  @Test func argumentsAndJSON() throws {
    let result = try Command.run(["normalize", "--json", "416 739 2200", "N/A"])
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[0] == #"{"input":"416 739 2200","e164":"+14167392200","extension":null,"region":"CA","state":"ON","kind":"geographic","reason":null}"#)
    #expect(lines[1].contains(#""reason":"not_a_number""#))
  }

  @Test func neverCrashesOnRandomBytes() throws {
    var state: UInt64 = 7
    var bytes: [UInt8] = []
    var lines = 0
    for _ in 0..<200_000 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      let b = UInt8(truncatingIfNeeded: state >> 56)
      bytes.append(b)
      if b == 10 { lines += 1 }
    }
    bytes.append(10)
    lines += 1
    let result = try Command.run(["normalize", "--regions", "ALL"], stdin: Data(bytes))
    #expect(result.status == 0)
    #expect(result.stdout.utf8.filter { $0 == 10 }.count == lines + 1)
  }
}

@Suite("dialready with spreadsheets and JSON", .serialized)
struct SpreadsheetCommandTests {
  @Test func sheetOptionAndInspectListsSheets() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let inspect = try Command.run(["inspect", Command.fixture("xlsx/kinds.xlsx")])
    #expect(inspect.stdout.contains("sheets:       Leads (read), Other"))
    let missing = try Command.run(["classify", Command.fixture("xlsx/kinds.xlsx"), "--sheet", "Nope", "--out", scratch.path + "/o"])
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("no sheet 'Nope'; the sheets are 'Leads', 'Other'"))
    let encrypted = try Command.run(["classify", Command.fixture("xlsx/encrypted.xlsx"), "--out", scratch.path + "/o"])
    #expect(encrypted.status == 65)
    #expect(encrypted.stderr.contains("password-protected"))
    let truncated = try Command.run(["classify", Command.fixture("xlsx/truncated.xlsx"), "--out", scratch.path + "/o"])
    #expect(truncated.status == 65)
    #expect(truncated.stderr.contains("damaged or truncated"))
    #expect(scratch.entries().isEmpty)
  }

  @Test func formatIsDetectedFromContentNotTheName() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let renamed = scratch.path + "/leads.csv"
    try FileManager.default.copyItem(atPath: Command.fixture("leads-sample.xlsx"), toPath: renamed)
    let result = try Command.run(["classify", renamed, "--out", scratch.path + "/out", "--json"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("\"valid_row_count\":143"))
    let forced = try Command.run(["classify", renamed, "--format", "csv", "--out", scratch.path + "/out2", "--quiet"])
    #expect(forced.status == 65)
  }
}

@Suite("Nightly runs", .serialized)
struct NightlyRunTests {
  @Test func directoryRunContinuesPastABadFile() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let inbox = scratch.path + "/inbox"
    try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    for name in ["leads-sample.csv", "leads-no-phone-column.csv", "leads-sample.xlsx", "README.md"] {
      let source = name == "README.md" ? Command.fixture("README.md") : Command.fixture(name)
      try FileManager.default.copyItem(atPath: source, toPath: inbox + "/" + name)
    }
    let result = try Command.run(["classify", inbox, "--out", scratch.path + "/out", "--quiet"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("leads-no-phone-column.csv: no phone column found"))
    let outputs = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out").sorted()
    #expect(outputs == ["leads-sample.dialready", "leads-sample.xlsx.dialready", "run.json"])
    let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/run.json"))) as? [String: Any]
    #expect(run?["completed"] as? Int == 2)
    #expect(run?["failed"] as? Int == 1)
    let files = run?["files"] as? [[String: Any]] ?? []
    #expect(files.map { $0["file"] as? String ?? "" } == ["leads-no-phone-column.csv", "leads-sample.csv", "leads-sample.xlsx"])
    #expect(files.first?["error"] as? String == "phone_column_not_found")
  }

  @Test func twoRunsOnTheSameOutputsContend() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    // The first run reads standard input and holds the lock while it waits for more rows (2 MB sent,
    // more than its first 1 MiB chunk, so it has read its header and taken the lock).
    let first = Process()
    first.executableURL = URL(fileURLWithPath: Command.binary)
    first.arguments = ["classify", "-", "--out", out, "--quiet"]
    let input = Pipe()
    first.standardInput = input
    first.standardOutput = FileHandle.nullDevice
    first.standardError = FileHandle.nullDevice
    try first.run()
    var rows = "name,phone\n"
    for i in 0..<80_000 { rows += "Lead \(i),(212) 368-\(String(2000 + i % 7000))\n" }
    input.fileHandleForWriting.write(Data(rows.utf8))
    let lock = out + ".lock"
    let deadline = Date().addingTimeInterval(30)
    while !FileManager.default.fileExists(atPath: lock) && Date() < deadline { usleep(20_000) }
    #expect(FileManager.default.fileExists(atPath: lock))
    let second = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", out])
    #expect(second.status == 73)
    #expect(second.stderr.contains("another run (PID \(first.processIdentifier)) is writing these outputs"))
    try input.fileHandleForWriting.close()
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    #expect(!FileManager.default.fileExists(atPath: lock))
    #expect(FileManager.default.fileExists(atPath: out + "/processed.csv"))
  }

  @Test func aLiveLockRefusesAndAStaleLockIsRecovered() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let out = scratch.path + "/out"
    // A lock held by a live process (this test runner).
    let lockPath = out + ".lock"
    FileManager.default.createFile(atPath: lockPath, contents: Data("\(ProcessInfo.processInfo.processIdentifier)\n".utf8))
    let busy = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", out])
    #expect(busy.status == 73)
    #expect(busy.stderr.contains("another run (PID \(ProcessInfo.processInfo.processIdentifier)) is writing these outputs"))
    #expect(!FileManager.default.fileExists(atPath: out))
    // A lock left by a process that has exited.
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    FileManager.default.createFile(atPath: lockPath, contents: Data("\(gone.processIdentifier)\n".utf8))
    let recovered = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", out, "--quiet"])
    #expect(recovered.status == 0)
    #expect(recovered.stderr.contains("recovered a stale lock"))
    #expect(!FileManager.default.fileExists(atPath: lockPath))
  }
}

@Suite("Calling windows in classify")
struct CallingWindowCommandTests {
  @Test func columnsAndFilterAtAFixedInstant() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    // Saturday 2026-11-28 14:30 UTC: 09:30 in New York and Toronto, 06:30 in Los Angeles.
    let result = try Command.run([
      "classify", Command.fixture("leads-ragged.csv"), "--out", scratch.path + "/out", "--quiet",
      "--at", "2026-11-28T14:30:00Z", "--filter-callable",
    ])
    #expect(result.status == 0)
    let processed = try String(contentsOfFile: scratch.path + "/out/processed.csv", encoding: .utf8)
    let lines = processed.split(separator: "\n").map(String.init)
    #expect(lines[0].hasSuffix(",classification,answer_reasons,local_time,callable,next_callable_at"))
    #expect(lines[1].hasSuffix(",0.321,Likely Answer,morning_local_time;weekend_local_time,2026-11-28T09:30:00-05:00,true,2026-11-28T14:30:00Z"))
    #expect(lines[3].contains(",Likely Answer,weekend_local_time,2026-11-28T06:30:00-08:00,false,2026-11-28T16:00:00Z,CA,extra"))
    // Montréal on a Saturday: the CRTC weekend window opens at 10:00.
    #expect(lines[6].hasSuffix(",2026-11-28T09:30:00-05:00,false,2026-11-28T15:00:00Z"))
    let filtered = try String(contentsOfFile: scratch.path + "/out/processed-filtered.csv", encoding: .utf8)
    #expect(!filtered.contains("Felix Moreau") && !filtered.contains("Erin Walsh") && filtered.contains("Alma Reyes"))
  }

  @Test func badCallingOptionsAreUsageErrors() throws {
    let hours = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--calling-hours", "9-5"])
    #expect(hours.status == 64)
    let at = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--at", "tomorrow"])
    #expect(at.status == 64)
    #expect(at.stderr.contains("is not an ISO 8601 instant"))
  }
}

@Suite("dialready train and evaluate", .serialized)
struct ModelCommandTests {
  @Test(arguments: ["evaluate", "train"])
  func metricsMatchTheGoldenOutput(_ command: String) throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    var arguments = [
      command, "--history", Command.fixture("history/small-history.csv"), "--lookup", Command.fixture("history/small-lookup.csv"), "--json",
    ]
    if command == "train" { arguments += ["--out", scratch.path + "/model.json"] }
    let result = try Command.run(arguments)
    #expect(result.status == 0)
    #expect(result.stderr.contains("1 rows with unreadable timestamps (first rows 17); 1 rows with unknown outcomes (first rows 16) were not used"))
    let golden = try String(contentsOfFile: Command.fixture("expected/models/\(command)-small.json"), encoding: .utf8)
    #expect(result.stdout == golden)
    if command == "train" {
      let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/model.json"))) as? [String: Any]
      #expect((model?["features"] as? [String])?.count == 26)
      // A trained model classifies a list.
      let classify = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", scratch.path + "/out", "--quiet", "--model", scratch.path + "/model.json"])
      #expect(classify.status == 0)
    }
  }

  @Test func badModelFilesAreRefused() throws {
    let scratch = Scratch()
    defer { scratch.cleanUp() }
    let bogus = scratch.path + "/model.json"
    FileManager.default.createFile(atPath: bogus, contents: Data(#"{"model_id":"x","features":["a"],"weights":[1],"intercept":0,"answer_threshold":0.5}"#.utf8))
    let result = try Command.run(["classify", Command.fixture("leads-ragged.csv"), "--out", scratch.path + "/out", "--model", bogus])
    #expect(result.status == 65)
    #expect(result.stderr.contains("its features do not match this version's"))
  }
}
